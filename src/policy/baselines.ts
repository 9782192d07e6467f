// Baselines: all-local, random (the paper's), nearest-site full offload, greedy.
import type { Observation } from "../twin/twin-layer.js";
import { expectedInterferenceMw, expectedRateBps, rateBps, rxMw } from "../twin/estimate.js";
import type { Decisions } from "../contracts/decisions.js";
import type { Policy, PolicyContext } from "./policy.js";

/** Every task runs on its user's CPU (theta = 1): the paper's local computing scheme. */
export class LocalPolicy implements Policy {
  readonly name = "local";
  act(): void {}
}

/**
 * The paper's random scheme: theta uniform among the allowed fractions; when something is
 * uploaded, a site uniform among those the twin expects to be feasible (rate >= minimum).
 * With no feasible site the task stays local.
 */
export class RandomPolicy implements Policy {
  readonly name = "random";
  private feasible: Int32Array = new Int32Array(0);
  constructor(private readonly ctx: PolicyContext) {}

  act(obs: Observation, out: Decisions): void {
    const { rng, localFractions, channel } = this.ctx;
    const n = obs.sites.count;
    if (this.feasible.length < n) this.feasible = new Int32Array(n);
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i]) continue;
      const theta = localFractions[Math.floor(rng() * localFractions.length)];
      if (theta >= 1) continue;
      let count = 0;
      for (let j = 0; j < n; j++) if (expectedRateBps(obs, this.ctx, i, j) >= channel.minRateBps) this.feasible[count++] = j;
      if (count === 0) continue;
      out.theta[i] = theta;
      out.server[i] = this.feasible[Math.floor(rng() * count)];
    }
  }
}

/** Full offload to the serving (nearest) site when the twin expects it feasible, else local. */
export class NearestPolicy implements Policy {
  readonly name = "nearest";
  constructor(private readonly ctx: PolicyContext) {}

  act(obs: Observation, out: Decisions): void {
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i]) continue;
      const j = obs.serving[i];
      if (expectedRateBps(obs, this.ctx, i, j) < this.ctx.channel.minRateBps) continue;
      out.theta[i] = 0;
      out.server[i] = j;
    }
  }
}

/**
 * Greedy: active users in index order each take the (theta, site) of least estimated
 * T_proc = max(T_local, T_trans + T_exe) given the loads so far: the interference of the
 * uploads already placed (eq. 4) and an equal CPU share among the users already placed at the
 * site plus this one (C2), each plus the twin's expectation of the users still to choose
 * (last slot's measured interference and load at the site, scaled by the share of this
 * slot's users not yet placed). Without that expectation the first users see an empty
 * network and everyone over-offloads; with it greedy beats all-local at every load tried.
 */
export class GreedyPolicy implements Policy {
  readonly name = "greedy";
  private rx = new Float64Array(0);
  private own = new Float64Array(0);
  private load = new Int32Array(0);
  private signal = new Float64Array(0);
  constructor(private readonly ctx: PolicyContext) {}

  act(obs: Observation, out: Decisions): void {
    const n = obs.sites.count;
    const { channel, localFractions } = this.ctx;
    if (this.rx.length < n) {
      this.rx = new Float64Array(n);
      this.own = new Float64Array(n);
      this.load = new Int32Array(n);
      this.signal = new Float64Array(n);
    }
    this.rx.fill(0);
    this.own.fill(0);
    this.load.fill(0);
    const orthogonal = channel.interference === "orthogonal";
    let total = 0;
    for (let i = 0; i < obs.users; i++) total += obs.active[i];
    let placed = 0;
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i]) continue;
      const rest = (total - 1 - placed++) / total; // share of the others still to choose
      const work = obs.cyclesPerBit[i] * obs.bits[i];
      let bestT = work / obs.userCpuHz[i];
      let bestTheta = 1, bestSite = -1;
      for (let j = 0; j < n; j++) {
        const s = (this.signal[j] = rxMw(obs, i, j, channel.dMinM));
        const rate = rateBps(this.ctx, s, (orthogonal ? this.rx[j] - this.own[j] : this.rx[j]) + rest * expectedInterferenceMw(obs, this.ctx, j));
        if (rate < channel.minRateBps) continue;
        const fEdge = obs.sites.cpuHz[j] / (this.load[j] + 1 + rest * obs.siteLoad[j]);
        for (const theta of localFractions) {
          if (theta >= 1) continue;
          const t = Math.max((work * theta) / obs.userCpuHz[i], (obs.bits[i] * (1 - theta)) / rate + (work * (1 - theta)) / fEdge);
          if (t < bestT) {
            bestT = t;
            bestTheta = theta;
            bestSite = j;
          }
        }
      }
      if (bestSite < 0) continue;
      out.theta[i] = bestTheta;
      out.server[i] = bestSite;
      this.load[bestSite]++;
      for (let j = 0; j < n; j++) this.rx[j] += this.signal[j];
      if (orthogonal) this.own[bestSite] += this.signal[bestSite];
    }
  }
}
