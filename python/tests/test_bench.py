"""bench/python_env_bench.py runs (one round on the small scenario), so the README's command cannot rot."""

import os
import runpy


def test_the_benchmark_runs_and_reports_each_way(home, small, capsys):
    bench = runpy.run_path(os.path.join(home, "bench", "python_env_bench.py"))
    out = bench["main"](["--scenario", small, "--point", "0", "--rounds", "1", "--sample-slots", "2"])
    assert out["agents"] == 30 and out["slots"] == 30
    assert set(out["medianAgentStepsPerS"]) == {"node", "python-vector", "python-pettingzoo", "python-pettingzoo-sample"}
    assert all(v > 0 for v in out["medianAgentStepsPerS"].values())
    assert "M agent-steps/s" in capsys.readouterr().out
