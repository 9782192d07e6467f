// Association of users to sites (cells), ported from src/world/association.ts, through a
// uniform bucket grid over the sites instead of a search of every site per user.
//
// The grid (built by gridBuild, geometry chosen by the host: gridGeometry in
// src/kernels/association-js.ts) covers the sites' bounding box with gx x gy square cells of
// side cellM from (x0M, y0M), about one site per cell; cell c = row * gx + column holds the
// sites cellSites[cellStart[c] .. cellStart[c + 1]) in index order (a counting sort).
//
// nearestK finds the k closest sites to a point, closest first, ties to the lower index:
// EXACTLY the result of the brute force `closestSites` (the same squared distances
// dx² + dy², dx = siteX - x, compared as (distance², index) pairs), by visiting rings of
// cells around the point's cell (clamped into the grid) until every cell not yet visited
// is farther than the k-th best; within a ring, a cell farther than the k-th best is skipped. The bound for the cells beyond a ring's side is the gap to
// that side, combined with the point's distance to the grid along the other axis (so users
// far outside the sites' box stop early), shrunk by a slack of 1e-9 of the coordinates'
// scale so that rounding in cell indices and edges never stops the search early; the
// stopping test is strict, so a site at exactly the k-th distance with a lower index is
// always found. Expected O(1) cells per user for uniformly spread sites.
//
// The grid arguments, in this order in every export: n, siteX, siteY (f64 [n]), gx, gy,
// x0M, y0M, cellM, cellStart (i32 [gx·gy + 1]), cellSites (i32 [n]).
import { lookupNearest } from "./site-lookup";

// @ts-ignore: decorator
@inline
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function i32Put(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** Cell index of coordinate v along one axis: floor((v - origin) / cellM) clamped to [0, g - 1] (NaN -> 0). */
// @ts-ignore: decorator
@inline
function cellIndex(v: f64, origin: f64, cellM: f64, g: i32): i32 {
  const f = Math.floor((v - origin) / cellM);
  if (!(f >= 0.0)) return 0;
  if (f > <f64>(g - 1)) return g - 1;
  return <i32>f;
}

/** Called by the host (src/world/motion.ts) when the sites are set: counting sort of the sites into the grid's cells. */
export function gridBuild(n: i32, siteX: usize, siteY: usize, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64, cellStart: usize, cellSites: usize): void {
  const cells = gx * gy;
  for (let c = 0; c <= cells; c++) i32Put(cellStart, c, 0);
  for (let j = 0; j < n; j++) {
    const c = cellIndex(f64At(siteY, j), y0M, cellM, gy) * gx + cellIndex(f64At(siteX, j), x0M, cellM, gx);
    i32Put(cellStart, c + 1, i32At(cellStart, c + 1) + 1);
  }
  for (let c = 0; c < cells; c++) i32Put(cellStart, c + 1, i32At(cellStart, c + 1) + i32At(cellStart, c));
  // Place with cellStart[c] as the cursor of cell c (it ends at the start of c + 1), then shift back.
  for (let j = 0; j < n; j++) {
    const c = cellIndex(f64At(siteY, j), y0M, cellM, gy) * gx + cellIndex(f64At(siteX, j), x0M, cellM, gx);
    const at = i32At(cellStart, c);
    i32Put(cellSites, at, j);
    i32Put(cellStart, c, at + 1);
  }
  for (let c = cells; c > 0; c--) i32Put(cellStart, c, i32At(cellStart, c - 1));
  i32Put(cellStart, 0, 0);
}

/** Offers the sites of cell c to the sorted list (idx, d2) of `filled` of at most kk entries; returns the new fill. */
// @ts-ignore: decorator
@inline
function visitCell(
  c: i32, px: f64, py: f64, kk: i32, filled: i32, siteX: usize, siteY: usize, cellStart: usize, cellSites: usize, idx: usize, d2: usize,
): i32 {
  const end = i32At(cellStart, c + 1);
  for (let s = i32At(cellStart, c); s < end; s++) {
    const j = i32At(cellSites, s);
    const dx = f64At(siteX, j) - px, dy = f64At(siteY, j) - py;
    const d = dx * dx + dy * dy;
    let p: i32;
    if (filled == kk) {
      const last = f64At(d2, kk - 1);
      if (d > last || (d == last && j > i32At(idx, kk - 1))) continue;
      p = kk - 1;
    } else {
      p = filled++;
    }
    while (p > 0) {
      const dp = f64At(d2, p - 1);
      if (!(dp > d || (dp == d && i32At(idx, p - 1) > j))) break;
      store<f64>(d2 + (<usize>p << 3), dp);
      i32Put(idx, p, i32At(idx, p - 1));
      p--;
    }
    store<f64>(d2 + (<usize>p << 3), d);
    i32Put(idx, p, j);
  }
  return filled;
}

/**
 * Lower bound on the squared distance from (px, py) to any site of cell (i, j): the gap to the
 * cell's rectangle along each axis, shrunk by the slack (the last column / row is open-ended,
 * for sites a rounding put there from just beyond the grid).
 */
// @ts-ignore: decorator
@inline
function cellMinD2(i: i32, j: i32, px: f64, py: f64, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64, slack: f64): f64 {
  const left = x0M + <f64>i * cellM, right = i == gx - 1 ? Infinity : x0M + <f64>(i + 1) * cellM;
  const bottom = y0M + <f64>j * cellM, top = j == gy - 1 ? Infinity : y0M + <f64>(j + 1) * cellM;
  const dx = max(max(left - px, px - right) - slack, 0.0);
  const dy = max(max(bottom - py, py - top) - slack, 0.0);
  return dx * dx + dy * dy;
}

/** The gap g shrunk by the slack, squared, plus the other axis' squared distance to the grid. */
// @ts-ignore: decorator
@inline
function sideBound(g: f64, slack: f64, other2: f64): f64 {
  const b = max(g - slack, 0.0);
  return b * b + other2;
}

/**
 * The min(k, n) closest sites to (px, py) into idx (i32) and their squared distances into d2
 * (f64), closest first, ties to the lower index; returns min(k, n). `scale` = |x0| + |y0| +
 * (gx + gy) cellM, for the slack.
 */
// @ts-ignore: decorator
@inline
function nearestK(
  px: f64, py: f64, k: i32, n: i32, siteX: usize, siteY: usize, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64,
  cellStart: usize, cellSites: usize, scale: f64, idx: usize, d2: usize,
): i32 {
  const kk = min(k, n);
  if (kk <= 0) return 0;
  const cx = cellIndex(px, x0M, cellM, gx), cy = cellIndex(py, y0M, cellM, gy);
  const slack = 1e-9 * (Math.abs(px) + Math.abs(py) + scale);
  const x1 = x0M + <f64>gx * cellM, y1 = y0M + <f64>gy * cellM;
  const dxg = max((px < x0M ? x0M - px : px > x1 ? px - x1 : 0.0) - slack, 0.0);
  const dyg = max((py < y0M ? y0M - py : py > y1 ? py - y1 : 0.0) - slack, 0.0);
  const dxg2 = dxg * dxg, dyg2 = dyg * dyg;
  let filled = 0;
  for (let r = 0; ; r++) {
    const ylo = max(cy - r, 0), yhi = min(cy + r, gy - 1);
    const xlo = max(cx - r, 0), xhi = min(cx + r, gx - 1);
    for (let j = ylo; j <= yhi; j++) {
      const row = j * gx;
      if (j == cy - r || j == cy + r) {
        for (let i = xlo; i <= xhi; i++) {
          if (filled < kk || cellMinD2(i, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= f64At(d2, kk - 1)) filled = visitCell(row + i, px, py, kk, filled, siteX, siteY, cellStart, cellSites, idx, d2);
        }
      } else {
        const a = cx - r, b = cx + r;
        if (a >= 0 && (filled < kk || cellMinD2(a, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= f64At(d2, kk - 1))) filled = visitCell(row + a, px, py, kk, filled, siteX, siteY, cellStart, cellSites, idx, d2);
        if (b < gx && (filled < kk || cellMinD2(b, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= f64At(d2, kk - 1))) filled = visitCell(row + b, px, py, kk, filled, siteX, siteY, cellStart, cellSites, idx, d2);
      }
    }
    // The nearest any unvisited cell can be: beyond each side of the visited square that has cells.
    let bound = Infinity;
    if (cx - r > 0) bound = min(bound, sideBound(px - (x0M + <f64>(cx - r) * cellM), slack, dyg2));
    if (cx + r < gx - 1) bound = min(bound, sideBound((x0M + <f64>(cx + r + 1) * cellM) - px, slack, dyg2));
    if (cy - r > 0) bound = min(bound, sideBound(py - (y0M + <f64>(cy - r) * cellM), slack, dxg2));
    if (cy + r < gy - 1) bound = min(bound, sideBound((y0M + <f64>(cy + r + 1) * cellM) - py, slack, dxg2));
    if (bound == Infinity) break; // every cell visited
    if (filled == kk && bound > f64At(d2, kk - 1)) break;
  }
  return filled;
}

// @ts-ignore: decorator
@inline
function gridScale(gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64): f64 {
  return Math.abs(x0M) + Math.abs(y0M) + <f64>(gx + gy) * cellM;
}

/** At most this many sites, associateNearest scans them instead of searching the grid (faster, same result). */
const SCAN_SITES = 32;

/** The nearest of the n sites to (x, y) by a scan, the lower index on ties (strict "<"); -1 for NaN. */
// @ts-ignore: decorator
@inline
function scanNearest(x: f64, y: f64, n: i32, siteX: usize, siteY: usize): i32 {
  let best = -1, bestD2 = Infinity;
  for (let j = 0; j < n; j++) {
    const dx = f64At(siteX, j) - x, dy = f64At(siteY, j) - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) { bestD2 = d2; best = j; }
  }
  return best;
}

/**
 * Called by the host once per slot (rule "nearest"): serving[i] = the closest site (lower index
 * on ties), through the site lookup (lgx .. lcand, assembly/site-lookup.ts); for users outside
 * it, or with the lookup off (lgx = 0), a scan of up to SCAN_SITES sites, else the grid search.
 * idx/d2: scratch of 1 entry.
 */
export function associateNearest(
  m: i32, xM: usize, yM: usize,
  n: i32, siteX: usize, siteY: usize, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64, cellStart: usize, cellSites: usize,
  serving: usize, idxScratch: usize, d2Scratch: usize,
  lgx: i32, lgy: i32, lx0M: f64, ly0M: f64, linvCellM: f64, lstart: usize, lcand: usize,
): void {
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  for (let i = 0; i < m; i++) {
    const x = f64At(xM, i), y = f64At(yM, i);
    let s = lgx > 0 ? lookupNearest(x, y, siteX, siteY, lgx, lgy, lx0M, ly0M, linvCellM, lstart, lcand) : -1;
    if (s < 0) {
      if (n <= SCAN_SITES) s = scanNearest(x, y, n, siteX, siteY);
      else s = nearestK(x, y, 1, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, idxScratch, d2Scratch) > 0 ? i32At(idxScratch, 0) : -1;
    }
    i32Put(serving, i, s);
  }
}

/**
 * Called by the host once per slot (rule "leastLoaded"): users in index order join the
 * least-loaded of their k closest sites, ties to the closer; load (i32 [n]) is zeroed first
 * and holds the users per site on return; idx/d2 scratch of k entries.
 */
export function associateLeastLoaded(
  m: i32, xM: usize, yM: usize, k: i32,
  n: i32, siteX: usize, siteY: usize, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64, cellStart: usize, cellSites: usize,
  serving: usize, load: usize, idxScratch: usize, d2Scratch: usize,
): void {
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  for (let j = 0; j < n; j++) i32Put(load, j, 0);
  for (let i = 0; i < m; i++) {
    const got = nearestK(f64At(xM, i), f64At(yM, i), k, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, idxScratch, d2Scratch);
    if (got == 0) { i32Put(serving, i, -1); continue; }
    let best = i32At(idxScratch, 0);
    for (let a = 1; a < got; a++) {
      const c = i32At(idxScratch, a);
      if (i32At(load, c) < i32At(load, best)) best = c;
    }
    i32Put(serving, i, best);
    i32Put(load, best, i32At(load, best) + 1);
  }
}

/**
 * Called by the twin's velocity predictor and the learners' encoding: the k nearest sites of
 * each of m query points (qx, qy), closest first, into out (i32 [m·k]); -1 past min(k, n).
 * d2Scratch: f64 [k].
 */
export function nearestSites(
  m: i32, qx: usize, qy: usize, k: i32,
  n: i32, siteX: usize, siteY: usize, gx: i32, gy: i32, x0M: f64, y0M: f64, cellM: f64, cellStart: usize, cellSites: usize,
  out: usize, d2Scratch: usize,
): void {
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  for (let i = 0; i < m; i++) {
    const row = out + ((<usize>i * <usize>k) << 2);
    const got = nearestK(f64At(qx, i), f64At(qy, i), k, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, row, d2Scratch);
    for (let a = got; a < k; a++) i32Put(row, a, -1);
  }
}
