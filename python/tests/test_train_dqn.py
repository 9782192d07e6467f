"""examples/python/train_dqn.py: its paired differences equal paired.csv's, and it runs (tiny budget), deterministically."""

import csv
import json
import math
import os
import runpy

import pandas as pd
import pytest

import twinedge
from conftest import SMALL, run_cli


@pytest.fixture(scope="module")
def example(home):
    return runpy.run_path(os.path.join(home, "examples", "python", "train_dqn.py"))


def test_t_quantile_matches_known_values(example):
    t = example["t_quantile_975"]
    # df 1 and 2 in closed form (tan(pi (p - 1/2)) and (2p - 1) / sqrt(2p (1 - p))), the others scipy.stats.t.ppf(0.975, df).
    assert t(1) == pytest.approx(math.tan(math.pi * 0.475), rel=1e-13)
    assert t(2) == pytest.approx(0.95 / math.sqrt(2 * 0.975 * 0.025), rel=1e-13)
    for df, value in [(3, 3.1824463052837078), (4, 2.7764451051977934), (9, 2.262157162798205), (29, 2.045229642132703), (100, 1.9839715185235518), (1000, 1.9623390808264083)]:
        assert t(df) == pytest.approx(value, rel=1e-12), df
    with pytest.raises(ValueError):
        t(0)


def test_paired_equals_paired_csv(example, home, tmp_path):
    """The example's paired() against the rows paired.csv has for built-in policies (5 seeds: df 4)."""
    path = tmp_path / "five.json"
    path.write_text(json.dumps({**SMALL, "name": "five", "seeds": [1, 2, 3, 4, 5], "policies": ["local", "nearest", "greedy"], "reference": ["local", "greedy"]}))
    r = twinedge.load_results(run_cli(home, str(path), tmp_path / "out"))
    trials = r.trials[r.trials.status == "ok"]
    checked = 0
    for _, row in r.paired.iterrows():
        by = {p: trials[trials.policy == p].set_index("seed")[row.metric] for p in (row.policy, row.reference)}
        mine = {int(s): (None if pd.isna(v) else float(v)) for s, v in by[row.policy].items()}
        theirs = {int(s): (None if pd.isna(v) else float(v)) for s, v in by[row.reference].items()}
        got = example["paired"](mine, theirs)
        assert got["n"] == row.n, (row.policy, row.reference, row.metric)
        for k in ("meanDiff", "sdDiff", "ci95Low", "ci95High", "shareLower"):
            want = row[k]
            if isinstance(want, float) and math.isnan(want):
                assert math.isnan(got[k]), (row.policy, row.reference, row.metric, k)
            else:
                assert got[k] == pytest.approx(want, rel=1e-12, abs=1e-12), (row.policy, row.reference, row.metric, k)
        checked += row.n == 5 and row.sdDiff > 0
    assert checked >= 10  # real intervals (5 seeds, a spread), not only the degenerate rows


def _run(example, small, out):
    return example["main"](["--scenario", small, "--seeds", "1,2", "--slots", "12", "--warmup-slots", "2",
                            "--episodes", "2", "--learner-episodes", "3", "--out", str(out), "--quiet"])


def test_example_runs_and_compares_every_policy(example, small, tmp_path, capsys):
    first = _run(example, small, tmp_path / "a")
    out = capsys.readouterr().out
    for policy in ("dqn", "greedy", "optimum", "il", "jal"):
        assert any(line.startswith(policy + " ") for line in out.splitlines()), policy
    assert "greedy via the environment equals `twinedge run`" in out
    with open(tmp_path / "a" / "comparison.csv", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [r["policy"] for r in table] == ["dqn", "greedy", "optimum", "il", "jal"]
    for r in table:
        keys = ["mean", "ci95Low", "ci95High"] + ([] if r["policy"] == "dqn" else
                                                  ["dqnMinus_meanDiff", "dqnMinus_sdDiff", "dqnMinus_ci95Low", "dqnMinus_ci95High", "dqnMinus_shareLower"])
        for k in keys:
            assert math.isfinite(float(r[k])), (r["policy"], k)
    # The differences are DQN - policy of the per-seed latencies.
    dqn = {s: m["latencyS"] for s, m in first["dqn"].items()}
    base = twinedge.load_results(first["baselines"]).trials
    for r in table[1:]:
        lat = base[base.policy == r["policy"]].set_index("seed")["latencyS"]
        assert float(r["dqnMinus_meanDiff"]) == pytest.approx(sum(dqn[s] - lat[s] for s in (1, 2)) / 2, rel=1e-12)
    with open(tmp_path / "a" / "paired.csv", encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    assert {(p["reference"], p["metric"]) for p in pairs} >= {(b, "latencyS") for b in ("greedy", "optimum", "il", "jal")}
    assert len(first["training"]) == 2 and all(t["decisions"] > 0 for t in first["training"])
    # Deterministic: the same command gives the same DQN metrics.
    second = _run(example, small, tmp_path / "b")
    assert second["dqn"] == first["dqn"]
    assert [t["meanLoss"] for t in second["training"]] == [t["meanLoss"] for t in first["training"]]
