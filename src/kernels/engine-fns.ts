// The engine's kernels as the host calls them: flat functions over numbers and byte offsets
// into the machine's memory (src/kernels/machine.ts). The WASM exports have exactly these
// signatures; the pure-TS twins take a Heap first (src/kernels/engine-js.ts binds it).
// Each stage adds its functions here, beside its AssemblyScript file and its twin.
import type { Heap } from "./heap.js";

type Ptr = number;

export interface RngFns {
  /** Parity tests: `count` words of the stream at `s` into `out` (u32). */
  rngWords(s: Ptr, out: Ptr, count: number): void;
  /** Parity tests: `count` draws of `kind` into `out` (f64); see assembly/rng.ts. */
  rngDraws(s: Ptr, out: Ptr, count: number, kind: number, a: number, b: number, c: number, d: number): void;
}

export interface LearnerFns {
  /** `count` uniforms of the stream at `s` into `out` (f64). */
  fillUniforms(s: Ptr, out: Ptr, count: number): void;
}

export interface DecisionFns {
  /** The first active user whose decision is invalid (assembly/decisions.ts), or -1. */
  firstInvalidDecision(m: number, n: number, active: Ptr, theta: Ptr, server: Ptr, migrateTo: Ptr, beta: Ptr): number;
}

/** Learner encoding and masks, action -> decision (assembly/encode.ts, src/kernels/encode-js.ts). */
export interface EncodeFns {
  /** States i32[m], masks i32[m], active users' targets i32[3m]; activeIn is scratch i32[n]. */
  encode(
    m: number, n: number, userX: Ptr, userY: Ptr, serving: Ptr, powerMw: Ptr, active: Ptr, bits: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr, cellScaleM: number, size0: number, size1: number, minRateBps: number,
    bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    activeIn: Ptr, state: Ptr, mask: Ptr, targets: Ptr,
  ): void;
  /** Each active user's decision (theta f64[m], server i32[m]) of its action i32[m]. */
  decide(m: number, active: Ptr, action: Ptr, targets: Ptr, theta: Ptr, server: Ptr): void;
}

/** Random, nearest and greedy baselines (assembly/baselines.ts, src/kernels/baselines-js.ts). */
export interface BaselineFns {
  randomPolicy(
    m: number, n: number, rng: Ptr, userX: Ptr, userY: Ptr, powerMw: Ptr, active: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr,
    minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    fractions: Ptr, fractionCount: number, feasible: Ptr, theta: Ptr, server: Ptr,
  ): void;
  nearestPolicy(
    m: number, userX: Ptr, userY: Ptr, serving: Ptr, powerMw: Ptr, active: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr,
    minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    theta: Ptr, server: Ptr,
  ): void;
  greedyPolicy(
    m: number, n: number, userX: Ptr, userY: Ptr, powerMw: Ptr, userCpuHz: Ptr, active: Ptr, bits: Ptr, cyclesPerBit: Ptr,
    siteX: Ptr, siteY: Ptr, siteCpuHz: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr, siteLoad: Ptr,
    minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    fractions: Ptr, fractionCount: number, rx: Ptr, own: Ptr, load: Ptr, signal: Ptr, perFraction: Ptr, theta: Ptr, server: Ptr,
  ): void;
}

/** Learners' rewards and JAL buckets (assembly/rewards.ts, src/kernels/rewards-js.ts): returns the sum of own 1/T. */
export interface RewardFns {
  rewards(
    m: number, n: number, team: number, active: Ptr, serving: Ptr, theta: Ptr, server: Ptr, tProcS: Ptr,
    reward: Ptr, bucket: Ptr, cellSum: Ptr, cellCount: Ptr, offloadsTo: Ptr,
  ): number;
}

/** Per-task metric sums (assembly/metrics.ts, src/kernels/metrics-js.ts): refused, deadlineMet, arrivalSlot i32[m]. */
export interface MetricFns {
  accumulate(
    m: number, active: Ptr, tProcS: Ptr, deadlineMet: Ptr, theta: Ptr, refused: Ptr, rateBps: Ptr,
    arrivalSlot: Ptr, slot: number, slotS: number, acc: Ptr,
  ): void;
}

/** Every engine kernel. */
export type EngineFns = RngFns & LearnerFns & DecisionFns & EncodeFns & BaselineFns & RewardFns & MetricFns;

/** The pure-TS twins: the same functions with the heap they index first. */
export type Twins<F> = { [K in keyof F]: F[K] extends (...a: infer A) => infer R ? (h: Heap, ...a: A) => R : never };
