"""PettingZoo's own conformance tests on the environment."""

import warnings

import numpy as np
from pettingzoo.test import api_test, parallel_api_test, parallel_seed_test, seed_test
from pettingzoo.utils import parallel_to_aec

import twinedge


def test_parallel_api_test(small):
    env = twinedge.parallel_env(small, seed=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parallel_api_test(env, num_cycles=100)
    # parallel_api_test warns (UserWarning) about agents given no observation, revived, etc.
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []
    env.close()


def test_parallel_api_test_with_authentication_and_migration(small):
    env = twinedge.parallel_env(small, seed=2, auth={"mode": "modeled", "maliciousShare": 0.3}, migration={"mode": "proactive"})
    parallel_api_test(env, num_cycles=40)
    env.close()


def test_parallel_seed_test(small):
    parallel_seed_test(lambda: twinedge.parallel_env(small, seed=1), num_cycles=100)


def test_seed_test_through_aec(small):
    seed_test(lambda: parallel_to_aec(twinedge.parallel_env(small, seed=1)), num_cycles=100)


def test_api_test_through_aec(small):
    # Its "Observation is not a NumPy array" warnings come with every Dict observation holding an action mask.
    env = parallel_to_aec(twinedge.parallel_env(small, seed=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api_test(env, num_cycles=40, verbose_progress=False)
    env.close()


def test_observations_lie_in_their_spaces_and_inactive_agents_only_compute_locally(small):
    env = twinedge.parallel_env(small, seed=3)
    obs, infos = env.reset(seed=3)
    rng = np.random.default_rng(1)
    rewarded = steps = 0
    while env.agents:
        for agent in env.agents:
            assert env.observation_space(agent).contains(obs[agent]), (agent, obs[agent])
            if not infos[agent]["active"]:
                assert obs[agent]["action_mask"].tolist() == [1, 0, 0, 0, 0, 0, 0]
                assert obs[agent]["observation"][0] == 0
        actions = {a: int(rng.choice(np.flatnonzero(obs[a]["action_mask"]))) for a in env.agents}
        acting = [a for a in env.agents if infos[a]["active"]]
        obs, rewards, terms, truncs, infos2 = env.step(actions)
        for a in env.possible_agents:
            if a in acting:
                assert rewards[a] < 0  # -T_proc averaged over the cell (learning.reward team, negLatency)
                rewarded += 1
            else:
                assert rewards[a] == 0
        infos = infos2
        steps += 1
    assert steps == 30 and rewarded > 50
    assert all(truncs.values()) and not any(terms.values())
    env.close()
