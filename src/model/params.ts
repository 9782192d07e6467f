// Table I of the paper, and the channel parameters built on it.
import { z } from "zod";
import { nonNegative, positive } from "../validation.js";

/** Table I of the paper (powers in mW, everything else SI). */
export const TABLE_I = {
  bandwidthHz: 1e7,
  noiseMw: 1e-11,
  minRateBps: 1e5,
  dMinM: 1,
  siteCpuHz: 1e10,
  userCpuHz: 5e8,
  powerMw: 100,
  deadlineS: 1,
} as const;

/** Backhaul rate of state copies and tickets when the scenario leaves channel.backhaulRateBps unset. */
export const DEFAULT_BACKHAUL_BPS = 1e9;

/** Channel and rate parameters: snapshot `params` and scenario `channel` alike. */
export const channelParams = z.strictObject({
  bandwidthHz: positive().default(TABLE_I.bandwidthHz),
  noiseMw: positive().default(TABLE_I.noiseMw),
  minRateBps: nonNegative().default(TABLE_I.minRateBps),
  dMinM: positive().default(TABLE_I.dMinM),
  interference: z.enum(["shared", "orthogonal"], { error: 'expected "shared" or "orthogonal"' }).default("shared"),
  /** Rate between sites for eq. 7; null = the user's uplink rate R_i. An addition to the calculator contract (docs/calculator.md#divergences). */
  backhaulRateBps: positive().nullable().default(null),
});

