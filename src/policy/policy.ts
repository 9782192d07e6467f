// The Policy interface, implemented by the baselines and the IL and JAL learners.
import type { Rng } from "../world/rng.js";
import type { EstimateContext } from "../twin/estimate.js";
import type { Observation } from "../twin/twin-layer.js";

export interface PolicyContext extends EstimateContext {
  /** The local fractions theta the scenario allows (1 = all local). */
  localFractions: readonly number[];
  /** The policy's own random stream. */
  rng: Rng;
}

/**
 * Where each active user's task goes this slot. The runner pre-fills every user with
 * "all local at its serving site" (theta 1, migrateTo -1, beta 0); a policy overwrites the
 * entries it decides. Inactive users' entries are ignored.
 */
export interface Decisions {
  theta: Float64Array;
  server: Int32Array;
  migrateTo: Int32Array;
  beta: Float64Array;
}

export interface Policy {
  readonly name: string;
  /** Decides for every active user of `obs`, writing into `out`. */
  act(obs: Observation, out: Decisions): void;
  /**
   * After the slot is evaluated: its outcome per user (tProcS, and the decisions as the
   * migration control unit left them), for policies that learn.
   */
  feedback?(obs: Observation, outcome: SlotOutcome): void;
}

/** The evaluated slot as a learning policy sees it: per-user arrays of the slot layout. */
export interface SlotOutcome {
  readonly active: Int32Array;
  readonly theta: Float64Array;
  readonly server: Int32Array;
  readonly tProcS: Float64Array;
}
