// A slot's control units (service migration, authentication, any later one) share one shape,
// so the simulation's commit is a loop over them: each adjusts the decisions before the
// kernels evaluate the slot, then settles what happened after. They touch only the users with
// an event; a unit that is off does nothing.
import type { Decisions } from "../contracts/decisions.js";
import type { SlotLayout } from "../layout.js";
import type { Observation } from "../twin/twin-layer.js";

/** The slot as the control units see it; the arrays are per user. */
export interface SlotState {
  readonly obs: Observation;
  readonly decisions: Decisions;
  readonly L: SlotLayout;
  readonly users: number;
  readonly slotS: number;
  /** 1 where the sites refused the user's upload (it ran locally). */
  readonly refused: Int32Array;
  /** Time a unit adds before a task's offloaded part completes (relay penalty, state wait, authentication), s. */
  readonly extraOffS: Float64Array;
}

export interface ControlUnit<Counts> {
  readonly enabled: boolean;
  /** Before the kernels: enforces or rewrites the slot's decisions. */
  apply(s: SlotState): void;
  /** After the kernels: adds delays to `extraOffS`, updates the unit's state, returns the slot's counts. */
  settle(s: SlotState): Counts;
}
