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

/** Every engine kernel. */
export type EngineFns = RngFns & LearnerFns & DecisionFns;

/** The pure-TS twins: the same functions with the heap they index first. */
export type Twins<F> = { [K in keyof F]: F[K] extends (...a: infer A) => infer R ? (h: Heap, ...a: A) => R : never };
