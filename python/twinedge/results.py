"""A `twinedge run` result folder as pandas DataFrames (docs/python.md "Results")."""

import json
import os
from dataclasses import dataclass, field

import pandas as pd

from .errors import ScenarioError

# Record fields kept as columns of `trials` (the config and the training curves stay in the records).
_TRIAL_FIELDS = ("id", "scenario", "pointIndex", "policy", "seed", "status", "error", "users", "sites", "slots", "backend", "codeHash", "wasmSha256")


@dataclass
class Results:
    """trials: one row per trial (its sweep point's axes and its metrics as columns); summary
    and paired: summary.csv and paired.csv; manifest and scenario: the folder's JSON files.
    Each DataFrame carries the manifest in .attrs["manifest"]."""

    trials: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame
    manifest: dict
    scenario: dict = field(default_factory=dict)
    records: list = field(default_factory=list, repr=False)


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: missing: not a twinedge result folder", source=path) from None
    except json.JSONDecodeError as e:
        raise ScenarioError(f"{path}: not JSON ({e})", source=path) from None


def _records(folder):
    lines = os.path.join(folder, "trials.jsonl")
    if os.path.isfile(lines):
        with open(lines, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    trials = os.path.join(folder, "trials")
    if not os.path.isdir(trials):
        raise ScenarioError(f"{folder}: neither trials.jsonl nor trials/: not a twinedge result folder", source=folder)
    return [_read_json(os.path.join(trials, name)) for name in sorted(os.listdir(trials)) if name.endswith(".json")]


def _csv(path):
    if not os.path.isfile(path):
        return pd.DataFrame()
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def load_results(folder):
    """The result folder `folder` (written by `twinedge run`/`merge`) as a Results."""
    folder = os.fspath(folder)
    if not os.path.exists(folder):
        raise ScenarioError(f"{folder}: no such folder", source=folder)
    if not os.path.isdir(folder):
        raise ScenarioError(f"{folder}: not a folder: load_results takes a result folder (the --out of `twinedge run`), not a file", source=folder)
    if not os.path.isfile(os.path.join(folder, "manifest.json")):
        partial = os.path.isfile(os.path.join(folder, "scenario.json"))
        raise ScenarioError(f"{folder}: no manifest.json: " + (
            "a run into this folder did not finish (interrupted?); finish it with the same `twinedge run SCENARIO --out` (it resumes), then load it"
            if partial else "not a twinedge result folder"), source=folder)
    manifest = _read_json(os.path.join(folder, "manifest.json"))
    scenario = _read_json(os.path.join(folder, "scenario.json"))
    records = _records(folder)
    axes = list((scenario.get("sweep") or {}).keys())
    rows = []
    for r in records:
        row = {k: r.get(k) for k in _TRIAL_FIELDS}
        for axis in axes:
            row[axis] = (r.get("point") or {}).get(axis)
        for name, value in (r.get("metrics") or {}).items():
            row[name] = value
        rows.append(row)
    trials = pd.DataFrame(rows, columns=None if rows else list(_TRIAL_FIELDS) + axes)
    summary, paired = _csv(os.path.join(folder, "summary.csv")), _csv(os.path.join(folder, "paired.csv"))
    for df in (trials, summary, paired):
        df.attrs["manifest"] = manifest
    return Results(trials=trials, summary=summary, paired=paired, manifest=manifest, scenario=scenario, records=records)
