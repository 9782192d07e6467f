import type { SlotLayout } from "../layout.js";
import type { Machine } from "./machine.js";

import type { Backend } from "./backend.js";

export type { Backend } from "./backend.js";
export { BACKENDS } from "./backend.js";

type InterferenceMode = "shared" | "orthogonal";

/** Channel inputs of a slot (docs/calculator.md#eq-4; Table I defaults live in the scenario schema). */
export interface ChannelParams {
  bandwidthHz: number;
  noiseMw: number;
  dMinM: number;
  interference: InterferenceMode;
}

export interface LatencyParams {
  minRateBps: number;
  /** Rate between sites for eq. 7; null reuses the user's uplink rate R_i as the paper writes it. */
  backhaulRateBps: number | null;
}

export type SlotParams = ChannelParams & LatencyParams;

/**
 * One slot's numeric work, implemented twice (WASM and pure JS) over the same layout.
 * `users` and `sites` are the counts in use, at most the layout's capacities.
 */
export interface Kernels {
  readonly backend: Backend;
  /** The kernel memory the layouts live in, shared with the engine's other buffers. */
  readonly machine: Machine;
  /** Allocates a layout in this backend's memory; views stay valid across later allocations. */
  createLayout(maxUsers: number, maxSites: number): SlotLayout;
  /** Per-site received sums, then signal, SINR and rate of every transmitter (eq. 3-4). */
  channel(layout: SlotLayout, users: number, sites: number, p: ChannelParams): void;
  /**
   * After `channel`: refuses every active upload below minRateBps (theta 1, migrateTo -1,
   * beta 0, layout.refused 1; 0 for the others); returns how many.
   */
  refuseInfeasible(layout: SlotLayout, users: number, minRateBps: number): number;
  /** Site loads and the latency terms of eq. 1-9; returns the system cost (eq. 10). */
  latency(layout: SlotLayout, users: number, sites: number, p: LatencyParams): number;
}

/** Channel then latency: one slot. Returns the system cost (sum of T_proc). */
export function evaluateSlot(k: Kernels, layout: SlotLayout, users: number, sites: number, p: SlotParams): number {
  k.channel(layout, users, sites, p);
  return k.latency(layout, users, sites, p);
}

/** A user count within the layout (kernels that touch no site index). */
export function checkUsers(layout: SlotLayout, users: number): void {
  if (!(users >= 0 && users <= layout.maxUsers)) throw new RangeError(`users: ${users} exceeds the layout's ${layout.maxUsers}`);
}

/**
 * Called by the slot hosts (wasm.ts, js.ts) before channel and latency: counts within the
 * layout, the layout in this machine's memory, and every active upload's site indices in
 * range (one kernel call, assembly/bounds.ts): the WASM kernels trust them, and a bad index
 * there would write into a neighbouring array.
 */
export function checkSlot(machine: Machine, layout: SlotLayout, users: number, sites: number): void {
  checkUsers(layout, users);
  if (!(sites >= 1 && sites <= layout.maxSites)) throw new RangeError(`sites: ${sites} exceeds the layout's ${layout.maxSites}`);
  const { active, theta, server, migrateTo } = layout;
  if (active.buffer !== machine.heap.buffer) throw new Error("layout: not in this kernels object's memory: create it with its createLayout");
  const i = machine.fns.firstBadUpload(users, sites, active.byteOffset, theta.byteOffset, server.byteOffset, migrateTo.byteOffset);
  if (i >= 0) throw new RangeError(`user ${i}: server ${server[i]} or migrateTo ${migrateTo[i]} outside 0..${sites - 1}`);
}
