// Association through the grid over the sites: the k nearest sites of any point EXACTLY as
// today's brute force closestSites (indices and order, ties to the lower index), nearest and
// least-loaded association exactly as today's `associate`, and WASM equal to the TS twin.
import { describe, expect, it } from "vitest";
import { gridGeometry, maxGridCells, type GridGeometry } from "../src/kernels/association-js.js";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import { SiteLookup } from "../src/kernels/site-lookup.js";
import { associate, closestSites } from "../src/world/association.js";
import { stream, uniform, type Rng } from "../src/world/rng.js";
import { gridShape, type Sites } from "../src/world/topology.js";

const W = 1000, H = 600;

function sitesOf(xs: number[], ys: number[]): Sites {
  return { count: xs.length, xM: Float64Array.from(xs), yM: Float64Array.from(ys), cpuHz: new Float64Array(xs.length) };
}

function randomSites(n: number, r: Rng, x0 = 0, x1 = W, y0 = 0, y1 = H): Sites {
  const xs: number[] = [], ys: number[] = [];
  for (let j = 0; j < n; j++) { xs.push(uniform(r, x0, x1)); ys.push(uniform(r, y0, y1)); }
  return sitesOf(xs, ys);
}

/** As placeSites' "grid": centres of the first n cells of a rows x cols lattice. */
function latticeSites(n: number): Sites {
  const { cols, rows } = gridShape(n, W, H);
  const xs: number[] = [], ys: number[] = [];
  for (let j = 0; j < n; j++) { xs.push(((j % cols) + 0.5) * (W / cols)); ys.push((Math.floor(j / cols) + 0.5) * (H / rows)); }
  return sitesOf(xs, ys);
}

/** Site sets of every kind the tests cover, for n sites. */
function siteSets(n: number, r: Rng): [string, Sites][] {
  const dupXs = Array.from({ length: n }, (_, j) => [100, 700, 100][j % 3]), dupYs = Array.from({ length: n }, (_, j) => [50, 500, 50][j % 3]);
  const sets: [string, Sites][] = [
    ["random", randomSites(n, r)],
    ["lattice", latticeSites(n)],
    ["outside the area", randomSites(n, r, -3000, -2000, 900, 5000)],
    ["duplicates", sitesOf(dupXs, dupYs)],
    ["all at one point", sitesOf(Array(n).fill(250), Array(n).fill(250))],
    ["on a line", sitesOf(Array.from({ length: n }, (_, j) => 10 * j), Array(n).fill(300))],
    ["integer lattice with repeats", sitesOf(Array.from({ length: n }, (_, j) => 100 * (j % 4)), Array.from({ length: n }, (_, j) => 100 * Math.floor(j / 8)))],
  ];
  if (n > 1) {
    const c = randomSites(n - 1, r, 0, 20, 0, 20); // a tight cluster and one far site
    sets.push(["cluster and one far", sitesOf([...c.xM, 5e4], [...c.yM, -2e4])]);
  }
  return sets;
}

/** Query points: random inside and around the area, exactly on the sites, on cell borders and corners, far outside, midpoints. */
function queries(s: Sites, g: GridGeometry, r: Rng): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  const add = (a: number, b: number): void => { x.push(a); y.push(b); };
  for (let i = 0; i < 200; i++) add(uniform(r, -0.3 * W, 1.3 * W), uniform(r, -0.3 * H, 1.3 * H));
  for (let j = 0; j < s.count; j++) add(s.xM[j], s.yM[j]);
  for (let c = 0; c <= g.gx + 1; c++) add(g.x0M + c * g.cellM, uniform(r, g.y0M - 10, g.y0M + g.gy * g.cellM + 10));
  for (let c = 0; c <= g.gy + 1; c++) add(uniform(r, g.x0M - 10, g.x0M + g.gx * g.cellM + 10), g.y0M + c * g.cellM);
  for (let a = 0; a <= Math.min(g.gx, 20); a++) for (let b = 0; b <= Math.min(g.gy, 20); b++) add(g.x0M + a * g.cellM, g.y0M + b * g.cellM);
  for (let j = 0; j + 1 < Math.min(s.count, 60); j++) add((s.xM[j] + s.xM[j + 1]) / 2, (s.yM[j] + s.yM[j + 1]) / 2);
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) add(100 * a + 50, 100 * b + 50); // equidistant from integer-lattice sites
  add(-1e5, -1e5); add(1e5, 300); add(500, 1e6); add(g.x0M, g.y0M);
  return { x, y };
}

interface Grid {
  m: Machine;
  g: GridGeometry;
  n: number;
  sx: number;
  sy: number;
  cellStart: number;
  cellSites: number;
}

function grid(m: Machine, s: Sites): Grid {
  const g = gridGeometry(s.count, s.xM, s.yM);
  const sx = m.alloc(8 * s.count), sy = m.alloc(8 * s.count);
  const cellStart = m.alloc(4 * (maxGridCells(s.count) + 1)), cellSites = m.alloc(4 * s.count);
  m.heap.f64.set(s.xM, sx >> 3);
  m.heap.f64.set(s.yM, sy >> 3);
  m.fns.gridBuild(s.count, sx, sy, g.gx, g.gy, g.x0M, g.y0M, g.cellM, cellStart, cellSites);
  return { m, g, n: s.count, sx, sy, cellStart, cellSites };
}

const gridArgs = (q: Grid) => [q.n, q.sx, q.sy, q.g.gx, q.g.gy, q.g.x0M, q.g.y0M, q.g.cellM, q.cellStart, q.cellSites] as const;

function nearest(q: Grid, xs: number[], ys: number[], k: number): number[] {
  const { m } = q, n = xs.length;
  const qx = m.alloc(8 * n), qy = m.alloc(8 * n), out = m.alloc(4 * n * k), d2 = m.alloc(8 * k);
  m.heap.f64.set(xs, qx >> 3);
  m.heap.f64.set(ys, qy >> 3);
  m.fns.nearestSites(n, qx, qy, k, ...gridArgs(q), out, d2);
  return Array.from(m.heap.i32.subarray(out >> 2, (out >> 2) + n * k));
}

function brute(s: Sites, xs: number[], ys: number[], k: number): number[] {
  const out: number[] = [], idx = new Int32Array(k), d2 = new Float64Array(k);
  for (let i = 0; i < xs.length; i++) {
    const got = closestSites(s, xs[i], ys[i], k, idx, d2);
    for (let a = 0; a < k; a++) out.push(a < got ? idx[a] : -1);
  }
  return out;
}

const SIZES = [1, 2, 3, 4, 5, 7, 10, 16, 31, 64, 100, 173, 300];

describe("grid geometry", () => {
  it("has about one site per cell for spread sites and never more than maxGridCells cells", () => {
    const r = stream(1, "geo");
    for (const n of SIZES) {
      for (const [, s] of siteSets(n, r)) {
        const g = gridGeometry(s.count, s.xM, s.yM);
        expect(g.gx * g.gy).toBeLessThanOrEqual(maxGridCells(n));
        expect(g.cellM).toBeGreaterThan(0);
      }
      const g = gridGeometry(n, latticeSites(n).xM, latticeSites(n).yM);
      expect(g.gx * g.gy).toBeGreaterThanOrEqual(Math.ceil(n / 4));
    }
  });

  it("sorts every site into exactly one cell, in index order within a cell", () => {
    const m = createMachine("wasm");
    const s = randomSites(300, stream(2, "sort"));
    const q = grid(m, s);
    const C = q.g.gx * q.g.gy, start = Array.from(m.heap.i32.subarray(q.cellStart >> 2, (q.cellStart >> 2) + C + 1));
    const sites = Array.from(m.heap.i32.subarray(q.cellSites >> 2, (q.cellSites >> 2) + 300));
    expect(start[0]).toBe(0);
    expect(start[C]).toBe(300);
    expect([...sites].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, j) => j));
    for (let c = 0; c < C; c++) {
      for (let p = start[c]; p < start[c + 1]; p++) {
        const j = sites[p];
        if (p > start[c]) expect(j).toBeGreaterThan(sites[p - 1]);
        expect(Math.min(q.g.gx - 1, Math.floor((s.xM[j] - q.g.x0M) / q.g.cellM)) + q.g.gx * Math.min(q.g.gy - 1, Math.floor((s.yM[j] - q.g.y0M) / q.g.cellM))).toBe(c);
      }
    }
  });
});

describe("k nearest sites through the grid", () => {
  it("equal the brute force closestSites exactly, on both backends, for every kind of site set, n = 1..300, k = 1..5 and k > n (n <= 16)", () => {
    const r = stream(3, "nearest");
    let checked = 0;
    for (const n of SIZES) {
      for (const [kind, s] of siteSets(n, r)) {
        const wasm = grid(createMachine("wasm"), s), js = grid(createMachine("js"), s);
        const { x, y } = queries(s, wasm.g, r);
        for (const k of n <= 16 ? [1, 2, 3, 4, 5, n + 2] : [1, 2, 3, 4, 5]) {
          const want = brute(s, x, y, k);
          const got = nearest(wasm, x, y, k);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            const i = got.findIndex((v, a) => v !== want[a]);
            throw new Error(`${kind}, n ${n}, k ${k}: query ${Math.floor(i / k)} (${x[Math.floor(i / k)]}, ${y[Math.floor(i / k)]}): grid ${got.slice(i - (i % k), i - (i % k) + k)} brute ${want.slice(i - (i % k), i - (i % k) + k)}`);
          }
          expect(nearest(js, x, y, k)).toEqual(got);
          checked += x.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });

  it("break ties to the lower index: four sites equidistant from a point", () => {
    const s = sitesOf([10, 0, 10, 0], [10, 10, 0, 0]);
    for (const b of ["wasm", "js"] as const) {
      const q = grid(createMachine(b), s);
      expect(nearest(q, [5], [5], 4)).toEqual([0, 1, 2, 3]);
      expect(nearest(q, [5, 5], [5, 0], 2)).toEqual([0, 1, 2, 3]);
    }
  });

  it("find a lower-index site on the far edge of the next cell at exactly the best distance", () => {
    // 16 sites over 300 x 300 m (a lattice at multiples of 100 m, less two) make 75 m cells from 0 (5 x 5). The user at
    // (140, 0) is 10 m from site 1 in its own cell and 10 m from site 0 on the edge x = 150 of
    // the next cell: the search must not stop at a bound equal to the best distance.
    const xs = [150, 130], ys = [0, 0];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a !== b || a % 3 === 0) { xs.push(100 * a); ys.push(100 * b); }
    const s = sitesOf(xs, ys);
    for (const b of ["wasm", "js"] as const) {
      const q = grid(createMachine(b), s);
      expect([q.g.gx, q.g.gy, q.g.cellM]).toEqual([5, 5, 75]);
      expect(nearest(q, [140, 140], [0, 1e-9], 1)).toEqual([0, 0]);
      expect(nearest(q, [140], [0], 2)).toEqual(brute(s, [140], [0], 2));
    }
  });
});

describe("association through the grid", () => {
  it("nearest and least-loaded equal today's associate exactly, on both backends", () => {
    const r = stream(4, "assoc");
    let lookups = 0;
    for (const n of [1, 2, 5, 15, 100, 300]) {
      for (const [kind, s] of siteSets(n, r)) {
        const users = 1000;
        const pos = { xM: new Float64Array(users), yM: new Float64Array(users) };
        for (let i = 0; i < users; i++) { pos.xM[i] = uniform(r, -100, W + 100); pos.yM[i] = uniform(r, -100, H + 100); }
        for (let i = 0; i < Math.min(n, 50); i++) { pos.xM[i] = s.xM[i]; pos.yM[i] = s.yM[i]; } // users on sites
        for (const rule of [{ rule: "nearest" as const, candidates: 3 }, ...[1, 2, 3, 5].map((c) => ({ rule: "leastLoaded" as const, candidates: c }))]) {
          const want = new Int32Array(users);
          associate(rule, s, pos, want);
          const got = (["wasm", "js"] as const).map((b) => {
            const m = createMachine(b), q = grid(m, s), k = rule.rule === "nearest" ? 1 : rule.candidates;
            const x = m.alloc(8 * users), y = m.alloc(8 * users), serving = m.alloc(4 * users), load = m.alloc(4 * n), idx = m.alloc(4 * k), d2 = m.alloc(8 * k);
            m.heap.f64.set(pos.xM, x >> 3);
            m.heap.f64.set(pos.yM, y >> 3);
            m.heap.i32.fill(7, load >> 2, (load >> 2) + n); // stale loads are cleared by the kernel
            if (rule.rule === "nearest") {
              // With the site lookup (over the area) and without it (the scan or the grid search): the same sites.
              const L = new SiteLookup(m, n);
              L.build(s.xM, s.yM, { widthM: W, heightM: H });
              lookups += L.gx > 0 ? 1 : 0;
              m.fns.associateNearest(users, x, y, ...gridArgs(q), serving, idx, d2, L.gx, L.gy, L.x0M, L.y0M, L.invCellM, L.start, L.cand);
              const viaLookup = Array.from(m.heap.i32.subarray(serving >> 2, (serving >> 2) + users));
              m.fns.associateNearest(users, x, y, ...gridArgs(q), serving, idx, d2, 0, 0, 0, 0, 1, L.start, L.cand);
              expect(viaLookup, `${kind} n ${n} through the lookup`).toEqual(Array.from(m.heap.i32.subarray(serving >> 2, (serving >> 2) + users)));
            } else m.fns.associateLeastLoaded(users, x, y, k, ...gridArgs(q), serving, load, idx, d2);
            const sv = Array.from(m.heap.i32.subarray(serving >> 2, (serving >> 2) + users));
            if (rule.rule === "leastLoaded") {
              const counts = new Array<number>(n).fill(0);
              for (const j of sv) counts[j]++;
              expect(Array.from(m.heap.i32.subarray(load >> 2, (load >> 2) + n))).toEqual(counts);
            }
            return sv;
          });
          expect(got[0], `${kind} n ${n} ${rule.rule} ${rule.candidates}`).toEqual(Array.from(want));
          expect(got[1]).toEqual(got[0]);
        }
      }
    }
    expect(lookups).toBeGreaterThan(20); // the lookup was on for most layouts (off only for degenerate ones)
  });
});
