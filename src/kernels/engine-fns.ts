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

/** Task arrivals and per-user task rings (assembly/traffic.ts). */
export interface TrafficFns {
  /** This slot's Poisson arrivals per user into the rings; a full ring's task counted in the i32 at `overflow`. */
  arrive(
    m: number, rng: Ptr, limit: number, slot: number, Q: number,
    qBits: Ptr, qCyclesPerBit: Ptr, qType: Ptr, qArrival: Ptr, qHead: Ptr, qCount: Ptr,
    bitsKind: number, b0: number, b1: number, b2: number, b3: number,
    cpbKind: number, c0: number, c1: number, c2: number, c3: number,
    catTypes: number, catCdf: Ptr, catBits: Ptr, catCpb: Ptr, overflow: Ptr,
  ): void;
  /** Head tasks into the slot's inputs, decisions reset to all local. */
  prepareTasks(
    m: number, qBits: Ptr, qCyclesPerBit: Ptr, qType: Ptr, qArrival: Ptr, qHead: Ptr, qCount: Ptr, Q: number,
    deadlineS: number, active: Ptr, bits: Ptr, cyclesPerBit: Ptr, deadline: Ptr, taskType: Ptr,
    arrivalSlot: Ptr, theta: Ptr, migrateTo: Ptr, beta: Ptr,
  ): void;
  /** Removes every active user's head task. */
  completeTasks(m: number, active: Ptr, qHead: Ptr, qCount: Ptr, Q: number): void;
}

/** The digital twin: requests, physical sync, histories and next-cell predictors (assembly/twin.ts). */
export interface TwinFns {
  /** Every slot: dedup counts (f64[4]) and the request history column. */
  twinRequests(m: number, slot: number, active: Ptr, taskType: Ptr, bits: Ptr, seenAt: Ptr, dedupStats: Ptr, requestHist: Ptr, H: number, col: number): void;
  /** Sync slots: observation, histories, predictor scores (f64[8]) and predictions. */
  twinSync(
    m: number, n: number, hasPrevious: number, H: number, col: number,
    posX: Ptr, posY: Ptr, cell: Ptr, obsX: Ptr, obsY: Ptr, obsServing: Ptr,
    measRx: Ptr, measOwn: Ptr, measLoad: Ptr, obsRx: Ptr, obsOwn: Ptr, obsLoad: Ptr,
    histX: Ptr, histY: Ptr, histCell: Ptr, histLoad: Ptr,
    predictor: number, siteX: Ptr, siteY: Ptr, cellScaleM: number,
    predStay: Ptr, predUsed: Ptr, predX: Ptr, predY: Ptr,
    prevState: Ptr, counts: Ptr, best: Ptr, bestCount: Ptr, stats: Ptr,
  ): void;
}

/** Every engine kernel. */
export type EngineFns = RngFns & LearnerFns & DecisionFns & TrafficFns & TwinFns;

/** The pure-TS twins: the same functions with the heap they index first. */
export type Twins<F> = { [K in keyof F]: F[K] extends (...a: infer A) => infer R ? (h: Heap, ...a: A) => R : never };
