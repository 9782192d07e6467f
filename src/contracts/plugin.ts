// The public contract of a policy plug-in (docs/plugins.md): what a module named in a
// scenario's `policies` exports, what its factory is given, what its policy reads and
// writes. Types only, importable by a plug-in author as `twinedge/plugin`; nothing here
// loads the simulator. src/policy/plugin-policy.ts checks at compile time that the twin's
// observation satisfies PluginObservation.
import type { TrialConfig } from "../scenario/schema.js";
import type { Decisions, SlotOutcome } from "./decisions.js";

export type { Decisions, SlotOutcome } from "./decisions.js";

/**
 * What a policy knows when it decides, as of the twin: the policy's own copies, refilled every
 * call (writing them changes nothing in the simulation; copy what you keep). Per user
 * i < users, per site j < sites.count.
 */
export interface PluginObservation {
  readonly slot: number;
  readonly users: number;
  readonly sites: { readonly count: number; readonly xM: Float64Array; readonly yM: Float64Array; readonly cpuHz: Float64Array };
  /** Positions (m) and serving cells as of the twin's last sync. */
  readonly userX: Float64Array;
  readonly userY: Float64Array;
  readonly serving: Int32Array;
  readonly powerMw: Float64Array;
  readonly userCpuHz: Float64Array;
  /** This slot's requests: 1 where user i has a task to place; its type (-1 untyped), size, cycles per bit, deadline. */
  readonly active: Int32Array;
  readonly taskType: Int32Array;
  readonly bits: Float64Array;
  readonly cyclesPerBit: Float64Array;
  readonly deadlineS: Float64Array;
  /** Each site's measurements as of the last sync: total received uplink power, its own cell's part, executing users. */
  readonly siteRxMw: Float64Array;
  readonly siteOwnMw: Float64Array;
  readonly siteLoad: Int32Array;
  /** The twin's predictor: each user's cell at the next sync, and its position then. */
  readonly predictedCell: Int32Array;
  readonly predictedX: Float64Array;
  readonly predictedY: Float64Array;
  /** The site hosting each user's service (-1: none yet), kept by the migration control unit. */
  readonly serviceSite: Int32Array;
}

/** The twin's estimates (eq. 3-4 with Table I's path loss), bound to the trial's channel. */
export interface PluginEstimates {
  /** Received power (mW) at site j from user i, from the twin's positions. */
  rxMw(obs: PluginObservation, i: number, j: number): number;
  /** Interference (mW) the twin expects at site j: the last sync's measurement, by the interference mode. */
  expectedInterferenceMw(obs: PluginObservation, j: number): number;
  /** Shannon rate (bit/s, eq. 3) of a signal against noise plus interference. */
  rateBps(signalMw: number, interferenceMw: number): number;
  /** The uplink rate (bit/s) the twin expects from user i to site j; below channel.minRateBps the upload is refused. */
  expectedRateBps(obs: PluginObservation, i: number, j: number): number;
}

/** What the factory is given, once per trial. */
export interface PluginContext {
  /** The policy's name in the scenario (and in summary.csv). */
  readonly name: string;
  /** The entry's `options`, as written in the scenario (JSON values). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The trial's resolved configuration (every default filled). */
  readonly config: TrialConfig;
  readonly users: number;
  readonly sites: number;
  /** The trial's seed. */
  readonly seed: number;
  /** The policy's own random stream: uniform on [0, 1), seeded by the trial's seed (the built-ins' "policy" stream). */
  readonly rng: () => number;
  /** The local fractions theta the scenario allows (config.actions.localFractions); 1 is always allowed. */
  readonly localFractions: readonly number[];
  /** The channel as a decision maker knows it (config.channel: bandwidth, noise, minRateBps, ...). */
  readonly channel: Readonly<TrialConfig["channel"]>;
  readonly estimate: PluginEstimates;
}

/** A policy: decides every slot, and may learn from each slot's outcome. Synchronous: a method returning a promise fails the trial. */
export interface PluginPolicy {
  /**
   * Decides for this slot's active users (obs.active[i] === 1) by writing into `out`, which
   * arrives pre-filled with "all local at the serving site" (theta 1, server = obs.serving,
   * migrateTo -1, beta 0). theta[i] must be one of ctx.localFractions (or 1); server[i] a
   * site index in [0, sites); migrateTo[i] -1 or another site than server[i]; beta[i] in
   * [0, 1 - theta[i]], and 0 when migrateTo[i] is -1. Anything else fails the trial with an
   * error naming the policy. Inactive users' entries are ignored.
   */
  act(obs: PluginObservation, out: Decisions): void;
  /**
   * After the slot is evaluated: per user, the decisions as the control units left them and
   * the task's processing time tProcS (eq. 1-9), for policies that learn.
   */
  feedback?(obs: PluginObservation, outcome: SlotOutcome): void;
}

/** The factory a plug-in module exports, as `createPolicy` or as its default export. */
export type CreatePolicy = (ctx: PluginContext) => PluginPolicy;
