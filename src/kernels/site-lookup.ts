// The site lookup (assembly/site-lookup.ts queries it): a uniform grid of square cells over the
// sites and the area, each cell listing in index order every site that can be the nearest to a
// point of the cell. Built here, on the host, into kernel memory, so both backends read the same
// lists; the TS twin of the query is lookupNearest in site-lookup-js.ts.
//
// A site j is listed for cell R when its least distance to R is at most D, the least over all
// sites of their greatest distance to R: any point p of R has its nearest site k within
// d(p, k) <= D, and d(p, j) >= mindist(R, j), so a site that is farther than D from all of R
// is never the nearest (nor tied for it). R is widened by a slack of 1e-9 of the coordinates'
// scale, and D by a relative 1e-9, so that rounding in the cell index or the distances never
// drops a site: the query's scan of the candidates, in index order with a strict "<", gives
// exactly the brute-force scan's site, ties to the lower index (test/site-lookup.test.ts).
import type { Machine } from "./machine.js";

/** Cells per site the grid aims at: a cell then lists about 2-3 candidates. */
const CELLS_PER_SITE = 16;
/** The grid's cells are at most this many per site (plus a constant), whatever the aspect ratio. */
const MAX_CELLS_PER_SITE = 32;
/** Room for this many candidates per cell on average; a layout needing more leaves the lookup off. */
const CANDIDATES_PER_CELL = 8;
/** Above this many sites the lookup is not built (its build is O(cells x sites)); callers search the grid. */
export const LOOKUP_MAX_SITES = 1024;

const maxCells = (n: number): number => (n > LOOKUP_MAX_SITES ? 0 : MAX_CELLS_PER_SITE * n + 64);

/** Kernel-memory bytes of a lookup for n sites (src/sweep/memory.ts counts two: the world's and the twin's). */
export const lookupBytes = (n: number): number => 4 * (maxCells(n) + 1) + 4 * CANDIDATES_PER_CELL * maxCells(n);

/** A site lookup in a Machine's memory, rebuilt when the sites move; its fields are the kernels' lookup arguments. */
export class SiteLookup {
  /** Cells along x and y; gx = 0: the lookup is off (every query returns -1). */
  gx = 0;
  gy = 0;
  x0M = 0;
  y0M = 0;
  invCellM = 1;
  /** Byte offsets of start (i32 [gx·gy + 1]) and cand (i32). */
  readonly start: number;
  readonly cand: number;
  private readonly capacity: number;
  /** The sites and area of the last build: a rebuild over the same ones (every episode's reset) is skipped. */
  private readonly builtX: Float64Array;
  private readonly builtY: Float64Array;
  private builtArea = { widthM: NaN, heightM: NaN };

  constructor(private readonly machine: Machine, readonly sites: number) {
    this.capacity = CANDIDATES_PER_CELL * maxCells(sites);
    this.start = machine.alloc(4 * (maxCells(sites) + 1));
    this.cand = machine.alloc(4 * Math.max(this.capacity, 1));
    this.builtX = new Float64Array(sites).fill(NaN);
    this.builtY = new Float64Array(sites).fill(NaN);
  }

  /** Builds the lookup over the sites (n = `sites`) and the area [0, widthM] x [0, heightM]; off when it cannot be. */
  build(siteX: ArrayLike<number>, siteY: ArrayLike<number>, area: { widthM: number; heightM: number }): void {
    const n = this.sites;
    if (this.builtOver(siteX, siteY, area)) return;
    for (let j = 0; j < n; j++) { this.builtX[j] = siteX[j]; this.builtY[j] = siteY[j]; }
    this.builtArea = { widthM: area.widthM, heightM: area.heightM };
    this.gx = this.gy = 0;
    if (n < 1 || n > LOOKUP_MAX_SITES) return;
    let x0 = 0, y0 = 0, x1 = area.widthM, y1 = area.heightM;
    for (let j = 0; j < n; j++) {
      x0 = Math.min(x0, siteX[j]); x1 = Math.max(x1, siteX[j]);
      y0 = Math.min(y0, siteY[j]); y1 = Math.max(y1, siteY[j]);
    }
    const w = x1 - x0, h = y1 - y0;
    if (![w, h, x0, y0].every(Number.isFinite) || !(w > 0 && h > 0)) return;
    let cellM = Math.sqrt((w * h) / (CELLS_PER_SITE * n)), gx: number, gy: number;
    for (;;) {
      gx = Math.ceil(w / cellM); gy = Math.ceil(h / cellM);
      if (gx * gy <= maxCells(n)) break;
      cellM *= 1.05;
    }
    const I = this.machine.heap.i32, st = this.start >>> 2, cd = this.cand >>> 2;
    const eps = 1e-9 * (Math.abs(x0) + Math.abs(y0) + w + h + cellM);
    let count = 0;
    for (let cy = 0; cy < gy; cy++) {
      const c = y0 + cy * cellM - eps, d = y0 + (cy + 1) * cellM + eps;
      for (let cx = 0; cx < gx; cx++) {
        const a = x0 + cx * cellM - eps, b = x0 + (cx + 1) * cellM + eps;
        let D2 = Infinity;
        for (let j = 0; j < n; j++) {
          const fx = Math.max(siteX[j] - a, b - siteX[j]), fy = Math.max(siteY[j] - c, d - siteY[j]);
          D2 = Math.min(D2, fx * fx + fy * fy);
        }
        const limit = D2 * (1 + 1e-9);
        I[st + cy * gx + cx] = count;
        for (let j = 0; j < n; j++) {
          const ex = Math.max(a - siteX[j], 0, siteX[j] - b), ey = Math.max(c - siteY[j], 0, siteY[j] - d);
          if (ex * ex + ey * ey > limit) continue;
          if (count === this.capacity) return; // a degenerate layout (many coincident sites): off
          I[cd + count++] = j;
        }
      }
    }
    I[st + gx * gy] = count;
    Object.assign(this, { gx, gy, x0M: x0, y0M: y0, invCellM: 1 / cellM });
  }

  /** Was the last build over exactly these sites and area? (A NaN never matches: such sites are rebuilt, and leave the lookup off.) */
  private builtOver(siteX: ArrayLike<number>, siteY: ArrayLike<number>, area: { widthM: number; heightM: number }): boolean {
    if (area.widthM !== this.builtArea.widthM || area.heightM !== this.builtArea.heightM) return false;
    for (let j = 0; j < this.sites; j++) if (siteX[j] !== this.builtX[j] || siteY[j] !== this.builtY[j]) return false;
    return true;
  }
}
