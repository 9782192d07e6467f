"""Bad input comes back as Python exceptions naming the field, the agent or the call."""

import json

import numpy as np
import pytest

import twinedge


def test_a_bad_scenario_field_is_a_scenario_error_with_its_path(small):
    with pytest.raises(twinedge.ScenarioError) as e:
        twinedge.VectorEnv(small, sites={"count": 0})
    assert e.value.issues == [f"sites.count: expected a positive integer"]
    assert str(e.value) == f"{small}: sites.count: expected a positive integer"


def test_a_bad_field_in_a_scenario_file(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"sites": {"count": -2}, "tasks": {"arrivalRate": "x"}}))
    with pytest.raises(twinedge.ScenarioError) as e:
        twinedge.parallel_env(str(path))
    assert any(i.startswith("sites.count: ") for i in e.value.issues)
    assert any(i.startswith("tasks.arrivalRate: ") for i in e.value.issues)


def test_unknown_fields_and_bad_override_paths_are_refused(small):
    with pytest.raises(twinedge.ScenarioError, match=r"users.perSiet: unknown field"):
        twinedge.VectorEnv(small, users__perSiet=3)
    with pytest.raises(twinedge.ScenarioError, match=r"__proto__.x: not a field path"):
        twinedge.VectorEnv(small, overrides={"__proto__.x": 1})
    with pytest.raises(twinedge.ScenarioError, match=r"scenario: expected a scenario file path or a dict"):
        twinedge.VectorEnv(42)
    with pytest.raises(twinedge.ScenarioError, match=r"cannot read"):
        twinedge.VectorEnv("/nonexistent/s.json")


def test_a_nan_or_infinite_override_names_its_field(small):
    with pytest.raises(twinedge.ScenarioError, match=r"^tasks.arrivalRate: expected a finite number, got nan"):
        twinedge.VectorEnv(small, overrides={"tasks.arrivalRate": float("nan")})
    with pytest.raises(twinedge.ScenarioError, match=r"^tasks.bits.max: expected a finite number, got inf"):
        twinedge.VectorEnv(small, tasks={"bits": {"max": float("inf")}})
    with pytest.raises(twinedge.ScenarioError, match=r"^point.users.perSite: expected a finite number, got nan"):
        twinedge.VectorEnv(small, point={"users.perSite": np.float32("nan")})
    with pytest.raises(twinedge.ScenarioError, match=r"^sites.xM\[1\]: expected a finite number, got -inf"):
        twinedge.VectorEnv({"sites": {"xM": [0.0, float("-inf")]}})


def test_the_three_override_forms_give_the_same_environment(small):
    envs = [twinedge.VectorEnv(small, users={"perSite": 7}), twinedge.VectorEnv(small, users__perSite=np.int64(7)),
            twinedge.VectorEnv(small, users__per_site=7), twinedge.VectorEnv(small, overrides={"users.perSite": 7})]
    assert [e.num_agents for e in envs] == [42, 42, 42, 42]
    assert envs[0].config == envs[1].config == envs[2].config == envs[3].config
    with twinedge.VectorEnv(small, warmup_slots=5, channel__min_rate_bps=2e6) as e:
        assert e.warmup_slots == 5 and e.config["channel"]["minRateBps"] == 2e6
    for e in envs:
        e.close()


def test_a_sweeping_scenario_needs_a_point(tmp_path):
    path = tmp_path / "sweep.json"
    path.write_text(json.dumps({"slots": 10, "sites": {"count": 4}, "sweep": {"users.perSite": [2, 3, 4]}}))
    with pytest.raises(twinedge.ScenarioError, match=r"point: the scenario sweeps users.perSite \(3 points\)"):
        twinedge.VectorEnv(str(path))
    with pytest.raises(twinedge.ScenarioError, match=r"point: expected an index in 0..2"):
        twinedge.VectorEnv(str(path), point=3)
    with pytest.raises(twinedge.ScenarioError, match=r"point.users: not a sweep axis"):
        twinedge.VectorEnv(str(path), point={"users": 3})
    with twinedge.VectorEnv(str(path), point={"users.perSite": 3}) as a, twinedge.VectorEnv(str(path), point=1) as b:
        assert a.num_agents == b.num_agents == 12 and a.point == {"users.perSite": 3}


def test_bad_actions_name_the_agent(small):
    env = twinedge.parallel_env(small, seed=1)
    obs, infos = env.reset()
    while not any(i["active"] for i in infos.values()):
        obs, _, _, _, infos = env.step({a: 0 for a in env.agents})
    agent = next(a for a in env.agents if infos[a]["active"])
    with pytest.raises(twinedge.ActionError, match=rf"actions\[\d+\] \({agent}\): expected an action in 0..6, got 9"):
        env.step({**{a: 0 for a in env.agents}, agent: 9})
    with pytest.raises(twinedge.ActionError, match=rf"no action for active agent\(s\) .*{agent}"):
        env.step({a: 0 for a in env.agents if a != agent})
    with pytest.raises(twinedge.ActionError, match=r"'nobody' is not an agent"):
        env.step({"nobody": 0})
    with pytest.raises(twinedge.ActionError, match=r"expected an integer action"):
        env.step({a: "x" for a in env.agents})
    # The environment is still usable after refused actions.
    obs, rewards, *_ = env.step({a: 0 for a in env.agents})
    assert rewards[agent] < 0
    env.close()


def test_masked_actions_run_locally_and_are_flagged_or_raise_with_strict_masks(small):
    found = False
    for strict in (False, True):
        env = twinedge.VectorEnv(small, seed=1, strict_masks=strict, channel={"minRateBps": 2e8})
        obs, info = env.reset()
        for _ in range(env.episode_slots - 1):
            blocked = info["active"] & (obs["action_mask"][:, 6] == 0)
            if blocked.any():
                break
            obs, _, _, _, info = env.step(np.zeros(env.num_agents, dtype=np.int32))
        assert blocked.any(), "no agent with a masked action: the test scenario must make one"
        found = True
        actions = np.where(blocked, 6, 0).astype(np.int32)
        if strict:
            with pytest.raises(twinedge.ActionError, match=r"action 6 is masked"):
                env.step(actions)
        else:
            _, _, _, _, info2 = env.step(actions)
            assert (info2["masked"] == blocked).all()
        env.close()
    assert found


def test_calls_out_of_sequence(small):
    env = twinedge.VectorEnv(small)
    with pytest.raises(twinedge.EnvStateError, match="reset"):
        env.step(np.zeros(env.num_agents, dtype=np.int32))
    env.reset()
    with pytest.raises(twinedge.EnvStateError, match="the episode has not ended"):
        env.metrics()
    with pytest.raises(twinedge.ScenarioError, match="policy: expected one of local, random, nearest, greedy"):
        env.step_policy("optimal")
    with pytest.raises(twinedge.ActionError, match=r"expected shape \(30,\)"):
        env.step(np.zeros(3, dtype=np.int32))
    with pytest.raises(twinedge.ScenarioError, match="seed: "):
        env.reset(seed=-1)
    env.close()
    with pytest.raises(twinedge.BridgeError, match="closed"):
        env.reset()
