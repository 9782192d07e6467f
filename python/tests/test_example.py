"""The Python examples run (with a small budget), so they cannot rot."""

import os
import runpy
import sys

from conftest import SMALL  # noqa: F401  (the same small world as the other tests)


def test_random_agent_example(home, small, capsys):
    path = os.path.join(home, "examples", "python", "random_agent.py")
    module = runpy.run_path(path)
    mine, base = module["main"]([small, "--seed", "2", "--slots", "12"])
    out = capsys.readouterr().out
    assert "random*" in out and "greedy" in out
    assert mine["tasks"] > 0 and mine["tasks"] == base["local"]["tasks"]  # the same world: the same tasks arrive
    assert 0 < mine["offloadRatio"] < 1 and base["local"]["offloadRatio"] == 0
