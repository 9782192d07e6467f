"""Shared fixtures: a small scenario file, and `twinedge run` on it (the CLI the environment must equal)."""

import json
import os
import subprocess

import pytest

from twinedge._bridge import find_home, find_node

SMALL = {
    "name": "small", "seeds": [1, 2], "policies": ["local", "random", "nearest", "greedy"],
    "slots": 30, "warmupSlots": 3, "sites": {"count": 6}, "users": {"perSite": 5}, "tasks": {"arrivalRate": 0.2},
}


@pytest.fixture(scope="session")
def home():
    return find_home()


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "small.json"
    path.write_text(json.dumps(SMALL))
    return str(path)


def run_cli(home, scenario, out, *extra):
    """`twinedge run` into `out` (one thread, no figures); returns `out`."""
    subprocess.run([find_node(), os.path.join(home, "bin", "twinedge.js"), "run", scenario, "--out", str(out), "--threads", "1", "--no-figures", "--quiet", *extra],
                   check=True, capture_output=True, text=True)
    return str(out)


@pytest.fixture(scope="session")
def small_results(home, small, tmp_path_factory):
    return run_cli(home, small, tmp_path_factory.mktemp("runs") / "small")
