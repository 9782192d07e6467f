// The digital twin's per-slot work in kernel memory (port of src/twin/twin-layer.ts,
// src/twin/predictors.ts, src/twin/ring.ts and src/twin/dedup.ts). The pure-TS twin is
// src/kernels/twin-js.ts; the host keeps the arrays (src/twin/twin-state.ts).
//
// Requests reach the twin every slot (twinRequests): identical requests are fetched once, and
// each user's request joins its history. The physical state (positions, cells) and the sites'
// measurements (received power, loads) reach it only at syncs (twinSync), every
// `syncPeriodSlots` slots, so between syncs the twin is stale. At each sync it appends to its
// ring-buffer histories and scores, learns and renews its next-cell predictions.
//
// Histories are rings of H columns, time-major: column `col` (the host's write count mod H)
// holds every entity's value of one sync, entity e of an m-entity ring at [col * m + e], so
// a sync writes each history sequentially.
//
// Next-cell prediction, each predictor scored against what happened:
// - stay (0): the user stays in its cell (the trivial baseline, always kept up to date).
// - velocity (1): constant-velocity extrapolation of the last displacement, one sync ahead; the
//   predicted cell is the site nearest to the extrapolated position (through the site lookup,
//   assembly/site-lookup.ts; a scan of the sites for points outside it).
// - markov (2): a first-order Markov chain learned online from every user's history. Its state is
//   the cell, the user's offset from the cell's site in a 4 x 4 grid of bins, and the heading
//   octant of the last displacement (8 octants or still). The cell alone would predict "stay"
//   everywhere, since staying is every cell's likeliest transition at slot scale: where in the
//   cell the user is, and which way it heads, is what tells which edge it is about to cross.
//   Transition counts are counts[state * n + cell]; each state's most frequent successor is
//   kept incrementally (best[state], bestCount[state]; bestCount 0: never left, the successor is
//   the state's own cell), so a prediction is O(1) instead of today's O(sites) scan, with the
//   same tie rules: staying wins ties, then the lowest index.
// Stats (f64[8]): hits and total of stay, velocity, markov, then the position forecast's
// summed error (m) and count. Only "stay" and the configured predictor are kept up to date.

import { lookupNearest } from "./site-lookup";

const STILL: i32 = 8;
const HEADINGS: i32 = 9;
const BINS: i32 = 4;
const STATES_PER_CELL: i32 = HEADINGS * BINS * BINS;
/** Displacements shorter than this (m) count as standing still. */
const STILL_M: f64 = 0.05;

// @ts-ignore: decorator
@inline
function headingOctant(dx: f64, dy: f64): i32 {
  if (dx * dx + dy * dy < STILL_M * STILL_M) return STILL;
  const a = Math.atan2(dy, dx); // (-pi, pi]
  return ((<i32>Math.round(a / (Math.PI / 4.0)) % 8) + 8) % 8;
}

/** Offset bin: offsets within +-cellScaleM binned finely into BINS, the rest clamped. */
// @ts-ignore: decorator
@inline
function bin(d: f64, cellScaleM: f64): i32 {
  return <i32>min(<f64>(BINS - 1), max(0.0, Math.floor((d / cellScaleM + 1.0) * <f64>(BINS / 2))));
}

/** Markov state of a user in `cell` at (x, y) that moved (dx, dy) since the previous sync. */
// @ts-ignore: decorator
@inline
function markovState(cell: i32, x: f64, y: f64, dx: f64, dy: f64, siteX: usize, siteY: usize, cellScaleM: f64): i32 {
  const c8 = <usize>cell << 3;
  const pos = bin(x - load<f64>(siteX + c8), cellScaleM) * BINS + bin(y - load<f64>(siteY + c8), cellScaleM);
  return (cell * BINS * BINS + pos) * HEADINGS + headingOctant(dx, dy);
}

/** The site nearest to (x, y), the lowest index on ties (as closestSites with k = 1). */
// @ts-ignore: decorator
@inline
function nearestSite(n: i32, siteX: usize, siteY: usize, x: f64, y: f64): i32 {
  let best = 0;
  let bestD2 = 0.0;
  for (let j = 0; j < n; j++) {
    const dx = load<f64>(siteX + (<usize>j << 3)) - x, dy = load<f64>(siteY + (<usize>j << 3)) - y;
    const d2 = dx * dx + dy * dy;
    if (j > 0 && d2 >= bestD2) continue;
    bestD2 = d2;
    best = j;
  }
  return best;
}

/** Counts one more transition prev -> cell and keeps prev's most frequent successor (ties: stay, then lowest index). */
// @ts-ignore: decorator
@inline
function learn(prev: i32, cell: i32, n: i32, counts: usize, best: usize, bestCount: usize): void {
  const at = counts + ((<usize>prev * <usize>n + <usize>cell) << 2);
  const k = load<i32>(at) + 1;
  store<i32>(at, k);
  const p4 = <usize>prev << 2;
  const top = load<i32>(bestCount + p4);
  const own = prev / STATES_PER_CELL;
  const b = top == 0 ? own : load<i32>(best + p4);
  if (cell == b || k > top) {
    store<i32>(best + p4, cell);
    store<i32>(bestCount + p4, k);
  } else if (k == top && (cell == own || (b != own && cell < b))) {
    store<i32>(best + p4, cell);
  }
}

/**
 * Called by the twin host every slot (TwinState.sync): counts the slot's requests as
 * RequestDedup (dedupStats f64[4]: requests, fetches, bitsRequested, bitsFetched; seenAt
 * i32[types]: the last slot each catalogue type was fetched; untyped tasks, type -1, are all
 * distinct) and writes each user's request (its type if active, else -2) at column `col` of
 * the request history (i32, H x m, time-major).
 */
export function twinRequests(m: i32, slot: i32, active: usize, taskType: usize, bits: usize, seenAt: usize, dedupStats: usize, requestHist: usize, col: i32): void {
  let requests = load<f64>(dedupStats), fetches = load<f64>(dedupStats, 8);
  let bitsRequested = load<f64>(dedupStats, 16), bitsFetched = load<f64>(dedupStats, 24);
  for (let i = 0; i < m; i++) {
    const u4 = <usize>i << 2;
    const on = load<i32>(active + u4) != 0;
    const t = load<i32>(taskType + u4);
    store<i32>(requestHist + ((<usize>col * <usize>m + <usize>i) << 2), on ? t : -2);
    if (!on) continue;
    const b = load<f64>(bits + (<usize>i << 3));
    requests += 1.0;
    bitsRequested += b;
    if (t >= 0 && load<i32>(seenAt + (<usize>t << 2)) == slot) continue;
    if (t >= 0) store<i32>(seenAt + (<usize>t << 2), slot);
    fetches += 1.0;
    bitsFetched += b;
  }
  store<f64>(dedupStats, requests);
  store<f64>(dedupStats, fetches, 8);
  store<f64>(dedupStats, bitsRequested, 16);
  store<f64>(dedupStats, bitsFetched, 24);
}

/**
 * Called by the twin host on sync slots (TwinState.sync): the physical sync in one pass over
 * the users. Per user: displacement since the last sync (posX - obsX), positions and cell
 * copied into the observation (obsX, obsY, obsServing), pushed at column `col` of the x, y and
 * cell histories (H x m, time-major), then the predictions made at the previous sync scored against the cell
 * now, the constant-velocity forecast (predX, predY; the position itself at the first sync),
 * and the configured predictor (0 stay, 1 velocity, 2 markov) renewed into predUsed (predStay
 * for stay). Per site: the measurements of the last evaluated slot (measRx, measOwn, measLoad)
 * into the observation and the load history (H x n). hasPrevious: 0 at the first sync. The
 * velocity predictor finds the nearest site through the site lookup (lgx .. lcand).
 */
export function twinSync(
  m: i32, n: i32, hasPrevious: i32, col: i32,
  posX: usize, posY: usize, cell: usize, obsX: usize, obsY: usize, obsServing: usize,
  measRx: usize, measOwn: usize, measLoad: usize, obsRx: usize, obsOwn: usize, obsLoad: usize,
  histX: usize, histY: usize, histCell: usize, histLoad: usize,
  predictor: i32, siteX: usize, siteY: usize, cellScaleM: f64,
  predStay: usize, predUsed: usize, predX: usize, predY: usize,
  prevState: usize, counts: usize, best: usize, bestCount: usize, stats: usize,
  lgx: i32, lgy: i32, lx0M: f64, ly0M: f64, linvCellM: f64, lstart: usize, lcand: usize,
): void {
  const previous = hasPrevious != 0;
  const scoreUsed = predictor != 0, velocity = predictor == 1, markov = predictor == 2;
  const usedAt = <usize>predictor << 4;
  let stayHits = load<f64>(stats), stayTotal = load<f64>(stats, 8);
  let usedHits = load<f64>(stats + usedAt), usedTotal = load<f64>(stats + usedAt, 8);
  let errorM = load<f64>(stats, 48), errorTotal = load<f64>(stats, 56);
  const row = <usize>col * <usize>m;
  for (let i = 0; i < m; i++) {
    const u4 = <usize>i << 2, u8 = <usize>i << 3;
    const h = row + <usize>i;
    const x = load<f64>(posX + u8), y = load<f64>(posY + u8), c = load<i32>(cell + u4);
    const dx = x - load<f64>(obsX + u8), dy = y - load<f64>(obsY + u8);
    store<f64>(obsX + u8, x);
    store<f64>(obsY + u8, y);
    store<i32>(obsServing + u4, c);
    store<f64>(histX + (h << 3), x);
    store<f64>(histY + (h << 3), y);
    store<i32>(histCell + (h << 2), c);

    const stayWas = load<i32>(predStay + u4);
    if (stayWas >= 0) {
      stayTotal += 1.0;
      if (stayWas == c) stayHits += 1.0;
      if (scoreUsed) {
        usedTotal += 1.0;
        if (load<i32>(predUsed + u4) == c) usedHits += 1.0;
      }
    }
    const px = load<f64>(predX + u8);
    if (!isNaN(px)) {
      const ex = px - x, ey = load<f64>(predY + u8) - y;
      errorM += Math.sqrt(ex * ex + ey * ey);
      errorTotal += 1.0;
    }
    const fx = previous ? x + dx : x, fy = previous ? y + dy : y;
    store<f64>(predX + u8, fx);
    store<f64>(predY + u8, fy);
    store<i32>(predStay + u4, c);
    if (velocity) {
      let guess = c;
      if (previous) {
        guess = lookupNearest(fx, fy, siteX, siteY, lgx, lgy, lx0M, ly0M, linvCellM, lstart, lcand);
        if (guess < 0) guess = nearestSite(n, siteX, siteY, fx, fy);
      }
      store<i32>(predUsed + u4, guess);
    }
    if (markov) {
      const prev = load<i32>(prevState + u4);
      if (prev >= 0) learn(prev, c, n, counts, best, bestCount);
      const state = previous ? markovState(c, x, y, dx, dy, siteX, siteY, cellScaleM) : -1;
      store<i32>(prevState + u4, state);
      let guess = c;
      if (state >= 0 && load<i32>(bestCount + (<usize>state << 2)) > 0) guess = load<i32>(best + (<usize>state << 2));
      store<i32>(predUsed + u4, guess);
    }
  }
  store<f64>(stats, stayHits);
  store<f64>(stats, stayTotal, 8);
  if (scoreUsed) {
    store<f64>(stats + usedAt, usedHits);
    store<f64>(stats + usedAt, usedTotal, 8);
  }
  store<f64>(stats, errorM, 48);
  store<f64>(stats, errorTotal, 56);

  for (let j = 0; j < n; j++) {
    const s4 = <usize>j << 2, s8 = <usize>j << 3;
    const siteLoad = load<i32>(measLoad + s4);
    store<f64>(obsRx + s8, load<f64>(measRx + s8));
    store<f64>(obsOwn + s8, load<f64>(measOwn + s8));
    store<i32>(obsLoad + s4, siteLoad);
    store<i32>(histLoad + ((<usize>col * <usize>n + <usize>j) << 2), siteLoad);
  }
}
