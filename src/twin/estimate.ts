// What a decision maker can estimate from the twin's observation before the slot is evaluated.
import { GAIN_AT_1M, rxMw as receivedMw } from "../model/channel.js";
import type { ChannelParams } from "../kernels/types.js";
import type { Observation } from "./twin-layer.js";

/** The channel as a decision maker knows it (policies and the migration unit). */
export interface EstimateContext {
  channel: ChannelParams & { minRateBps: number };
}

/** Received power (mW) at site j from user i: P_i · 10^-3.7 · d^-3 (eq. 4 with Table I path loss). */
export function rxMw(obs: Observation, i: number, j: number, dMinM: number): number {
  return receivedMw(obs.powerMw[i] * GAIN_AT_1M, obs.userX[i], obs.userY[i], obs.sites.xM[j], obs.sites.yM[j], dMinM * dMinM);
}

/** Interference the twin expects at site j: last slot's measurement (eq. 4's sum, by mode). */
export function expectedInterferenceMw(obs: Observation, ctx: EstimateContext, j: number): number {
  return ctx.channel.interference === "orthogonal" ? Math.max(obs.siteRxMw[j] - obs.siteOwnMw[j], 0) : obs.siteRxMw[j];
}

/** Shannon rate (eq. 3) of a signal against noise plus interference. */
export function rateBps(ctx: EstimateContext, signalMw: number, interferenceMw: number): number {
  return ctx.channel.bandwidthHz * Math.log2(1 + signalMw / (ctx.channel.noiseMw + interferenceMw));
}

/** Expected uplink rate of user i to site j, from the twin's interference record. */
export function expectedRateBps(obs: Observation, ctx: EstimateContext, i: number, j: number): number {
  return rateBps(ctx, rxMw(obs, i, j, ctx.channel.dMinM), expectedInterferenceMw(obs, ctx, j));
}
