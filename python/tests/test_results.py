"""load_results: a result folder as DataFrames, the same numbers as its files."""

import json
import os

import pandas as pd
import pytest

import twinedge


def test_trials_summary_paired_and_manifest(small_results):
    r = twinedge.load_results(small_results)
    assert len(r.trials) == 8  # 4 policies x 2 seeds
    assert set(r.trials.policy) == {"local", "random", "nearest", "greedy"}
    assert r.manifest["scenario"] == "small" and r.manifest["trials"]["done"] == 8
    for df in (r.trials, r.summary, r.paired):
        assert df.attrs["manifest"] == r.manifest
    # Each row carries its record's metrics, flattened.
    for name in os.listdir(os.path.join(small_results, "trials")):
        with open(os.path.join(small_results, "trials", name), encoding="utf-8") as f:
            rec = json.load(f)
        row = r.trials.set_index("id").loc[rec["id"]]
        assert row.policy == rec["policy"] and row.seed == rec["seed"]
        for k, v in rec["metrics"].items():
            assert (pd.isna(row[k]) if v is None else row[k] == v), k
    assert list(r.summary.columns[:3]) == ["policy", "metric", "n"]
    assert r.summary.equals(pd.read_csv(os.path.join(small_results, "summary.csv")))
    assert set(r.paired.columns) >= {"policy", "reference", "metric", "meanDiff"}
    # The summary's means are the trials' means.
    mean = r.summary.set_index(["policy", "metric"]).loc[("greedy", "latencyS"), "mean"]
    assert mean == pytest.approx(r.trials[r.trials.policy == "greedy"].latencyS.mean(), rel=1e-12)


def test_sweep_axes_become_columns(home, tmp_path):
    from conftest import run_cli

    path = tmp_path / "sweep.json"
    path.write_text(json.dumps({"name": "sw", "seeds": [1], "policies": ["local"], "slots": 10, "sites": {"count": 4}, "sweep": {"users.perSite": [2, 3]}}))
    r = twinedge.load_results(run_cli(home, str(path), tmp_path / "out"))
    assert sorted(r.trials["users.perSite"]) == [2, 3]
    assert "users.perSite" in r.summary.columns


def test_a_folder_that_is_not_a_result_folder(tmp_path):
    with pytest.raises(twinedge.ScenarioError, match="no manifest.json: not a twinedge result folder"):
        twinedge.load_results(tmp_path)
    with pytest.raises(twinedge.ScenarioError, match="no such folder"):
        twinedge.load_results(tmp_path / "nope")
    (tmp_path / "s.json").write_text("{}")
    with pytest.raises(twinedge.ScenarioError, match=r"s.json: not a folder: load_results takes a result folder"):
        twinedge.load_results(tmp_path / "s.json")


def test_an_interrupted_run_is_refused_with_what_to_do(small_results, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("scenario.json",):
        (partial / name).write_text(open(os.path.join(small_results, name), encoding="utf-8").read())
    (partial / "trials").mkdir()
    with pytest.raises(twinedge.ScenarioError, match=r"partial: no manifest.json: a run into this folder did not finish .* \(it resumes\)"):
        twinedge.load_results(partial)
