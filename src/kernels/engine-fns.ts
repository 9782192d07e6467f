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

export interface MobilityFns {
  /** Uniform placement of m users in [0, W) x [0, H): x then y per user (assembly/mobility.ts). */
  placeUniform(m: number, rng: Ptr, xM: Ptr, yM: Ptr, widthM: number, heightM: number): void;
  /** Random waypoint: first waypoints and speeds, no pause. */
  rwpInit(m: number, rng: Ptr, destX: Ptr, destY: Ptr, speed: Ptr, pauseLeft: Ptr, widthM: number, heightM: number, vMin: number, vMax: number): void;
  /** Random waypoint: every user walks / pauses for dtS seconds. */
  rwpStep(m: number, rng: Ptr, xM: Ptr, yM: Ptr, destX: Ptr, destY: Ptr, speed: Ptr, pauseLeft: Ptr, dtS: number, widthM: number, heightM: number, vMin: number, vMax: number, pauseMin: number, pauseMax: number): void;
  /** Gauss-Markov: speed s̄, direction = mean direction uniform in [-π, π). */
  gmInit(m: number, rng: Ptr, speed: Ptr, dir: Ptr, meanDir: Ptr, meanSpeedMps: number): void;
  /** Gauss-Markov: one step of dtS seconds for every user (reflection, edge rule, then w and w'). */
  gmStep(m: number, rng: Ptr, xM: Ptr, yM: Ptr, speed: Ptr, dir: Ptr, meanDir: Ptr, dtS: number, widthM: number, heightM: number, marginM: number, alpha: number, meanSpeedMps: number, speedSdMps: number, directionSdRad: number): void;
}

/**
 * Association through a grid over the sites (assembly/association.ts). The grid arguments:
 * n, siteX, siteY (f64 [n]), gx, gy, x0M, y0M, cellM, cellStart (i32 [gx·gy + 1]), cellSites (i32 [n]).
 */
export interface AssociationFns {
  /** Counting sort of the sites into the grid's cells. */
  gridBuild(n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr): void;
  /** serving[i] = the closest site, lower index on ties; scratch of 1 entry. */
  associateNearest(m: number, xM: Ptr, yM: Ptr, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, serving: Ptr, idxScratch: Ptr, d2Scratch: Ptr): void;
  /** Users in index order join the least-loaded of their k closest sites (ties to the closer); load (i32 [n]) out; scratch of k. */
  associateLeastLoaded(m: number, xM: Ptr, yM: Ptr, k: number, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, serving: Ptr, load: Ptr, idxScratch: Ptr, d2Scratch: Ptr): void;
  /** The k nearest sites of m query points into out (i32 [m·k]), closest first, -1 past n; d2Scratch f64 [k]. */
  nearestSites(m: number, qx: Ptr, qy: Ptr, k: number, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, out: Ptr, d2Scratch: Ptr): void;
}

/** Every engine kernel. */
export type EngineFns = RngFns & LearnerFns & DecisionFns & MobilityFns & AssociationFns;

/** The pure-TS twins: the same functions with the heap they index first. */
export type Twins<F> = { [K in keyof F]: F[K] extends (...a: infer A) => infer R ? (h: Heap, ...a: A) => R : never };
