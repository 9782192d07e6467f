"""A parameter-shared DQN over twinedge's vectorised environment, against greedy, optimum, il and jal.

One network for all agents: the input is an active agent's observation (the 8 twin features,
standardised), its action mask and a one-hot of its cell; the output is 7 Q-values, masked by
the action mask. The problem is a contextual bandit: no action changes the next state
(docs/model.md, "Learning"), so, like the tabular learners' default (learning.gamma = 0), the
target is the reward alone, Q(x, a) -> E[r | x, a], and no target network or bootstrap is
needed. The reward is the environment's (the scenario's learning.reward / rewardForm: by
default the cell's mean -T_proc, the learners' team reward; --reward agent uses each agent's own).

Training runs on the trials' training worlds "<seed>/train<k>" (episode k of the pool goes to
seed seeds[k % n], its (k // n)-th training world; learning.slotsPerEpisode slots each), never on
an evaluation world. Evaluation runs the frozen, greedy network on the worlds of the trial
seeds (reset(seed=s), the scenario's slots and warm-up), and `metrics()` gives the trial
record's metrics. In the meantime `twinedge run` runs greedy, optimum, il and jal on a scenario
with the same resolved configuration and the same seeds (in a Node subprocess, beside the
training); the script prints the mean latency per policy and the paired differences
DQN - each, defined as the project's paired.csv (src/results/paired.ts).

Deterministic on CPU: torch.manual_seed, numpy Generators seeded from --torch-seed, one torch
thread (torch.set_num_threads(1)), torch.use_deterministic_algorithms(True); the environment is
deterministic per seed. Same command, same numbers.

    python examples/python/train_dqn.py                      # paper-fig5 at users.perSite 30, 10 seeds
    python examples/python/train_dqn.py --scenario scenarios/quick.json --episodes 100
    python examples/python/train_dqn.py --episodes 2 --seeds 1,2 --slots 20 --learner-episodes 5   # a smoke run

Outputs (in --out): comparison.csv (the printed table), paired.csv (DQN - each reference, every
metric, paired.csv's columns), dqn-trials.csv (the DQN's metrics per seed), training.csv (per
training episode), baselines/ (the `twinedge run` result folder), model.pt.
"""

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

import twinedge
from twinedge._bridge import find_home, find_node

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BASELINES = ("greedy", "optimum", "il", "jal")
ACTIONS = 7
SHOWN_METRICS = ("latencyS", "responseS", "deadlineMissRate", "offloadRatio")


# -- paired differences (as src/results/paired.ts and src/results/stats.ts) ------------------

def running_mean(xs):
    """The arithmetic mean as stats.ts computes it (running update); NaN for an empty sample."""
    m = 0.0
    for k, x in enumerate(xs):
        m += (x - m) / (k + 1)
    if len(xs) == 0:
        return math.nan
    return m if math.isfinite(m) else sum(xs) / len(xs)


def sample_sd(xs):
    """Bessel-corrected sample sd, corrected two-pass (stats.ts sampleSd); NaN for n < 2."""
    n = len(xs)
    if n < 2:
        return math.nan
    m = running_mean(xs)
    d = [x - m for x in xs]
    ss = sum(v * v for v in d) - sum(d) ** 2 / n
    return math.sqrt(max(ss, 0.0) / (n - 1))


def _t_two_sided(t, df):
    """P(|T| < t) for Student's t with integer df >= 1 (Abramowitz & Stegun 26.7.3-4, exact)."""
    theta = math.atan(t / math.sqrt(df))
    s, c2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 1:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c2 * (2 * k) / (2 * k + 1)
        return 2 / math.pi * (theta + s * total) if df > 1 else 2 / math.pi * theta
    total, term = 0.0, 1.0
    for k in range(1, df // 2 + 1):
        total += term
        term *= c2 * (2 * k - 1) / (2 * k)
    return s * total


def t_quantile_975(df):
    """t_{0.975, df}, the two-sided 95 % quantile, for integer df >= 1 (bisection on the exact CDF)."""
    if df < 1 or int(df) != df:
        raise ValueError(f"df: expected an integer >= 1, got {df!r}")
    lo, hi = 0.0, 1.0
    while _t_two_sided(hi, int(df)) < 0.95:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        lo, hi = (mid, hi) if _t_two_sided(mid, int(df)) < 0.95 else (lo, mid)
    return (lo + hi) / 2


def summarize(xs):
    """n, mean, sd and the 95 % Student-t interval of the mean (stats.ts summarize)."""
    n, m = len(xs), running_mean(xs)
    if n < 2:
        return {"n": n, "mean": m, "sd": math.nan, "ci95Low": math.nan, "ci95High": math.nan}
    sd = sample_sd(xs)
    half = t_quantile_975(n - 1) * sd / math.sqrt(n)
    return {"n": n, "mean": m, "sd": sd, "ci95Low": m - half, "ci95High": m + half}


def paired(mine, theirs):
    """The paired differences mine - theirs over the seeds both have with finite values (dicts
    seed -> value), as a paired.csv row: n, meanDiff, sdDiff, ci95Low, ci95High, shareLower
    (the share of seeds where mine is strictly lower; NaN when n = 0)."""
    diffs, lower = [], 0
    for seed, x in mine.items():
        y = theirs.get(seed)
        if not _finite(x) or not _finite(y):
            continue
        diffs.append(x - y)
        lower += x < y
    s = summarize(diffs)
    return {"n": s["n"], "meanDiff": s["mean"], "sdDiff": s["sd"], "ci95Low": s["ci95Low"], "ci95High": s["ci95High"],
            "shareLower": lower / len(diffs) if diffs else math.nan}


def _finite(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


# -- the network and its inputs ----------------------------------------------------------------

class QNet(nn.Module):
    """The shared Q-network: inputs -> 7 Q-values."""

    def __init__(self, inputs, hidden):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, ACTIONS))

    def forward(self, x):
        return self.body(x)


class Inputs:
    """An active agent's network input: standardised features (without `active`), the action mask, a one-hot of its cell."""

    def __init__(self, num_features, num_sites, states_per_cell):
        self.num_sites, self.states_per_cell = num_sites, states_per_cell
        self.mean = np.zeros(num_features - 1, dtype=np.float32)
        self.scale = np.ones(num_features - 1, dtype=np.float32)
        self.size = (num_features - 1) + ACTIONS + num_sites

    def fit(self, feats):
        """Freezes the standardisation on a sample of raw features (rows of active agents)."""
        x = feats[:, 1:].astype(np.float64)
        self.mean = x.mean(axis=0).astype(np.float32)
        sd = x.std(axis=0)
        self.scale = np.where(sd > 1e-9, 1 / np.maximum(sd, 1e-9), 1.0).astype(np.float32)

    def __call__(self, feats, mask, state):
        cell = state // self.states_per_cell
        onehot = np.zeros((len(cell), self.num_sites), dtype=np.float32)
        onehot[np.arange(len(cell)), cell] = 1
        return np.concatenate([(feats[:, 1:] - self.mean) * self.scale, mask.astype(np.float32), onehot], axis=1)

    def state_dict(self):
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist()}


def masked_greedy(q, mask):
    """argmax of Q over the allowed actions (mask int8/bool (k, 7))."""
    return torch.where(torch.as_tensor(mask, dtype=torch.bool), q, torch.tensor(-math.inf)).argmax(dim=1).numpy()


class Replay:
    """A ring buffer of one-step transitions (input, action, reward) of active agents."""

    def __init__(self, capacity, inputs):
        self.x = np.zeros((capacity, inputs), dtype=np.float32)
        self.a = np.zeros(capacity, dtype=np.int64)
        self.r = np.zeros(capacity, dtype=np.float32)
        self.capacity, self.size, self.at = capacity, 0, 0

    def add(self, x, a, r):
        for j in range(0, len(a), self.capacity):  # more rows than the capacity: keep the last ones
            xs, as_, rs = x[j:j + self.capacity], a[j:j + self.capacity], r[j:j + self.capacity]
            k = len(as_)
            idx = (self.at + np.arange(k)) % self.capacity
            self.x[idx], self.a[idx], self.r[idx] = xs, as_, rs
            self.at = (self.at + k) % self.capacity
            self.size = min(self.size + k, self.capacity)

    def sample(self, rng, batch):
        i = rng.integers(0, self.size, size=batch)
        return torch.from_numpy(self.x[i]), torch.from_numpy(self.a[i]), torch.from_numpy(self.r[i])


# -- training and evaluation -------------------------------------------------------------------

def epsilon_at(a, episode):
    """Linear decay from --epsilon-start to --epsilon-end over the first --decay-share of the episodes (as the learners)."""
    span = max(1, round(a.decay_share * a.episodes))
    return a.epsilon_end if episode >= span else a.epsilon_start + (a.epsilon_end - a.epsilon_start) * episode / span


def train(a, env, seeds, log):
    """Trains the shared network on the training worlds; returns (net, inputs, training rows)."""
    rng = np.random.default_rng(a.torch_seed)
    inputs = Inputs(env.num_features, env.num_sites, env.num_states // env.num_sites)
    net = QNet(inputs.size, a.hidden)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    replay = Replay(a.replay, inputs.size)
    rows, fitted = [], False
    for ep in range(a.episodes):
        eps = epsilon_at(a, ep)
        for group in opt.param_groups:  # the step size falls linearly from --lr to --lr-end over the episodes
            group["lr"] = a.lr + (a.lr_end - a.lr) * ep / max(1, a.episodes - 1)
        world = f"{seeds[ep % len(seeds)]}/train{ep // len(seeds)}"
        obs, info = env.reset(seed=world)
        if not fitted:  # standardise on the first training world's observations (random-action stepping, no learning)
            feats = [obs["observation"][info["active"]]]
            probe_rng = np.random.default_rng(a.torch_seed + 1)
            done = False
            while not done:
                obs, _, _, trunc, info = env.step(env.random_actions(obs, probe_rng))
                feats.append(obs["observation"][info["active"]])
                done = bool(trunc[0])
            inputs.fit(np.concatenate(feats))
            fitted = True
            obs, info = env.reset(seed=world)
        done, reward_sum, decisions, loss_sum, updates = False, 0.0, 0, 0.0, 0
        while not done:
            idx = np.flatnonzero(info["active"])
            mask = obs["action_mask"][idx]
            x = inputs(obs["observation"][idx], mask, obs["state"][idx])
            with torch.no_grad():
                chosen = masked_greedy(net(torch.from_numpy(x)), mask) if len(idx) else np.zeros(0, dtype=np.int64)
            explore = rng.random(len(idx)) < eps
            if explore.any():
                u = rng.random((int(explore.sum()), ACTIONS)) * mask[explore]
                chosen[explore] = u.argmax(axis=1)
            actions = np.zeros(env.num_agents, dtype=np.int32)
            actions[idx] = chosen
            obs, rewards, _, trunc, info = env.step(actions)
            done = bool(trunc[0])
            ran = np.where(info["masked"][idx], 0, chosen)  # a masked action runs as action 0
            replay.add(x, ran, rewards[idx].astype(np.float32))
            reward_sum += float(rewards[idx].sum())
            decisions += len(idx)
            if replay.size >= a.batch:
                for _ in range(a.updates_per_slot):
                    bx, ba, br = replay.sample(rng, a.batch)
                    q = net(bx).gather(1, ba[:, None])[:, 0]
                    loss = nn.functional.smooth_l1_loss(q, br)  # gamma = 0: the target is the reward
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    loss_sum += loss.item()
                    updates += 1
        rows.append({"episode": ep, "world": world, "epsilon": eps, "decisions": decisions,
                     "meanReward": reward_sum / decisions if decisions else math.nan,
                     "meanLoss": loss_sum / updates if updates else math.nan})
        if log and (ep + 1) % max(1, a.episodes // 10) == 0:
            recent = rows[-max(1, a.episodes // 10):]
            print(f"  episode {ep + 1}/{a.episodes}  epsilon {eps:.3f}  mean reward {np.nanmean([r['meanReward'] for r in recent]):.4f}"
                  f"  loss {np.nanmean([r['meanLoss'] for r in recent]):.5f}", flush=True)
    return net, inputs, rows


def evaluate(env, net, inputs, seeds):
    """The frozen, greedy network on each trial seed's world; {seed: metrics record}."""
    out = {}
    for s in seeds:
        obs, info = env.reset(seed=s)
        done = False
        while not done:
            idx = np.flatnonzero(info["active"])
            actions = np.zeros(env.num_agents, dtype=np.int32)
            if len(idx):
                mask = obs["action_mask"][idx]
                with torch.no_grad():
                    actions[idx] = masked_greedy(net(torch.from_numpy(inputs(obs["observation"][idx], mask, obs["state"][idx]))), mask)
            obs, _, _, trunc, info = env.step(actions)
            done = bool(trunc[0])
        out[s] = env.metrics()
    return out


# -- the baselines through `twinedge run` --------------------------------------------------------

def baseline_scenario(env, a, seeds):
    """The scenario `twinedge run` runs for the baselines: the environment's resolved configuration (so the same worlds), the same seeds."""
    config = json.loads(json.dumps(env.config))
    if a.learner_episodes is not None:
        config["learning"]["episodes"] = a.learner_episodes
    mobility = config.get("mobility") or {}
    if mobility.get("model") == "trace":  # the trace file is relative to the scenario's folder; the copy lies elsewhere
        mobility["file"] = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(a.scenario)), mobility["file"]))
    return {"name": "train-dqn-baselines", "description": "the baselines of examples/python/train_dqn.py, written by it",
            "seeds": list(seeds), "policies": list(BASELINES), **config}


def start_baselines(a, scenario, out):
    """Writes the scenario and starts `twinedge run` on it (a subprocess); returns (popen, result folder).
    The folder is named by the scenario's hash, so a rerun with the same scenario resumes (reuses) it."""
    text = json.dumps(scenario, indent=1, sort_keys=True)
    folder = os.path.join(out, "baselines-" + hashlib.sha256(text.encode()).hexdigest()[:12])
    path = os.path.join(out, "baselines-scenario.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    cmd = [find_node(), os.path.join(find_home(), "bin", "twinedge.js"), "run", path, "--out", folder,
           "--threads", str(a.cli_threads), "--no-figures", "--quiet", "--backend", a.backend]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), folder


def finish_baselines(proc, folder):
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"twinedge run failed ({proc.returncode}): {err.strip() or out.strip()}")
    return twinedge.load_results(folder)


# -- the report ------------------------------------------------------------------------------

def comparison(dqn, results, seeds):
    """Rows of the table: per policy its mean latency (95 % interval) and DQN - policy paired."""
    trials = results.trials
    per_policy = {"dqn": {s: dqn[s] for s in seeds}}
    for p in BASELINES:
        t = trials[(trials["policy"] == p) & (trials["status"] == "ok")]
        per_policy[p] = {int(r["seed"]): {m: _cell(r.get(m)) for m in dqn[seeds[0]].keys()} for _, r in t.iterrows()}
        missing = [s for s in seeds if s not in per_policy[p]]
        if missing:
            raise RuntimeError(f"twinedge run: no ok trial of {p} for seeds {missing}")
    table, pairs = [], []
    for p, by_seed in per_policy.items():
        lat = {s: by_seed[s]["latencyS"] for s in seeds}
        row = {"policy": p, **{f"{k}": v for k, v in summarize([v for v in lat.values() if _finite(v)]).items() if k != "sd"}}
        if p != "dqn":
            d = paired({s: dqn[s]["latencyS"] for s in seeds}, lat)
            row.update({f"dqnMinus_{k}": v for k, v in d.items() if k != "n"})
            for metric in dqn[seeds[0]].keys():
                pr = paired({s: dqn[s][metric] for s in seeds}, {s: by_seed[s].get(metric) for s in seeds})
                pairs.append({"policy": "dqn", "reference": p, "metric": metric, **pr})
        table.append(row)
    return table, pairs, per_policy


def _cell(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def write_csv(path, rows):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        names = list(dict.fromkeys(k for r in rows for k in r))
        w = csv.DictWriter(f, fieldnames=names, restval="")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()})


def print_table(table, n):
    print(f"\nmean latencyS per policy over {n} seeds, and the paired differences DQN - policy (s):")
    print(f"{'policy':<8} {'latencyS':>9} {'95% CI':>20}   {'DQN-p mean':>10} {'sd':>8} {'95% CI':>22} {'DQN lower':>9}")
    for r in table:
        ci = f"[{r['ci95Low']:.4f}, {r['ci95High']:.4f}]" if _finite(r["ci95Low"]) else "-"
        line = f"{r['policy']:<8} {r['mean']:>9.4f} {ci:>20}"
        if "dqnMinus_meanDiff" in r:
            dci = f"[{r['dqnMinus_ci95Low']:+.4f}, {r['dqnMinus_ci95High']:+.4f}]" if _finite(r["dqnMinus_ci95Low"]) else "-"
            sd = f"{r['dqnMinus_sdDiff']:.4f}" if _finite(r["dqnMinus_sdDiff"]) else "-"
            line += f"   {r['dqnMinus_meanDiff']:>+10.4f} {sd:>8} {dci:>22} {r['dqnMinus_shareLower']:>9.2f}"
        print(line)


def _seeds(text):
    try:
        seeds = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated non-negative integers, got {text!r}") from None
    if any(x < 0 for x in seeds) or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"expected distinct non-negative integers, got {text!r}")
    return seeds


def _point(text):
    axis, eq, value = text.partition("=")
    try:
        if not eq or not axis:
            raise ValueError
        return axis, json.loads(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected AXIS=VALUE (e.g. users.perSite=30), got {text!r}") from None


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default=os.path.join(ROOT, "scenarios", "paper-fig5.json"), help="scenario file (default: scenarios/paper-fig5.json)")
    p.add_argument("--point", action="append", default=None, metavar="AXIS=VALUE", type=_point,
                   help="sweep point of a sweeping scenario (default for paper-fig5: users.perSite=30)")
    p.add_argument("--seeds", default=None, type=_seeds, help="evaluation seeds, e.g. 1,2,3 (default: the scenario's)")
    p.add_argument("--slots", type=int, default=None, help="evaluation slots (default: the scenario's)")
    p.add_argument("--warmup-slots", type=int, default=None, help="evaluation warm-up slots (default: the scenario's)")
    p.add_argument("--episodes", type=int, default=300, help="DQN training episodes of learning.slotsPerEpisode slots (default 300)")
    p.add_argument("--learner-episodes", type=int, default=None, help="il/jal training episodes in `twinedge run` (default: the scenario's learning.episodes)")
    p.add_argument("--reward", choices=("scenario", "team", "agent"), default="scenario",
                   help="the DQN's reward: the scenario's learning.reward (default), or team / agent for the DQN only")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's step size at the first episode (default 1e-3)")
    p.add_argument("--lr-end", type=float, default=1e-4, help="... falling linearly to this at the last (default 1e-4)")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--replay", type=int, default=200_000, help="replay capacity, transitions")
    p.add_argument("--updates-per-slot", type=int, default=2)
    p.add_argument("--epsilon-start", type=float, default=1.0)
    p.add_argument("--epsilon-end", type=float, default=0.05)
    p.add_argument("--decay-share", type=float, default=0.5)
    p.add_argument("--torch-seed", type=int, default=0, help="seeds torch and the exploration (default 0)")
    p.add_argument("--torch-threads", type=int, default=1, help="torch threads (default 1; the baselines run beside)")
    p.add_argument("--cli-threads", type=int, default=1, help="worker threads of `twinedge run` (default 1; the DQN uses the other core)")
    p.add_argument("--backend", choices=("wasm", "js"), default="wasm")
    p.add_argument("--out", default=os.path.join("results", "train-dqn"), help="output folder (default results/train-dqn)")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    for name in ("episodes", "batch", "replay", "hidden", "updates_per_slot", "torch_threads", "cli_threads"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')}: expected a positive integer, got {getattr(a, name)}")
    return a


def env_kwargs(a):
    """The environment's scenario, sweep point and fields from the options."""
    with open(a.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    point = None
    if a.point:
        point = dict(a.point)
    elif "sweep" in scenario and os.path.basename(a.scenario) == "paper-fig5.json":
        point = {"users.perSite": 30}
    fields = {}
    if a.slots is not None:
        fields["slots"] = a.slots
    if a.warmup_slots is not None:
        fields["warmupSlots"] = a.warmup_slots
    seeds = scenario.get("seeds", 3)
    if a.seeds:
        seeds = a.seeds
    elif isinstance(seeds, int):
        seeds = list(range(1, seeds + 1))
    return scenario, point, fields, seeds


def main(argv=None):
    a = parse_args(argv)
    torch.manual_seed(a.torch_seed)
    torch.set_num_threads(a.torch_threads)
    torch.use_deterministic_algorithms(True)
    os.makedirs(a.out, exist_ok=True)
    _, point, fields, seeds = env_kwargs(a)
    log = not a.quiet
    t0 = time.time()

    eval_env = twinedge.VectorEnv(a.scenario, point=point, backend=a.backend, **fields)
    train_fields = dict(fields)
    if a.reward != "scenario":
        train_fields["learning"] = {"reward": a.reward}
    train_env = twinedge.VectorEnv(a.scenario, point=point, backend=a.backend, episode="training", **train_fields)
    scenario = baseline_scenario(eval_env, a, seeds)
    proc, folder = start_baselines(a, scenario, a.out)
    try:
        if log:
            print(f"{a.scenario} point {eval_env.point}: {eval_env.num_agents} agents, {eval_env.num_sites} sites; seeds {seeds}; "
                  f"evaluation {eval_env.episode_slots} slots ({eval_env.warmup_slots} warm-up); training {a.episodes} episodes of "
                  f"{train_env.episode_slots} slots; baselines in {folder}", flush=True)
        net, inputs, rows = train(a, train_env, seeds, log)
        t_train = time.time() - t0
        dqn = evaluate(eval_env, net, inputs, seeds)
        # The same worlds: greedy stepped by this environment equals the CLI's greedy trial, seed by seed.
        greedy_env = {}
        for s in seeds:
            eval_env.reset(seed=s)
            while not eval_env.step_policy("greedy")[3][0]:
                pass
            greedy_env[s] = eval_env.metrics()["latencyS"]
        t_dqn = time.time() - t0
        results = finish_baselines(proc, folder)
    except BaseException:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raise
    finally:
        eval_env.close()
        train_env.close()
    t_all = time.time() - t0
    g = results.trials[results.trials["policy"] == "greedy"].set_index("seed")["latencyS"]
    bad = [s for s in seeds if float(g[s]) != greedy_env[s]]
    if bad:
        raise RuntimeError(f"the environment's greedy differs from `twinedge run`'s on seeds {bad}: not the same worlds")

    table, pairs, per_policy = comparison(dqn, results, seeds)
    write_csv(os.path.join(a.out, "training.csv"), rows)
    write_csv(os.path.join(a.out, "dqn-trials.csv"), [{"policy": "dqn", "seed": s, **dqn[s]} for s in seeds])
    write_csv(os.path.join(a.out, "comparison.csv"), table)
    write_csv(os.path.join(a.out, "paired.csv"), pairs)
    torch.save({"state_dict": net.state_dict(), "inputs": inputs.state_dict(), "args": vars(a)}, os.path.join(a.out, "model.pt"))
    print_table(table, len(seeds))
    for m in SHOWN_METRICS[1:]:
        vals = "  ".join(f"{p} {running_mean([v[s][m] for s in seeds if _finite(v[s].get(m))]):.4f}" for p, v in per_policy.items())
        print(f"  {m}: {vals}")
    print(f"wall time: {t_all:.0f} s (DQN training {t_train:.0f} s, DQN done at {t_dqn:.0f} s; `twinedge run` of the baselines beside it); "
          f"greedy via the environment equals `twinedge run` on every seed; outputs in {a.out}")
    return {"table": table, "pairs": pairs, "dqn": dqn, "training": rows, "baselines": folder}


if __name__ == "__main__":
    main()
