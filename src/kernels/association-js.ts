// The pure-TS twin of assembly/association.ts (association through a bucket grid over the
// sites; the search and its exactness argument are documented there), and the grid's
// geometry, which the host computes for both backends. Selections are integers compared
// exactly: the twin computes the same squared distances in the same order as the kernel and
// as the brute force closestSites (src/world/association.ts).
import type { Heap } from "./heap.js";
import { lookupNearest } from "./site-lookup-js.js";

/** A grid over the sites: gx x gy square cells of side cellM from (x0M, y0M). */
export interface GridGeometry {
  readonly gx: number;
  readonly gy: number;
  readonly x0M: number;
  readonly y0M: number;
  readonly cellM: number;
}

/** Upper bound on gx·gy for n sites (gridGeometry keeps to it): the host sizes cellStart to it + 1. */
export const maxGridCells = (n: number): number => 3 * Math.max(n, 1) + 1;

/**
 * The grid over n sites' bounding box: about one site per cell (cellM = sqrt(area / n)), but
 * at most n + 1 cells along either side (cellM >= the longer side / n) so that sites on a
 * line or in a thin strip do not make a huge grid; one 1 m cell when all sites coincide.
 * Cells are floor(extent / cellM) + 1 along each axis, so the box's far edge falls inside
 * the grid; gx·gy <= maxGridCells(n).
 */
export function gridGeometry(n: number, siteX: ArrayLike<number>, siteY: ArrayLike<number>): GridGeometry {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let j = 0; j < n; j++) {
    x0 = Math.min(x0, siteX[j]); x1 = Math.max(x1, siteX[j]);
    y0 = Math.min(y0, siteY[j]); y1 = Math.max(y1, siteY[j]);
  }
  if (n === 0) x0 = y0 = x1 = y1 = 0;
  if (![x0, y0, x1, y1].every(Number.isFinite)) throw new RangeError("site positions must be finite");
  const w = x1 - x0, h = y1 - y0, count = Math.max(n, 1);
  let cellM = Math.max(Math.sqrt((w * h) / count), Math.max(w, h) / count);
  if (!(cellM > 0)) cellM = 1;
  for (;;) {
    const gx = Math.floor(w / cellM) + 1, gy = Math.floor(h / cellM) + 1;
    if (gx * gy <= maxGridCells(n)) return { gx, gy, x0M: x0, y0M: y0, cellM };
    cellM *= 1 + 1e-9; // rounding only: the bound holds for the exact quotients
  }
}

/** Cell index of coordinate v along one axis: floor((v - origin) / cellM) clamped to [0, g - 1] (NaN -> 0). */
function cellIndex(v: number, origin: number, cellM: number, g: number): number {
  const f = Math.floor((v - origin) / cellM);
  if (!(f >= 0)) return 0;
  if (f > g - 1) return g - 1;
  return f | 0;
}

/** Twin of gridBuild: counting sort of the sites into the cells, index order within a cell. */
export function gridBuild(h: Heap, n: number, siteX: number, siteY: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: number, cellSites: number): void {
  const f = h.f64, I = h.i32, cs = cellStart >>> 2, sx = siteX >>> 3, sy = siteY >>> 3, out = cellSites >>> 2;
  const cells = Math.imul(gx, gy);
  for (let c = 0; c <= cells; c++) I[cs + c] = 0;
  for (let j = 0; j < n; j++) {
    const c = Math.imul(cellIndex(f[sy + j], y0M, cellM, gy), gx) + cellIndex(f[sx + j], x0M, cellM, gx);
    I[cs + c + 1]++;
  }
  for (let c = 0; c < cells; c++) I[cs + c + 1] += I[cs + c];
  for (let j = 0; j < n; j++) {
    const c = Math.imul(cellIndex(f[sy + j], y0M, cellM, gy), gx) + cellIndex(f[sx + j], x0M, cellM, gx);
    const at = I[cs + c];
    I[out + at] = j;
    I[cs + c] = at + 1;
  }
  for (let c = cells; c > 0; c--) I[cs + c] = I[cs + c - 1];
  I[cs] = 0;
}

/** Offers the sites of cell c to the sorted list (idx, d2) of `filled` of at most kk entries; returns the new fill. */
function visitCell(h: Heap, c: number, px: number, py: number, kk: number, filled: number, sx: number, sy: number, cs: number, sites: number, ix: number, dd: number): number {
  const f = h.f64, I = h.i32;
  const end = I[cs + c + 1];
  for (let s = I[cs + c]; s < end; s++) {
    const j = I[sites + s];
    const dx = f[sx + j] - px, dy = f[sy + j] - py;
    const d = dx * dx + dy * dy;
    let p: number;
    if (filled === kk) {
      const last = f[dd + kk - 1];
      if (d > last || (d === last && j > I[ix + kk - 1])) continue;
      p = kk - 1;
    } else {
      p = filled++;
    }
    while (p > 0) {
      const dp = f[dd + p - 1];
      if (!(dp > d || (dp === d && I[ix + p - 1] > j))) break;
      f[dd + p] = dp;
      I[ix + p] = I[ix + p - 1];
      p--;
    }
    f[dd + p] = d;
    I[ix + p] = j;
  }
  return filled;
}

/** Lower bound on the squared distance from (px, py) to any site of cell (i, j), as the kernel's cellMinD2. */
function cellMinD2(i: number, j: number, px: number, py: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number, slack: number): number {
  const left = x0M + i * cellM, right = i === gx - 1 ? Infinity : x0M + (i + 1) * cellM;
  const bottom = y0M + j * cellM, top = j === gy - 1 ? Infinity : y0M + (j + 1) * cellM;
  const dx = Math.max(Math.max(left - px, px - right) - slack, 0);
  const dy = Math.max(Math.max(bottom - py, py - top) - slack, 0);
  return dx * dx + dy * dy;
}

function sideBound(g: number, slack: number, other2: number): number {
  const b = Math.max(g - slack, 0);
  return b * b + other2;
}

/** The min(k, n) closest sites to (px, py) into idx / d2 (byte offsets), closest first, ties to the lower index. */
function nearestK(
  h: Heap, px: number, py: number, k: number, n: number, siteX: number, siteY: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number,
  cellStart: number, cellSites: number, scale: number, idx: number, d2: number,
): number {
  const kk = Math.min(k, n);
  if (kk <= 0) return 0;
  const sx = siteX >>> 3, sy = siteY >>> 3, cs = cellStart >>> 2, sites = cellSites >>> 2, ix = idx >>> 2, dd = d2 >>> 3;
  const cx = cellIndex(px, x0M, cellM, gx), cy = cellIndex(py, y0M, cellM, gy);
  const slack = 1e-9 * (Math.abs(px) + Math.abs(py) + scale);
  const x1 = x0M + gx * cellM, y1 = y0M + gy * cellM;
  const dxg = Math.max((px < x0M ? x0M - px : px > x1 ? px - x1 : 0) - slack, 0);
  const dyg = Math.max((py < y0M ? y0M - py : py > y1 ? py - y1 : 0) - slack, 0);
  const dxg2 = dxg * dxg, dyg2 = dyg * dyg;
  let filled = 0;
  for (let r = 0; ; r++) {
    const ylo = Math.max(cy - r, 0), yhi = Math.min(cy + r, gy - 1);
    const xlo = Math.max(cx - r, 0), xhi = Math.min(cx + r, gx - 1);
    for (let j = ylo; j <= yhi; j++) {
      const row = Math.imul(j, gx);
      if (j === cy - r || j === cy + r) {
        for (let i = xlo; i <= xhi; i++) {
          if (filled < kk || cellMinD2(i, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= h.f64[dd + kk - 1]) filled = visitCell(h, row + i, px, py, kk, filled, sx, sy, cs, sites, ix, dd);
        }
      } else {
        const a = cx - r, b = cx + r;
        if (a >= 0 && (filled < kk || cellMinD2(a, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= h.f64[dd + kk - 1])) filled = visitCell(h, row + a, px, py, kk, filled, sx, sy, cs, sites, ix, dd);
        if (b < gx && (filled < kk || cellMinD2(b, j, px, py, gx, gy, x0M, y0M, cellM, slack) <= h.f64[dd + kk - 1])) filled = visitCell(h, row + b, px, py, kk, filled, sx, sy, cs, sites, ix, dd);
      }
    }
    // The nearest any unvisited cell can be: beyond each side of the visited square that has cells.
    let bound = Infinity;
    if (cx - r > 0) bound = Math.min(bound, sideBound(px - (x0M + (cx - r) * cellM), slack, dyg2));
    if (cx + r < gx - 1) bound = Math.min(bound, sideBound((x0M + (cx + r + 1) * cellM) - px, slack, dyg2));
    if (cy - r > 0) bound = Math.min(bound, sideBound(py - (y0M + (cy - r) * cellM), slack, dxg2));
    if (cy + r < gy - 1) bound = Math.min(bound, sideBound((y0M + (cy + r + 1) * cellM) - py, slack, dxg2));
    if (bound === Infinity) break; // every cell visited
    if (filled === kk && bound > h.f64[dd + kk - 1]) break;
  }
  return filled;
}

const gridScale = (gx: number, gy: number, x0M: number, y0M: number, cellM: number): number => Math.abs(x0M) + Math.abs(y0M) + (gx + gy) * cellM;

/** Twin of SCAN_SITES in assembly/association.ts: up to this many sites are scanned, not searched. */
const SCAN_SITES = 32;

/** Twin of scanNearest: the nearest of the n sites by a scan, the lower index on ties; -1 for NaN. */
function scanNearest(f: Float64Array, x: number, y: number, n: number, siteX: number, siteY: number): number {
  const sx = siteX >>> 3, sy = siteY >>> 3;
  let best = -1, bestD2 = Infinity;
  for (let j = 0; j < n; j++) {
    const dx = f[sx + j] - x, dy = f[sy + j] - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) { bestD2 = d2; best = j; }
  }
  return best;
}

/** Twin of associateNearest: serving[i] = the closest site (lower index on ties), through the site lookup first. */
export function associateNearest(
  h: Heap, m: number, xM: number, yM: number,
  n: number, siteX: number, siteY: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: number, cellSites: number,
  serving: number, idxScratch: number, d2Scratch: number,
  lgx: number, lgy: number, lx0M: number, ly0M: number, linvCellM: number, lstart: number, lcand: number,
): void {
  const f = h.f64, I = h.i32, x = xM >>> 3, y = yM >>> 3, sv = serving >>> 2;
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  for (let i = 0; i < m; i++) {
    const px = f[x + i], py = f[y + i];
    let s = lgx > 0 ? lookupNearest(f, I, px, py, siteX, siteY, lgx, lgy, lx0M, ly0M, linvCellM, lstart, lcand) : -1;
    if (s < 0) {
      if (n <= SCAN_SITES) s = scanNearest(f, px, py, n, siteX, siteY);
      else s = nearestK(h, px, py, 1, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, idxScratch, d2Scratch) > 0 ? I[idxScratch >>> 2] : -1;
    }
    I[sv + i] = s;
  }
}

/** Twin of associateLeastLoaded: users in index order join the least-loaded of their k closest, ties to the closer. */
export function associateLeastLoaded(
  h: Heap, m: number, xM: number, yM: number, k: number,
  n: number, siteX: number, siteY: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: number, cellSites: number,
  serving: number, load: number, idxScratch: number, d2Scratch: number,
): void {
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  const f = h.f64, I = h.i32, x = xM >>> 3, y = yM >>> 3, sv = serving >>> 2, ld = load >>> 2, ix = idxScratch >>> 2;
  for (let j = 0; j < n; j++) I[ld + j] = 0;
  for (let i = 0; i < m; i++) {
    const got = nearestK(h, f[x + i], f[y + i], k, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, idxScratch, d2Scratch);
    if (got === 0) { I[sv + i] = -1; continue; }
    let best = I[ix];
    for (let a = 1; a < got; a++) {
      const c = I[ix + a];
      if (I[ld + c] < I[ld + best]) best = c;
    }
    I[sv + i] = best;
    I[ld + best]++;
  }
}

/** Twin of nearestSites: the k nearest sites of each query point into out (i32 [m·k]), -1 past min(k, n). */
export function nearestSites(
  h: Heap, m: number, qx: number, qy: number, k: number,
  n: number, siteX: number, siteY: number, gx: number, gy: number, x0M: number, y0M: number, cellM: number, cellStart: number, cellSites: number,
  out: number, d2Scratch: number,
): void {
  const scale = gridScale(gx, gy, x0M, y0M, cellM);
  const f = h.f64, I = h.i32, x = qx >>> 3, y = qy >>> 3;
  for (let i = 0; i < m; i++) {
    const row = out + 4 * i * k;
    const got = nearestK(h, f[x + i], f[y + i], k, n, siteX, siteY, gx, gy, x0M, y0M, cellM, cellStart, cellSites, scale, row, d2Scratch);
    for (let a = got; a < k; a++) I[(row >>> 2) + a] = -1;
  }
}
