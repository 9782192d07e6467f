// The stochastic game's state and action spaces (paper IV-C), as the learners see them
// through the twin: a compact, documented discretisation.
//
// State of agent i (one integer): its cell (N), its distance from the cell's site in 6 bins
// (< 0.3, < 0.5, < 0.7, < 0.85, < 1, >= 1 cell-scales, a cell-scale being half the mean site
// spacing: the uplink rate falls steeply with distance, eq. 3-4), its cell's
// load (other users with a task in the cell this slot: 0-1, 2-3, 4-6, 7+) and its task's size
// (terciles of the size distribution): N x 6 x 4 x 3 states.
// Actions (7): 0 all local; 1-3 partial offload to the serving site with local fraction
// 0.75, 0.5, 0.25; 4 full offload to the serving site; 5-6 full offload to the closest and
// second-closest other sites. An action that uploads to a site the twin expects to be below
// the minimum rate is masked.
import type { TrialConfig } from "../scenario/schema.js";
import { expectedRateBps, type EstimateContext } from "../twin/estimate.js";
import type { Observation } from "../twin/twin-layer.js";

export const ACTIONS = 7;
const ACTION_THETA = [1, 0.75, 0.5, 0.25, 0, 0, 0] as const;
const DIST_BINS = 6, LOAD_BINS = 4, SIZE_BINS = 3;
export const STATES_PER_CELL = DIST_BINS * LOAD_BINS * SIZE_BINS;

/**
 * Buckets of the others' joint action as JAL sees it: the other agents (of every cell) whose
 * upload this slot goes to the site the agent's action uploads to: 0, 1, 2-3, 4-6, 7+
 * (docs/model.md "## Learning"; the site's CPU is shared among them, eq. 9).
 */
export const BUCKETS = 5;
export const othersBucket = (count: number): number => (count === 0 ? 0 : count === 1 ? 1 : count <= 3 ? 2 : count <= 6 ? 3 : 4);
/** JAL's site role of each action: -1 all local (no site), 0 the serving site (1-4), 1 the closest other (5), 2 the second other (6). */
export const ACTION_ROLES: readonly number[] = [-1, 0, 0, 0, 0, 1, 2];
export const ROLES = 3;
/** mfq's bins of the neighbours' mean offloaded fraction: [0, 0.2), [0.2, 0.4), ..., [0.8, 1]. */
export const MEAN_BINS = 5;

const loadBin = (others: number): number => (others <= 1 ? 0 : others <= 3 ? 1 : others <= 6 ? 2 : 3);

/** Size thresholds: terciles of a uniform or centred size, else 0.75 and 1.25 times its mean. */
export function sizeThresholds(bits: TrialConfig["tasks"]["bits"]): [number, number] {
  switch (bits.dist) {
    case "uniform":
      return [bits.min + (bits.max - bits.min) / 3, bits.min + (2 * (bits.max - bits.min)) / 3];
    case "constant":
      return [bits.value, bits.value];
    case "centred":
      return [bits.mean * (1 - bits.spread / 3), bits.mean * (1 + bits.spread / 3)];
    default:
      return [0.75 * bits.mean, 1.25 * bits.mean];
  }
}

export class Encoder {
  readonly states: number;
  private readonly cellScaleM: number;
  private readonly size: [number, number];
  private readonly activeIn: Int32Array;
  /** Per user: the sites its actions 4, 5 and 6 upload to (serving, closest other, second other). */
  readonly targets: Int32Array;

  constructor(c: TrialConfig, private readonly ctx: EstimateContext, users: number) {
    const n = c.sites.count;
    this.states = n * STATES_PER_CELL;
    this.cellScaleM = Math.sqrt((c.area.widthM * c.area.heightM) / n) / 2;
    this.size = sizeThresholds(c.tasks.bits);
    this.activeIn = new Int32Array(n);
    this.targets = new Int32Array(users * 3);
  }

  /** Writes every user's state and action mask (masks only matter for active users). */
  encode(obs: Observation, state: Int32Array, mask: Int32Array): void {
    const n = obs.sites.count, { xM, yM } = obs.sites;
    this.activeIn.fill(0);
    for (let i = 0; i < obs.users; i++) if (obs.active[i]) this.activeIn[obs.serving[i]]++;
    for (let i = 0; i < obs.users; i++) {
      const cell = obs.serving[i];
      const d = Math.hypot(obs.userX[i] - xM[cell], obs.userY[i] - yM[cell]) / this.cellScaleM;
      const dist = d < 0.3 ? 0 : d < 0.5 ? 1 : d < 0.7 ? 2 : d < 0.85 ? 3 : d < 1.0 ? 4 : 5;
      const load = loadBin(this.activeIn[cell] - (obs.active[i] ? 1 : 0));
      const b = obs.bits[i];
      const size = b <= this.size[0] ? 0 : b <= this.size[1] ? 1 : 2;
      state[i] = ((cell * DIST_BINS + dist) * LOAD_BINS + load) * SIZE_BINS + size;
      if (!obs.active[i]) {
        mask[i] = 1;
        continue;
      }
      // The two closest sites other than the serving one.
      let a = -1, b2 = -1, da = Infinity, db = Infinity;
      for (let j = 0; j < n; j++) {
        if (j === cell) continue;
        const dj = (xM[j] - obs.userX[i]) ** 2 + (yM[j] - obs.userY[i]) ** 2;
        if (dj < da) {
          b2 = a; db = da; a = j; da = dj;
        } else if (dj < db) {
          b2 = j; db = dj;
        }
      }
      this.targets[3 * i] = cell;
      this.targets[3 * i + 1] = a;
      this.targets[3 * i + 2] = b2;
      let m = 1;
      const min = this.ctx.channel.minRateBps;
      if (expectedRateBps(obs, this.ctx, i, cell) >= min) m |= 0b11110;
      if (a >= 0 && expectedRateBps(obs, this.ctx, i, a) >= min) m |= 1 << 5;
      if (b2 >= 0 && expectedRateBps(obs, this.ctx, i, b2) >= min) m |= 1 << 6;
      mask[i] = m;
    }
  }

  /** Writes the decision of action `a` for user i. */
  decide(i: number, a: number, theta: Float64Array, server: Int32Array): void {
    theta[i] = ACTION_THETA[a];
    if (a === 0) return;
    server[i] = this.targets[3 * i + (a === 5 ? 1 : a === 6 ? 2 : 0)];
  }
}
