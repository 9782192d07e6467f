"""The PettingZoo ParallelEnv over the vectorised environment (docs/python.md)."""

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from .errors import ActionError, EnvStateError
from .vector import ACTIONS, VectorEnv


class TwinedgeParallelEnv(ParallelEnv):
    """Users as PettingZoo agents "user_<i>", all present every slot until the episode's end.

    An agent without a task this slot (info["active"] False) has the action mask [1,0,0,0,0,0,0]
    (only "local"), its action is ignored (it may be left out of the actions dict) and its
    reward is 0. Every agent is truncated together after the episode's slots (terminations stay
    False: the game has no terminal state); then `agents` is empty.
    """

    metadata = {"name": "twinedge_v0", "render_modes": [], "is_parallelizable": True}

    def __init__(self, vector_env):
        self.vec = vector_env
        m = vector_env.num_agents
        self.possible_agents = [f"user_{i}" for i in range(m)]
        self.agents = []
        self._index = {a: i for i, a in enumerate(self.possible_agents)}
        self._obs_spaces = {}
        self._act_spaces = {}
        self._active = np.zeros(m, dtype=bool)
        self.state_space = vector_env.state_space
        self.render_mode = None

    # Each agent gets its own space objects (seeded separately), made on first use.
    def observation_space(self, agent):
        space = self._obs_spaces.get(agent)
        if space is None:
            self._check_agent(agent)
            v = self.vec
            space = self._obs_spaces[agent] = spaces.Dict({
                "observation": spaces.Box(0.0, np.inf, (v.num_features,), np.float32),
                "state": spaces.Discrete(v.num_states),
                "action_mask": spaces.Box(0, 1, (ACTIONS,), np.int8),
            })
        return space

    def action_space(self, agent):
        space = self._act_spaces.get(agent)
        if space is None:
            self._check_agent(agent)
            space = self._act_spaces[agent] = spaces.Discrete(ACTIONS)
        return space

    def _check_agent(self, agent):
        if agent not in self._index:
            raise KeyError(f"{agent!r} is not an agent of this environment (user_0 .. user_{len(self.possible_agents) - 1})")

    def reset(self, seed=None, options=None):
        """A new episode (seed: as VectorEnv.reset; options: accepted and unused). Returns (observations, infos)."""
        obs, info = self.vec.reset(seed=seed)
        self.agents = list(self.possible_agents)
        self._active = info["active"]
        return self._observations(obs), self._infos(info)

    def step(self, actions):
        """actions: agent -> action (0..6) for at least every active agent. Returns the five dicts."""
        if not self.agents:
            raise EnvStateError("step: the episode has ended (or never started); call reset()")
        obs, rewards, terms, truncs, info = self.vec.step(self._action_array(actions))
        agents = self.possible_agents
        done = bool(truncs[0]) if len(truncs) else True
        observations = self._observations(obs)
        infos = self._infos(info)
        self._active = info["active"]
        if done:
            self.agents = []
        return observations, dict(zip(agents, rewards.tolist())), dict.fromkeys(agents, False), dict.fromkeys(agents, done), infos

    def _action_array(self, actions):
        agents, index = self.possible_agents, self._index
        if not isinstance(actions, dict):
            raise ActionError(f"actions: expected a dict agent -> action, got {type(actions).__name__}")
        if actions.keys() == index.keys():
            values = [actions[a] for a in agents]
        else:
            unknown = [a for a in actions if a not in index]
            if unknown:
                raise ActionError(f"actions: {unknown[0]!r} is not an agent of this environment")
            missing = [a for a, on in zip(agents, self._active) if on and a not in actions]
            if missing:
                raise ActionError(f"actions: no action for active agent(s) {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
            values = [actions.get(a, 0) for a in agents]
        try:
            out = np.array(values)
        except (TypeError, ValueError) as e:
            raise ActionError(f"actions: expected an integer action in 0..{ACTIONS - 1} per agent ({e})") from None
        if out.shape != (len(agents),) or out.dtype.kind not in "iuf":
            raise ActionError(f"actions: expected an integer action in 0..{ACTIONS - 1} per agent, got values of type {out.dtype}")
        return out

    def _observations(self, obs):
        feats, states, masks = obs["observation"], obs["state"], obs["action_mask"]
        return {a: {"observation": f, "state": s, "action_mask": k} for a, f, s, k in zip(self.possible_agents, feats, states.tolist(), masks)}

    def _infos(self, info):
        return {a: {"active": on} for a, on in zip(self.possible_agents, info["active"].tolist())}

    def state(self):
        """The global (true) state: VectorEnv.state()."""
        return self.vec.state()

    def metrics(self):
        """The ended episode's metrics record (as trials/<id>.json "metrics")."""
        return self.vec.metrics()

    def render(self):
        return None

    def close(self):
        self.vec.close()


def parallel_env(scenario, seed=None, **kwargs):
    """twinedge.parallel_env(scenario=..., seed=..., **overrides): a PettingZoo ParallelEnv (see VectorEnv for the arguments)."""
    return TwinedgeParallelEnv(VectorEnv(scenario, seed, **kwargs))
