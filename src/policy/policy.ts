// The Policy interface, implemented by the baselines, the IL and JAL learners and the optimum yardstick.
import type { Rng } from "../world/rng.js";
import type { EstimateContext } from "../twin/estimate.js";
import type { Observation } from "../twin/twin-layer.js";
import type { Decisions, SlotOutcome } from "../contracts/decisions.js";

export interface PolicyContext extends EstimateContext {
  /** The local fractions theta the scenario allows (1 = all local). */
  localFractions: readonly number[];
  /** The policy's own random stream, for draws made in TypeScript. */
  rng: Rng;
  /** The trial's seed: policies that draw in the kernels seed their "policy" stream there from it. */
  seed: number | string;
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
