// Where the twin's observation (src/twin/twin-layer.ts Observation) lies in a machine's
// memory, for the policy, reward and metric kernels: one byte offset per array. The arrays
// have the Observation's element types (f64 for positions, powers, CPUs, sizes, times and
// measurements; i32 for serving, active and siteLoad) and lengths (users or sites).
import { GAIN_AT_1M } from "../model/channel.js";
import type { ChannelParams } from "./types.js";

export interface ObservationPtrs {
  readonly users: number;
  readonly sites: number;
  readonly userX: number;
  readonly userY: number;
  readonly serving: number;
  readonly powerMw: number;
  readonly userCpuHz: number;
  readonly active: number;
  readonly bits: number;
  readonly cyclesPerBit: number;
  readonly deadlineS: number;
  readonly siteX: number;
  readonly siteY: number;
  readonly siteCpuHz: number;
  readonly siteRxMw: number;
  readonly siteOwnMw: number;
  readonly siteLoad: number;
}

/** The channel arguments of the policy kernels, in their order: minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal (1/0), gainAt1m. */
export type ChannelArgs = [minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number];

export function channelArgs(c: ChannelParams & { minRateBps: number }): ChannelArgs {
  return [c.minRateBps, c.bandwidthHz, c.noiseMw, c.dMinM, c.interference === "orthogonal" ? 1 : 0, GAIN_AT_1M];
}

/**
 * A policy's kernels read the observation by byte offset: they must run in the kernel memory
 * the observation lies in, or they would read another memory's bytes. Throws, naming the policy.
 */
export function checkSameMachine(who: string, mine: object, theirs: object): void {
  if (mine !== theirs) throw new Error(`policy ${who}: its kernels live in another kernel memory than the simulation's; create it on the simulation's (sim.k.machine)`);
}
