// The site lookup: through it, the nearest site of any point is EXACTLY the brute force's
// (closestSites with k = 1, ties to the lower index), on both backends, for adversarial points:
// the lookup's own cell borders and corners, points equidistant from two sites, sites
// themselves, points outside it; and it stays small (few candidates per cell) or turns off.
import { describe, expect, it } from "vitest";
import { createMachine } from "../src/kernels/machine.js";
import { LOOKUP_MAX_SITES, SiteLookup } from "../src/kernels/site-lookup.js";
import { lookupNearest } from "../src/kernels/site-lookup-js.js";
import { closestSites } from "../src/world/association.js";
import { stream, uniform, type Rng } from "../src/world/rng.js";
import type { Sites } from "../src/world/topology.js";

const area = { widthM: 900, heightM: 500 };
const sitesOf = (xs: number[], ys: number[]): Sites => ({ count: xs.length, xM: Float64Array.from(xs), yM: Float64Array.from(ys), cpuHz: new Float64Array(xs.length) });

function layouts(r: Rng): [string, Sites][] {
  const rnd = (n: number, x0: number, x1: number, y0: number, y1: number): Sites =>
    sitesOf(Array.from({ length: n }, () => uniform(r, x0, x1)), Array.from({ length: n }, () => uniform(r, y0, y1)));
  const lattice = (cols: number, rows: number): Sites => sitesOf(
    Array.from({ length: cols * rows }, (_, j) => ((j % cols) + 0.5) * (area.widthM / cols)),
    Array.from({ length: cols * rows }, (_, j) => (Math.floor(j / cols) + 0.5) * (area.heightM / rows)));
  return [
    ["one site", sitesOf([450], [250])],
    ["lattice 5 x 3", lattice(5, 3)],
    ["lattice 10 x 10", lattice(10, 10)],
    ["random 37", rnd(37, 0, area.widthM, 0, area.heightM)],
    ["random 300 in a corner", rnd(300, 0, 200, 0, 100)],
    ["integer points with repeats", sitesOf(Array.from({ length: 24 }, (_, j) => 100 * (j % 4)), Array.from({ length: 24 }, (_, j) => 100 * Math.floor(j / 8)))],
    ["on a line", sitesOf(Array.from({ length: 20 }, (_, j) => 40 * j), Array(20).fill(200))],
    ["beyond the area", rnd(12, -2000, -1000, 600, 3000)],
  ];
}

/** Adversarial queries for a built lookup: its cell borders and corners, bisectors of site pairs, the sites, random and outside points. */
function queries(s: Sites, L: SiteLookup, r: Rng): [number, number][] {
  const q: [number, number][] = [];
  const cellM = 1 / L.invCellM;
  for (let a = 0; a <= L.gx; a++) for (let b = 0; b <= L.gy; b += Math.max(1, Math.floor(L.gy / 12))) q.push([L.x0M + a * cellM, L.y0M + b * cellM]);
  for (let a = 0; a <= L.gx; a++) q.push([L.x0M + a * cellM, uniform(r, L.y0M, L.y0M + L.gy * cellM)]);
  for (let b = 0; b <= L.gy; b++) q.push([uniform(r, L.x0M, L.x0M + L.gx * cellM), L.y0M + b * cellM]);
  for (let j = 0; j < Math.min(s.count, 40); j++) {
    q.push([s.xM[j], s.yM[j]]);
    for (let k = j + 1; k < Math.min(s.count, 40); k++) q.push([(s.xM[j] + s.xM[k]) / 2, (s.yM[j] + s.yM[k]) / 2]);
  }
  for (let i = 0; i < 2000; i++) q.push([uniform(r, -200, area.widthM + 200), uniform(r, -200, area.heightM + 200)]);
  return q;
}

describe("site lookup", () => {
  it("gives the brute force's nearest site (ties to the lower index) for every adversarial point, on both backends", () => {
    const r = stream(11, "lookup");
    for (const [kind, s] of layouts(r)) {
      const want: number[][] = [];
      for (const backend of ["wasm", "js"] as const) {
        const m = createMachine(backend), n = s.count;
        const L = new SiteLookup(m, n);
        L.build(s.xM, s.yM, area);
        expect(L.gx * L.gy, kind).toBeGreaterThan(0);
        const q = queries(s, L, stream(12, kind));
        const users = q.length, x = m.alloc(8 * users), y = m.alloc(8 * users), serving = m.alloc(4 * users), idx = m.alloc(4), d2 = m.alloc(8);
        const sx = m.alloc(8 * n), sy = m.alloc(8 * n);
        m.heap.f64.set(s.xM, sx >>> 3);
        m.heap.f64.set(s.yM, sy >>> 3);
        q.forEach(([a, b], i) => { m.heap.f64[(x >>> 3) + i] = a; m.heap.f64[(y >>> 3) + i] = b; });
        // The grid-search arguments are unused for points the lookup answers; for the rest (outside it), n <= 32 scans, else a 1-cell grid searches.
        const cs = m.alloc(8), cl = m.alloc(4 * n);
        m.heap.i32[(cs >>> 2) + 1] = n;
        for (let j = 0; j < n; j++) m.heap.i32[(cl >>> 2) + j] = j;
        m.fns.associateNearest(users, x, y, n, sx, sy, 1, 1, -1e6, -1e6, 1e7, cs, cl, serving, idx, d2, L.gx, L.gy, L.x0M, L.y0M, L.invCellM, L.start, L.cand);
        const got = Array.from(m.heap.i32.subarray(serving >>> 2, (serving >>> 2) + users));
        const out = new Int32Array(1), dist2 = new Float64Array(1);
        const brute = q.map(([a, b]) => (closestSites(s, a, b, 1, out, dist2), out[0]));
        expect(got, `${kind} ${backend}`).toEqual(brute);
        want.push(got);
      }
      expect(want[1]).toEqual(want[0]);
    }
  });

  it("lists few candidates per cell, and is off for degenerate layouts and beyond its size", () => {
    const m = createMachine("js"), r = stream(13, "lookup");
    const n = 100, s = sitesOf(Array.from({ length: n }, () => uniform(r, 0, area.widthM)), Array.from({ length: n }, () => uniform(r, 0, area.heightM)));
    const L = new SiteLookup(m, n);
    L.build(s.xM, s.yM, area);
    const cells = L.gx * L.gy, listed = m.heap.i32[(L.start >>> 2) + cells];
    expect(cells).toBeGreaterThanOrEqual(16 * n);
    expect(listed / cells).toBeLessThan(4);
    const same = new SiteLookup(m, 50);
    same.build(new Float64Array(50).fill(100), new Float64Array(50).fill(100), area); // every site a candidate everywhere: too many
    expect(same.gx).toBe(0);
    const big = new SiteLookup(m, LOOKUP_MAX_SITES + 1);
    big.build(new Float64Array(LOOKUP_MAX_SITES + 1).map(() => uniform(r, 0, 900)), new Float64Array(LOOKUP_MAX_SITES + 1).map(() => uniform(r, 0, 500)), area);
    expect(big.gx).toBe(0);
  });
});

describe("site lookup rebuilds", () => {
  it("follows the sites when they move, and skips a rebuild over the same sites", () => {
    const m = createMachine("js"), L = new SiteLookup(m, 2), sx = m.alloc(16), sy = m.alloc(16);
    const place = (xs: number[]): void => {
      m.heap.f64.set(xs, sx >>> 3);
      m.heap.f64.set([250, 250], sy >>> 3);
      L.build(xs, [250, 250], area);
    };
    const nearestTo = (x: number): number => lookupNearest(m.heap.f64, m.heap.i32, x, 250, sx, sy, L.gx, L.gy, L.x0M, L.y0M, L.invCellM, L.start, L.cand);
    place([100, 800]);
    expect(nearestTo(300)).toBe(0);
    const cells = L.gx * L.gy, lists = Array.from(m.heap.i32.subarray(L.start >>> 2, (L.start >>> 2) + cells + 1));
    m.heap.i32.fill(0, L.start >>> 2, (L.start >>> 2) + cells + 1);
    place([100, 800]); // the same sites: skipped, the (here cleared) lists stay as they are
    expect(m.heap.i32[(L.start >>> 2) + cells]).toBe(0);
    m.heap.i32.set(lists, L.start >>> 2);
    place([100, 200]); // moved: rebuilt, and the nearest site follows
    expect(nearestTo(300)).toBe(1);
    expect(nearestTo(120)).toBe(0);
  });
});
