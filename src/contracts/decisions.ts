// What a decider writes for a slot, and what it learns back: per-user arrays of the slot
// layout, shared by policies, control units, the simulation and the environments.

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

/** The evaluated slot as a learning policy sees it: per-user arrays of the slot layout. */
export interface SlotOutcome {
  readonly active: Int32Array;
  readonly theta: Float64Array;
  readonly server: Int32Array;
  readonly tProcS: Float64Array;
}
