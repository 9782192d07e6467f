"""Random-action stepping at 750 agents: the Python bridge (vectorised, and PettingZoo dicts)
against the same environment stepped from Node, in one run (docs/python.md "Performance").

Each round runs one evaluation episode (200 slots) of each way, in rotating order, on the
same scenario point; the figures are medians over rounds of agent-steps per second (agents x
slots / wall time of the episode, reset included). Needs `npm run build` and the package.

    python3 bench/python_env_bench.py [--scenario scenarios/paper-fig5.json] [--point 4] [--rounds 7]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import twinedge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class NodeStepper:
    """bench/env-step.bench.ts: one Node process, one timed episode per request (as warm as the env-server)."""

    def __init__(self, scenario, point):
        self.proc = subprocess.Popen(["node", os.path.join(ROOT, "dist", "bench", "env-step.bench.js"), scenario, str(point)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)

    def round(self, seed):
        self.proc.stdin.write(f"{seed}\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["agentStepsPerS"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def vector_round(env, rng, seed):
    t0 = time.perf_counter()
    obs, info = env.reset(seed=seed)
    slots = 0
    while True:
        obs, rewards, terms, truncs, info = env.step(env.random_actions(obs, rng))
        slots += 1
        if truncs[0]:
            break
    return env.num_agents * slots / (time.perf_counter() - t0)


def pettingzoo_round(env, rng, seed, sample=False, max_slots=None):
    vec = env.vec
    t0 = time.perf_counter()
    observations, infos = env.reset(seed=seed)
    slots = 0
    while env.agents and (max_slots is None or slots < max_slots):
        if sample:
            actions = {a: env.action_space(a).sample(observations[a]["action_mask"]) for a in env.agents}
        else:
            # The same vectorised draw as vector_round, handed over as a dict.
            masks = np.stack([observations[a]["action_mask"] for a in env.possible_agents])
            actions = dict(zip(env.agents, vec.random_actions({"action_mask": masks}, rng).tolist()))
        observations, rewards, terms, truncs, infos = env.step(actions)
        slots += 1
    return len(env.possible_agents) * slots / (time.perf_counter() - t0)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=os.path.join(ROOT, "scenarios", "paper-fig5.json"))
    p.add_argument("--point", type=int, default=4, help="sweep point index (paper-fig5: 4 = users.perSite 50, 750 agents)")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--sample-slots", type=int, default=20, help="slots per round of the per-agent action_space.sample variant")
    a = p.parse_args(argv)
    vec = twinedge.VectorEnv(a.scenario, point=a.point)
    pz = twinedge.parallel_env(a.scenario, point=a.point)
    node = NodeStepper(a.scenario, a.point)
    rng = np.random.default_rng(0)
    ways = {
        "node": lambda r: node.round(r + 1),
        "python-vector": lambda r: vector_round(vec, rng, r + 1),
        "python-pettingzoo": lambda r: pettingzoo_round(pz, rng, r + 1),
        "python-pettingzoo-sample": lambda r: pettingzoo_round(pz, rng, r + 1, sample=True, max_slots=a.sample_slots),
    }
    names = list(ways)
    rates = {n: [] for n in names}
    vector_round(vec, rng, 99)  # warm-up: first episode compiles the kernels' hot paths
    pettingzoo_round(pz, rng, 99, max_slots=20)
    for r in range(a.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            rates[n].append(ways[n](r))
    vec.close()
    pz.close()
    node.close()
    out = {"agents": vec.num_agents, "slots": vec.episode_slots, "rounds": a.rounds, "cpu": os.cpu_count(), "python": sys.version.split()[0],
           "medianAgentStepsPerS": {n: round(statistics.median(v)) for n, v in rates.items()},
           "allRounds": {n: [round(x) for x in v] for n, v in rates.items()}}
    print(json.dumps(out, indent=1))
    for n in names:
        print(f"{n:<26} {statistics.median(rates[n]) / 1e6:8.3f} M agent-steps/s (median of {a.rounds}; min {min(rates[n]) / 1e6:.3f}, max {max(rates[n]) / 1e6:.3f})")
    return out


if __name__ == "__main__":
    main()
