// The pure-TS twin of assembly/twin.ts: the twin's request counting and history, and its
// physical sync with the next-cell predictors, over the same arrays in a Heap. Same loops and
// arithmetic in the same order, so selections, counts and histories agree exactly with the
// WASM kernels (the position error and headings use the host's hypot and atan2, which may
// differ from AssemblyScript's in the last ulp). See assembly/twin.ts for the model.
import type { Heap } from "./heap.js";
import { lookupNearest } from "./site-lookup-js.js";

/** Predictor numbers of twinSync (src/twin/predictors.ts names). */
export const PREDICTOR_STAY = 0, PREDICTOR_VELOCITY = 1, PREDICTOR_MARKOV = 2;

export const STILL = 8;
export const HEADINGS = 9;
export const BINS = 4;
/** Mobility states per cell of the Markov predictor: heading octants (or still) x 4 x 4 position bins. */
export const STATES_PER_CELL = HEADINGS * BINS * BINS;
/** Displacements shorter than this (m) count as standing still. */
const STILL_M = 0.05;

/** The heading octant of a displacement, STILL when shorter than STILL_M (shared with src/twin/predictors.ts). */
export function headingOctant(dx: number, dy: number): number {
  if (dx * dx + dy * dy < STILL_M * STILL_M) return STILL;
  const a = Math.atan2(dy, dx); // (-pi, pi]
  return ((Math.round(a / (Math.PI / 4)) % 8) + 8) % 8;
}

const bin = (d: number, cellScaleM: number): number => Math.min(BINS - 1, Math.max(0, Math.floor((d / cellScaleM + 1) * (BINS / 2))));

function markovState(h: Heap, cell: number, x: number, y: number, dx: number, dy: number, siteX: number, siteY: number, cellScaleM: number): number {
  const pos = bin(x - h.f64[(siteX >>> 3) + cell], cellScaleM) * BINS + bin(y - h.f64[(siteY >>> 3) + cell], cellScaleM);
  return (cell * BINS * BINS + pos) * HEADINGS + headingOctant(dx, dy);
}

/** The site nearest to (x, y), the lowest index on ties (as closestSites with k = 1). */
function nearestSite(h: Heap, n: number, siteX: number, siteY: number, x: number, y: number): number {
  const f64 = h.f64, sx = siteX >>> 3, sy = siteY >>> 3;
  let best = 0, bestD2 = 0;
  for (let j = 0; j < n; j++) {
    const dx = f64[sx + j] - x, dy = f64[sy + j] - y;
    const d2 = dx * dx + dy * dy;
    if (j > 0 && d2 >= bestD2) continue;
    bestD2 = d2;
    best = j;
  }
  return best;
}

/** One more transition prev -> cell; prev's most frequent successor kept (ties: stay, then lowest index). */
function learn(h: Heap, prev: number, cell: number, n: number, counts: number, best: number, bestCount: number): void {
  const i32 = h.i32, at = (counts >>> 2) + prev * n + cell;
  const k = ++i32[at];
  const top = i32[(bestCount >>> 2) + prev];
  const own = (prev / STATES_PER_CELL) | 0;
  const b = top === 0 ? own : i32[(best >>> 2) + prev];
  if (cell === b || k > top) {
    i32[(best >>> 2) + prev] = cell;
    i32[(bestCount >>> 2) + prev] = k;
  } else if (k === top && (cell === own || (b !== own && cell < b))) {
    i32[(best >>> 2) + prev] = cell;
  }
}

/** Twin of the twinRequests export: dedup counts and the request history column. */
export function twinRequests(h: Heap, m: number, slot: number, active: number, taskType: number, bits: number, seenAt: number, dedupStats: number, requestHist: number, col: number): void {
  const f64 = h.f64, i32 = h.i32, s = dedupStats >>> 3;
  let requests = f64[s], fetches = f64[s + 1], bitsRequested = f64[s + 2], bitsFetched = f64[s + 3];
  for (let i = 0; i < m; i++) {
    const on = i32[(active >>> 2) + i] !== 0;
    const t = i32[(taskType >>> 2) + i];
    i32[(requestHist >>> 2) + col * m + i] = on ? t : -2;
    if (!on) continue;
    const b = f64[(bits >>> 3) + i];
    requests += 1;
    bitsRequested += b;
    if (t >= 0 && i32[(seenAt >>> 2) + t] === slot) continue;
    if (t >= 0) i32[(seenAt >>> 2) + t] = slot;
    fetches += 1;
    bitsFetched += b;
  }
  f64[s] = requests;
  f64[s + 1] = fetches;
  f64[s + 2] = bitsRequested;
  f64[s + 3] = bitsFetched;
}

/** Twin of the twinSync export: the physical sync, the histories, the predictors' scores and renewals. */
export function twinSync(
  h: Heap, m: number, n: number, hasPrevious: number, col: number,
  posX: number, posY: number, cell: number, obsX: number, obsY: number, obsServing: number,
  measRx: number, measOwn: number, measLoad: number, obsRx: number, obsOwn: number, obsLoad: number,
  histX: number, histY: number, histCell: number, histLoad: number,
  predictor: number, siteX: number, siteY: number, cellScaleM: number,
  predStay: number, predUsed: number, predX: number, predY: number,
  prevState: number, counts: number, best: number, bestCount: number, stats: number,
  lgx: number, lgy: number, lx0M: number, ly0M: number, linvCellM: number, lstart: number, lcand: number,
): void {
  const f64 = h.f64, i32 = h.i32;
  const previous = hasPrevious !== 0;
  const scoreUsed = predictor !== 0, velocity = predictor === 1, markov = predictor === 2;
  const st = stats >>> 3, usedAt = st + 2 * predictor;
  let stayHits = f64[st], stayTotal = f64[st + 1];
  let usedHits = f64[usedAt], usedTotal = f64[usedAt + 1];
  let errorM = f64[st + 6], errorTotal = f64[st + 7];
  for (let i = 0; i < m; i++) {
    const hc = col * m + i;
    const x = f64[(posX >>> 3) + i], y = f64[(posY >>> 3) + i], c = i32[(cell >>> 2) + i];
    const dx = x - f64[(obsX >>> 3) + i], dy = y - f64[(obsY >>> 3) + i];
    f64[(obsX >>> 3) + i] = x;
    f64[(obsY >>> 3) + i] = y;
    i32[(obsServing >>> 2) + i] = c;
    f64[(histX >>> 3) + hc] = x;
    f64[(histY >>> 3) + hc] = y;
    i32[(histCell >>> 2) + hc] = c;

    const stayWas = i32[(predStay >>> 2) + i];
    if (stayWas >= 0) {
      stayTotal += 1;
      if (stayWas === c) stayHits += 1;
      if (scoreUsed) {
        usedTotal += 1;
        if (i32[(predUsed >>> 2) + i] === c) usedHits += 1;
      }
    }
    const px = f64[(predX >>> 3) + i];
    if (!Number.isNaN(px)) {
      const ex = px - x, ey = f64[(predY >>> 3) + i] - y;
      errorM += Math.sqrt(ex * ex + ey * ey);
      errorTotal += 1;
    }
    const fx = previous ? x + dx : x, fy = previous ? y + dy : y;
    f64[(predX >>> 3) + i] = fx;
    f64[(predY >>> 3) + i] = fy;
    i32[(predStay >>> 2) + i] = c;
    if (velocity) {
      let guess = c;
      if (previous) {
        guess = lookupNearest(f64, i32, fx, fy, siteX, siteY, lgx, lgy, lx0M, ly0M, linvCellM, lstart, lcand);
        if (guess < 0) guess = nearestSite(h, n, siteX, siteY, fx, fy);
      }
      i32[(predUsed >>> 2) + i] = guess;
    }
    if (markov) {
      const prev = i32[(prevState >>> 2) + i];
      if (prev >= 0) learn(h, prev, c, n, counts, best, bestCount);
      const state = previous ? markovState(h, c, x, y, dx, dy, siteX, siteY, cellScaleM) : -1;
      i32[(prevState >>> 2) + i] = state;
      let guess = c;
      if (state >= 0 && i32[(bestCount >>> 2) + state] > 0) guess = i32[(best >>> 2) + state];
      i32[(predUsed >>> 2) + i] = guess;
    }
  }
  f64[st] = stayHits;
  f64[st + 1] = stayTotal;
  if (scoreUsed) {
    f64[usedAt] = usedHits;
    f64[usedAt + 1] = usedTotal;
  }
  f64[st + 6] = errorM;
  f64[st + 7] = errorTotal;

  for (let j = 0; j < n; j++) {
    const siteLoad = i32[(measLoad >>> 2) + j];
    f64[(obsRx >>> 3) + j] = f64[(measRx >>> 3) + j];
    f64[(obsOwn >>> 3) + j] = f64[(measOwn >>> 3) + j];
    i32[(obsLoad >>> 2) + j] = siteLoad;
    i32[(histLoad >>> 2) + col * n + j] = siteLoad;
  }
}
