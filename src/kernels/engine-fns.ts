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
  /** mfq before selection (assembly/mean-field.ts): out[i] = state[i] K + bin of the cell's last mean offloaded fraction. */
  mfqSelectStates(m: number, K: number, serving: Ptr, state: Ptr, cellMean: Ptr, out: Ptr): void;
  /** mfq before learning: out[i] = state[i] K + bin of the cell-mates' mean offloaded fraction this slot; updates cellMean. */
  mfqLearnStates(
    m: number, n: number, K: number, active: Ptr, serving: Ptr, theta: Ptr, state: Ptr,
    cellSum: Ptr, cellCount: Ptr, cellMean: Ptr, out: Ptr,
  ): void;
}

export interface DecisionFns {
  /** The first active user whose decision is invalid (assembly/decisions.ts), or -1. */
  firstInvalidDecision(m: number, n: number, active: Ptr, theta: Ptr, server: Ptr, migrateTo: Ptr, beta: Ptr): number;
  // The index checks before the slot and learning kernels (assembly/bounds.ts): each returns the first offending index, or -1.
  /** checkSlot: the first active upload (theta < 1) with server outside 0..n-1 or migrateTo outside -1..n-1. */
  firstBadUpload(m: number, n: number, active: Ptr, theta: Ptr, server: Ptr, migrateTo: Ptr): number;
  /** Before ilSelect/jalSelect: the first active agent with table outside 0..T-1 or state outside 0..S-1. */
  firstBadSelect(m: number, T: number, S: number, active: Ptr, tableOf: Ptr, state: Ptr): number;
  /**
   * Before ilLearn/jalLearn: the first agent whose pending decision (pAction >= 0) or, with
   * final = 0, whose acting decision has table, state, action or (B > 0) bucket out of range.
   */
  firstBadLearn(
    m: number, T: number, S: number, A: number, B: number, final: number,
    active: Ptr, tableOf: Ptr, state: Ptr, action: Ptr, bucket: Ptr,
    pTable: Ptr, pState: Ptr, pAction: Ptr, pBucket: Ptr,
  ): number;
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
  /** serving[i] = the closest site, lower index on ties, through the site lookup (lgx .. lcand: src/kernels/site-lookup.ts); scratch of 1 entry. */
  associateNearest(m: number, xM: Ptr, yM: Ptr, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, serving: Ptr, idxScratch: Ptr, d2Scratch: Ptr,
    lgx: number, lgy: number, lx0M: number, ly0M: number, linvCellM: number, lstart: Ptr, lcand: Ptr): void;
  /** Users in index order join the least-loaded of their k closest sites (ties to the closer); load (i32 [n]) out; scratch of k. */
  associateLeastLoaded(m: number, xM: Ptr, yM: Ptr, k: number, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, serving: Ptr, load: Ptr, idxScratch: Ptr, d2Scratch: Ptr): void;
  /** The k nearest sites of m query points into out (i32 [m·k]), closest first, -1 past n; d2Scratch f64 [k]. */
  nearestSites(m: number, qx: Ptr, qy: Ptr, k: number, n: number, siteX: Ptr, siteY: Ptr, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: Ptr, cellSites: Ptr, out: Ptr, d2Scratch: Ptr): void;
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
  twinRequests(m: number, slot: number, active: Ptr, taskType: Ptr, bits: Ptr, seenAt: Ptr, dedupStats: Ptr, requestHist: Ptr, col: number): void;
  /** Sync slots: observation, histories, predictor scores (f64[8]) and predictions. */
  twinSync(
    m: number, n: number, hasPrevious: number, col: number,
    posX: Ptr, posY: Ptr, cell: Ptr, obsX: Ptr, obsY: Ptr, obsServing: Ptr,
    measRx: Ptr, measOwn: Ptr, measLoad: Ptr, obsRx: Ptr, obsOwn: Ptr, obsLoad: Ptr,
    histX: Ptr, histY: Ptr, histCell: Ptr, histLoad: Ptr,
    predictor: number, siteX: Ptr, siteY: Ptr, cellScaleM: number,
    predStay: Ptr, predUsed: Ptr, predX: Ptr, predY: Ptr,
    prevState: Ptr, counts: Ptr, best: Ptr, bestCount: Ptr, stats: Ptr,
    lgx: number, lgy: number, lx0M: number, ly0M: number, linvCellM: number, lstart: Ptr, lcand: Ptr,
  ): void;
}

/** Learner encoding and masks, action -> decision (assembly/encode.ts, src/kernels/encode-js.ts). */
export interface EncodeFns {
  /** States i32[m], masks i32[m], active users' targets i32[3m]; activeIn is scratch i32[n]; minSinr = 2^(minRateBps / bandwidthHz) - 1. */
  encode(
    m: number, n: number, userX: Ptr, userY: Ptr, serving: Ptr, powerMw: Ptr, active: Ptr, bits: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr, cellScaleM: number, size0: number, size1: number, minSinr: number,
    noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
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
  // The optimum benchmark (assembly/optimum.ts): scratch optimumScratchBytes(m, n); stats f64[5]: sweeps, moves, cap hit (0/1), cost before, after.
  /** Best-response descent from the decisions in theta/server on the true state; returns the slot's system cost after. */
  optimumPolicy(
    m: number, n: number, userX: Ptr, userY: Ptr, powerMw: Ptr, userCpuHz: Ptr, active: Ptr, bits: Ptr, cyclesPerBit: Ptr,
    siteX: Ptr, siteY: Ptr, siteCpuHz: Ptr,
    minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    fractions: Ptr, fractionCount: number, maxSweeps: number, scratch: Ptr, stats: Ptr, theta: Ptr, server: Ptr,
  ): number;
  /** Tests: every active user's option costs (1 + n·fractionCount f64 each) into out; returns the active count. */
  optimumOptionCosts(
    m: number, n: number, userX: Ptr, userY: Ptr, powerMw: Ptr, userCpuHz: Ptr, active: Ptr, bits: Ptr, cyclesPerBit: Ptr,
    siteX: Ptr, siteY: Ptr, siteCpuHz: Ptr,
    minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
    fractions: Ptr, fractionCount: number, scratch: Ptr, theta: Ptr, server: Ptr, out: Ptr,
  ): number;
}

/** Learners' rewards and JAL buckets (assembly/rewards.ts, src/kernels/rewards-js.ts): returns the sum of the agents' own rewards. */
export interface RewardFns {
  rewards(
    m: number, n: number, team: number, negLatency: number, active: Ptr, serving: Ptr, theta: Ptr, server: Ptr, tProcS: Ptr,
    reward: Ptr, bucket: Ptr, cellSum: Ptr, cellCount: Ptr, offloadsTo: Ptr,
  ): number;
}

/** Per-task metric sums (assembly/metrics.ts, src/kernels/metrics-js.ts): refused is u8[m]. */
export interface MetricFns {
  accumulate(
    m: number, active: Ptr, tProcS: Ptr, deadlineMet: Ptr, theta: Ptr, refused: Ptr, rateBps: Ptr,
    arrivalSlot: Ptr, slot: number, slotS: number, acc: Ptr,
  ): void;
}

/** Every engine kernel. */
export type EngineFns = RngFns & LearnerFns & DecisionFns & MobilityFns & AssociationFns & TrafficFns & TwinFns & EncodeFns & BaselineFns & RewardFns & MetricFns;

/** The pure-TS twins: the same functions with the heap they index first. */
export type Twins<F> = { [K in keyof F]: F[K] extends (...a: infer A) => infer R ? (h: Heap, ...a: A) => R : never };
