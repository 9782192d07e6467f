"""A random agent through the twinedge PettingZoo environment, beside the built-in baselines.

Each agent with a task picks a uniformly random allowed action (PettingZoo's masked sampling);
the episode's metrics are the record `twinedge run` writes for a trial, so they compare
directly with the built-in `local` and `greedy` on the same world (same seed).

    python examples/python/random_agent.py [scenario.json] [--seed 1] [--users-per-site 10] [--slots 60]
"""

import argparse
import os

import twinedge

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", nargs="?", default=os.path.join(HERE, "..", "..", "scenarios", "quick.json"))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--users-per-site", type=int, default=None)
    p.add_argument("--slots", type=int, default=None)
    a = p.parse_args(argv)
    fields = {}
    if a.users_per_site is not None:
        fields["users__perSite"] = a.users_per_site
    if a.slots is not None:
        fields["slots"] = a.slots

    env = twinedge.parallel_env(a.scenario, seed=a.seed, **fields)
    observations, infos = env.reset(seed=a.seed)
    for agent in env.possible_agents:  # reproducible sampling
        env.action_space(agent).seed(a.seed * 100_003 + int(agent.split("_")[1]))
    total, acted = 0.0, 0
    while env.agents:
        actions = {agent: env.action_space(agent).sample(observations[agent]["action_mask"]) for agent in env.agents}
        observations, rewards, terminations, truncations, infos_next = env.step(actions)
        acted += sum(infos[agent]["active"] for agent in env.possible_agents)
        total += sum(rewards.values())
        infos = infos_next
    mine = env.metrics()
    env.close()

    # The built-in baselines on the same world, stepped by the same environment.
    base = {}
    with twinedge.VectorEnv(a.scenario, seed=a.seed, **fields) as vec:
        for policy in ("local", "greedy"):
            vec.reset(seed=a.seed)
            while not vec.step_policy(policy)[3][0]:
                pass
            base[policy] = vec.metrics()

    print(f"{len(env.possible_agents)} agents, {acted} decisions, mean reward {total / max(acted, 1):.4f}")
    print(f"{'policy':<8} {'latencyS':>10} {'responseS':>10} {'offloadRatio':>12}")
    for name, m in [("random*", mine), *base.items()]:
        print(f"{name:<8} {m['latencyS']:>10.4f} {m['responseS']:>10.4f} {m['offloadRatio']:>12.3f}")
    print("* uniformly random allowed actions from Python (the built-in `random` draws over all fractions and feasible sites)")
    return mine, base


if __name__ == "__main__":
    main()
