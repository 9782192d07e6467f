"""A Python-driven episode is the episode `twinedge run` runs: same scenario and seed, same metrics."""

import json
import os

import numpy as np
import pytest

import twinedge
from conftest import run_cli


def cli_metrics(folder, policy, seed):
    with open(os.path.join(folder, "trials.jsonl"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    [r] = [r for r in records if r["policy"] == policy and r["seed"] == seed]
    assert r["status"] == "ok"
    return r["metrics"]


@pytest.mark.parametrize("seed", [1, 2])
def test_all_local_through_the_pettingzoo_dicts_equals_the_cli_local_trial(small, small_results, seed):
    env = twinedge.parallel_env(small, seed=seed)
    obs, infos = env.reset(seed=seed)
    while env.agents:
        obs, *_ = env.step({a: 0 for a in env.agents})
    assert env.metrics() == cli_metrics(small_results, "local", seed)
    env.close()


@pytest.mark.parametrize("policy", ["random", "nearest", "greedy"])
def test_built_in_policies_stepped_from_python_equal_the_cli_trials(small, small_results, policy):
    with twinedge.VectorEnv(small) as env:
        for seed in (1, 2):
            env.reset(seed=seed)
            done = False
            while not done:
                _, _, _, trunc, _ = env.step_policy(policy)
                done = trunc[0]
            assert env.metrics() == cli_metrics(small_results, policy, seed), (policy, seed)


def test_with_authentication_and_migration_the_episodes_still_equal_the_cli(home, small, tmp_path):
    # --auth modeled, and migration through an override: the env applies both control units as the trial runner does.
    with open(small, encoding="utf-8") as f:
        scenario = json.load(f)
    scenario.update(migration={"mode": "proactive"}, auth={"mode": "modeled", "maliciousShare": 0.3}, seeds=[4], policies=["local", "greedy"])
    path = tmp_path / "auth.json"
    path.write_text(json.dumps(scenario))
    folder = run_cli(home, str(path), tmp_path / "out")
    with twinedge.VectorEnv(str(path)) as env:
        env.reset(seed=4)
        while True:
            *_, trunc, _ = env.step(np.zeros(env.num_agents, dtype=np.int32))
            if trunc[0]:
                break
        local = env.metrics()
        assert local == cli_metrics(folder, "local", 4)
        env.reset(seed=4)
        while not env.step_policy("greedy")[3][0]:
            pass
        greedy = env.metrics()
        assert greedy == cli_metrics(folder, "greedy", 4)
    # The control units were on: handshakes happened and the malicious users were refused.
    assert greedy["fullHandshakesPerUserHour"] > 0 and greedy["maliciousUsers"] > 0 and greedy["authRefusalsPerUserHour"] > 0
    assert greedy["migrationsPerUserHour"] is not None
