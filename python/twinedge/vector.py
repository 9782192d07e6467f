"""The vectorised environment: every agent at once, as numpy arrays (docs/python.md)."""

import json

import numpy as np
from gymnasium import spaces

from . import _bridge
from ._scenario import scenario_request
from .errors import ActionError, EnvStateError, ScenarioError

ACTIONS = 7
ACTION_NAMES = ("local", "partial-0.75", "partial-0.5", "partial-0.25", "serving", "closest-other", "second-other")
DONE = 1


class VectorEnv:
    """All users of one sweep point of a scenario, stepped together in the simulator `twinedge run` runs.

    VectorEnv(scenario, seed=None, *, point=None, overrides=None, backend="wasm",
    episode="evaluation", strict_masks=False, **fields)

    - scenario: a scenario file path (trace files resolve against its folder) or a dict.
    - seed: the world of the first reset() without a seed (default 0).
    - point: the sweep point (index, or {axis: value}); required when the scenario sweeps.
    - fields / overrides: scenario fields (see twinedge._scenario.scenario_request).
    - episode: "evaluation" (the scenario's `slots`, `warmupSlots` not counted in metrics(),
      the trial's evaluation episode) or "training" (learning.slotsPerEpisode slots).
    - strict_masks: a masked action of an active agent raises ActionError instead of running
      as action 0 (all local; info["masked"] flags it).

    reset() and step() return arrays over agents (user i is row i):
    obs = {"observation": float32 (m, F), "state": int64 (m,), "action_mask": int8 (m, 7)},
    rewards float64 (m,), terminations / truncations bool (m,), info = {"active": bool (m,)
    (who has a task now), "acted": bool (m,) (who acted in the step: the rewarded ones),
    "masked": bool (m,), "slot": int}.
    """

    def __init__(self, scenario, seed=None, *, point=None, overrides=None, backend="wasm", episode="evaluation", strict_masks=False, **fields):
        req = {"scenario": scenario_request(scenario, point, overrides, fields), "backend": backend, "episode": episode, "strictMasks": bool(strict_masks)}
        if seed is not None and not _is_seed(seed):
            raise ScenarioError(f"seed: expected a non-negative integer or a string, got {seed!r}")
        self._bridge = _bridge.Bridge()
        try:
            info = self._bridge.request_json(_bridge.OP_INIT, req)
        except BaseException:
            self._bridge.close()
            raise
        self.info = info
        self.config = info["config"]
        self.num_agents = info["users"]
        self.num_sites = info["sites"]
        self.num_states = info["states"]
        self.num_actions = info["actions"]
        self.feature_names = tuple(info["features"])
        self.num_features = len(self.feature_names)
        self.episode_slots = info["slots"]
        self.warmup_slots = info["warmupSlots"]
        self.point = info["point"]
        self.policies = tuple(info["policies"])
        self.base_seed = 0 if seed is None else seed
        self.world_seed = None
        self._episodes = 0
        self._active = np.zeros(self.num_agents, dtype=bool)
        self._actions = np.zeros(self.num_agents, dtype=np.int32)
        self._running = False
        self.single_observation_space = spaces.Dict({
            "observation": spaces.Box(0.0, np.inf, (self.num_features,), np.float32),
            "state": spaces.Discrete(self.num_states),
            "action_mask": spaces.Box(0, 1, (ACTIONS,), np.int8),
        })
        self.single_action_space = spaces.Discrete(ACTIONS)
        self.state_space = spaces.Box(-np.inf, np.inf, (3 * self.num_agents + self.num_sites,), np.float64)

    # -- episodes ---------------------------------------------------------------------------

    def reset(self, seed=None):
        """Starts an episode. seed given: that world (a trial's seed gives its world) and a new
        base; no seed: the base seed's world at the first reset, then "<base>/train<k>" worlds
        (k = 0, 1, ...: the trial's training-episode worlds). Returns (obs, info)."""
        if seed is not None:
            if not _is_seed(seed):
                raise ScenarioError(f"seed: expected a non-negative integer or a string, got {seed!r}")
            self.base_seed, self._episodes = seed, 0
            world = seed
        elif self.world_seed is None:
            world = self.base_seed
        else:
            world = f"{self.base_seed}/train{self._episodes}"
            self._episodes += 1
        seed_json = int(world) if isinstance(world, (int, np.integer)) else str(world)
        _, body = self._bridge.request(_bridge.OP_RESET, json.dumps({"seed": seed_json}).encode("utf8"))
        self.world_seed = world
        self._active = np.zeros(self.num_agents, dtype=bool)
        out = self._unpack(body)
        self._running = True
        obs, _, _, _, info = out
        return obs, info

    def step(self, actions):
        """One slot: actions int (m,) in 0..6 (inactive agents' entries are ignored). Returns (obs, rewards, terminations, truncations, info)."""
        if not self._running:
            raise EnvStateError("step: call reset() first" if self.world_seed is None else "step: the episode has ended; call reset()")
        a = np.asarray(actions)
        if a.shape != (self.num_agents,):
            raise ActionError(f"actions: expected shape ({self.num_agents},) (one per agent), got {a.shape}")
        if a.dtype != np.int32 and not np.issubdtype(a.dtype, np.integer):
            if not (np.issubdtype(a.dtype, np.floating) and np.all(np.mod(a, 1) == 0)):
                raise ActionError(f"actions: expected integers in 0..{ACTIONS - 1}, got dtype {a.dtype}")
        bad = (a < 0) | (a >= ACTIONS)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ActionError(f"actions[{i}] (user_{i}): expected an action in 0..{ACTIONS - 1}, got {a[i].item()!r}")
        _, body = self._bridge.request(_bridge.OP_STEP, np.ascontiguousarray(a, dtype="<i4").tobytes())
        return self._unpack(body)

    def step_policy(self, name):
        """One slot decided by the built-in policy `name` (local, random, nearest, greedy), exactly as `twinedge run` runs it. Returns what step returns."""
        if not self._running:
            raise EnvStateError("step_policy: call reset() first" if self.world_seed is None else "step_policy: the episode has ended; call reset()")
        if not isinstance(name, str):
            raise ScenarioError(f"policy: expected one of {', '.join(self.policies)}, got {name!r}")
        _, body = self._bridge.request(_bridge.OP_STEP_POLICY, name.encode("utf8"))
        return self._unpack(body)

    def metrics(self):
        """The ended episode's metrics: the record `twinedge run` writes as trials/<id>.json "metrics"."""
        _, body = self._bridge.request(_bridge.OP_METRICS)
        return json.loads(body.decode("utf8"))

    def state(self):
        """The global (true) state, float64: x (m), y (m) in metres, serving cells (m), then each site's load measured last slot (sites)."""
        _, body = self._bridge.request(_bridge.OP_STATE)
        return np.frombuffer(body, dtype="<f8")

    def random_actions(self, obs, rng):
        """A uniformly random allowed action per agent (numpy Generator `rng`), vectorised."""
        mask = obs["action_mask"]
        u = rng.random(mask.shape) * mask
        return u.argmax(axis=1).astype(np.int32)

    def close(self):
        """Stops the simulator process (also done when the environment is collected or Python exits)."""
        self._running = False
        self._bridge.close()

    @property
    def closed(self):
        return self._bridge.closed

    @property
    def pid(self):
        """The simulator process's id."""
        return self._bridge.pid

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- replies ----------------------------------------------------------------------------

    def _unpack(self, body):
        head = np.frombuffer(body, dtype="<i4", count=4)
        slot, flags, m, f = (int(x) for x in head)
        at = 16
        rewards = np.frombuffer(body, dtype="<f8", count=m, offset=at)
        at += 8 * m
        features = np.frombuffer(body, dtype="<f4", count=m * f, offset=at).reshape(m, f)
        at += 4 * m * f
        state = np.frombuffer(body, dtype="<i4", count=m, offset=at).astype(np.int64)
        at += 4 * m
        mask = np.frombuffer(body, dtype=np.int8, count=m * ACTIONS, offset=at).reshape(m, ACTIONS)
        at += ACTIONS * m
        active = np.frombuffer(body, dtype=np.uint8, count=m, offset=at).view(bool)
        at += m
        masked = np.frombuffer(body, dtype=np.uint8, count=m, offset=at).view(bool)
        done = bool(flags & DONE)
        if done:
            self._running = False
        acted, self._active = self._active, active
        obs = {"observation": features, "state": state, "action_mask": mask}
        info = {"active": active, "acted": acted, "masked": masked, "slot": slot}
        return obs, rewards, np.zeros(m, dtype=bool), np.full(m, done), info


def _is_seed(seed):
    if isinstance(seed, bool):
        return False
    if isinstance(seed, (int, np.integer)):
        return 0 <= int(seed) <= 2**53 - 1
    return isinstance(seed, str) and 0 < len(seed) <= 200

