// The topology figure and its data: the cells partition the area and are the nearest-site
// cells of the model's own rule; sites.csv/layouts.csv hold the very layout each trial's
// simulation stood on; the users of the snapshot lie in their serving site's cell; the same
// scenario gives the same bytes; plot redraws the same figure from the folder's files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSimulation } from "../src/run/build-simulation.js";
import { FIGURE_EXTENSIONS } from "../src/results/figures/index.js";
import { cellColours, polygonArea, voronoiCells, type Cell, type Point2 } from "../src/results/figures/voronoi.js";
import { PALETTE } from "../src/results/figures/style.js";
import { parseCsv } from "../src/results/csv.js";
import { readTopology, topologyCsvs, type TopologyData } from "../src/results/topology.js";
import { drawTopology } from "../src/results/figures/topology.js";
import { resolveScenario, type LoadedScenario } from "../src/sweep/load.js";
import { plotResultDir } from "../src/sweep/plot.js";
import { mergeResults } from "../src/sweep/merge.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { topologyData } from "../src/sweep/topology.js";
import { closestSites } from "../src/world/association.js";
import { stream } from "../src/world/rng.js";
import type { Sites } from "../src/world/topology.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));

function sitesOf(xM: number[], yM: number[]): Sites {
  return { count: xM.length, xM: Float64Array.from(xM), yM: Float64Array.from(yM), cpuHz: new Float64Array(xM.length) };
}

/** The model's nearest site (ties to the lower index): src/world/association.ts. */
function nearest(s: Sites, p: Point2): number {
  const out = new Int32Array(1), d2 = new Float64Array(1);
  closestSites(s, p.x, p.y, 1, out, d2);
  return out[0];
}

/** How far `p` is outside convex `cell` (0 inside or on it): the largest signed distance beyond an edge line. */
function outside(cell: Cell, p: Point2): number {
  const v = cell.vertices;
  if (v.length === 0) return Infinity;
  let worst = -Infinity;
  for (let k = 0; k < v.length; k++) {
    const a = v[k], b = v[(k + 1) % v.length];
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    // Counter-clockwise: the inside is on the left of a -> b.
    worst = Math.max(worst, ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) / -len);
  }
  return Math.max(0, worst);
}

/** Layouts the partition is checked on: random ones of many sizes, and the awkward cases. */
function layouts(): { name: string; W: number; H: number; x: number[]; y: number[] }[] {
  const out: { name: string; W: number; H: number; x: number[]; y: number[] }[] = [];
  const r = stream(7, "test-layouts");
  for (const n of [1, 2, 3, 5, 8, 13, 21, 40, 90]) {
    const W = 200 + 1800 * r(), H = 200 + 1800 * r();
    out.push({ name: `random ${n}`, W, H, x: Array.from({ length: n }, () => W * r()), y: Array.from({ length: n }, () => H * r()) });
  }
  out.push({ name: "collinear", W: 1000, H: 300, x: [100, 300, 500, 700, 900], y: [150, 150, 150, 150, 150] });
  out.push({ name: "two at one point", W: 500, H: 500, x: [100, 250, 250, 400], y: [100, 250, 250, 400] });
  out.push({ name: "outside the area", W: 500, H: 500, x: [100, 800, 400, -50], y: [100, 250, 450, 600] });
  out.push({ name: "grid 3 x 5", W: 500, H: 500, x: [0, 1, 2, 3, 4].flatMap(() => [50, 150, 250, 350, 450]).slice(0, 15), y: [0, 1, 2].flatMap((r0) => Array(5).fill(500 / 6 + (r0 * 500) / 3)) });
  return out;
}

describe("the cells of a layout", () => {
  it("partition the area: their areas sum to it, and a point lies in the cell of its nearest site and strictly inside no other", () => {
    const r = stream(11, "test-points");
    for (const l of layouts()) {
      const cells = voronoiCells(l.x, l.y, l.W, l.H);
      const areas = cells.map((c) => polygonArea(c.vertices));
      for (const a of areas) expect(a, l.name).toBeGreaterThanOrEqual(0);
      expect(areas.reduce((a, b) => a + b, 0), l.name).toBeCloseTo(l.W * l.H, 6);
      const sites = sitesOf(l.x, l.y);
      const tol = 1e-9 * Math.hypot(l.W, l.H);
      for (let k = 0; k < 400; k++) {
        const p = { x: l.W * r(), y: l.H * r() };
        const j = nearest(sites, p);
        expect(outside(cells[j], p), `${l.name}: (${p.x}, ${p.y}) in the cell of ${j}`).toBeLessThanOrEqual(tol);
        // Strictly inside another cell would mean two cells overlap.
        cells.forEach((c, i) => {
          if (i === j || c.vertices.length === 0) return;
          const d2j = (l.x[j] - p.x) ** 2 + (l.y[j] - p.y) ** 2, d2i = (l.x[i] - p.x) ** 2 + (l.y[i] - p.y) ** 2;
          if (d2i > d2j * (1 + 1e-9)) expect(outside(c, p), `${l.name}: (${p.x}, ${p.y}) not in the cell of ${i}`).toBeGreaterThan(0);
        });
      }
    }
  });

  it("give the second of two sites at one point no cell (ties go to the lower index), and an outside site the part of the area nearest it", () => {
    const [, , twin] = voronoiCells([100, 250, 250, 400], [100, 250, 250, 400], 500, 500).map((c) => c.vertices.length);
    expect(twin).toBe(0);
    const cells = voronoiCells([100, 800], [250, 250], 500, 500);
    // The bisector of x = 100 and x = 800 is x = 450: the outside site gets the strip beyond it.
    expect(polygonArea(cells[1].vertices)).toBeCloseTo(50 * 500, 9);
    expect(cells[0].neighbours).toEqual([1]);
  });

  it("are coloured so that no two neighbours share a colour", () => {
    for (const l of layouts()) {
      const cells = voronoiCells(l.x, l.y, l.W, l.H);
      const colours = cellColours(cells, PALETTE.length);
      cells.forEach((c, i) => {
        for (const j of c.neighbours) {
          expect(cells[j].neighbours, `${l.name}: neighbours are mutual`).toContain(i);
          expect(colours[j], `${l.name}: cells ${i} and ${j}`).not.toBe(colours[i]);
        }
      });
    }
    // A grid's cells alternate like a chess board: two colours.
    const grid = layouts().find((l) => l.name === "grid 3 x 5")!;
    expect(new Set(cellColours(voronoiCells(grid.x, grid.y, grid.W, grid.H), PALETTE.length)).size).toBe(2);
  });
});

/** Random sites, a sweep that changes their count, two seeds: four worlds, four layouts. */
const RANDOM = {
  name: "topo", slots: 4, seeds: [1, 2], policies: ["local", "nearest"],
  sites: { count: 4, placement: "random" }, users: { perSite: 6 }, area: { widthM: 800, heightM: 500 },
  sweep: { "sites.count": [4, 7] },
};

function loaded(raw: object): LoadedScenario {
  return resolveScenario(raw, "test");
}

describe("the topology data", () => {
  it("holds, for every trial's (point, seed), the sites its simulation placed, bit for bit", () => {
    for (const raw of [RANDOM, { ...RANDOM, sites: { count: 4 }, sweep: { "users.perSite": [2, 5] } }]) {
      const l = loaded(raw);
      const d = topologyData(l, "js");
      expect(d.uses).toHaveLength(l.points.length * l.scenario.seeds.length);
      for (const t of l.trials) {
        const use = d.uses.find((u) => u.pointIndex === t.pointIndex && u.seed === t.seed)!;
        const layout = d.layouts.find((x) => x.id === use.layout)!;
        const sim = buildSimulation(t.config, { seed: t.seed, backend: "js" });
        expect(layout.xM).toEqual([...sim.world.sites.xM]);
        expect(layout.yM).toEqual([...sim.world.sites.yM]);
        expect(layout.cpuHz).toEqual([...sim.world.sites.cpuHz]);
        expect([layout.widthM, layout.heightM]).toEqual([t.config.area.widthM, t.config.area.heightM]);
      }
    }
    // Random sites: a layout per world; the first seed's are L1, L2 and are the ones drawn.
    const random = topologyData(loaded(RANDOM), "js");
    expect(random.layouts.map((x) => x.id)).toEqual(["L1", "L2", "L3", "L4"]);
    expect(random.uses.map((u) => `${u.pointIndex}/${u.seed}:${u.layout}`)).toEqual(["0/1:L1", "0/2:L3", "1/1:L2", "1/2:L4"]);
    expect(random.snapshots.map((s) => s.layout)).toEqual(["L1", "L2"]);
    // A grid swept over users per site: one layout for every world, drawn once.
    const grid = topologyData(loaded({ ...RANDOM, sites: { count: 4 }, sweep: { "users.perSite": [2, 5] } }), "js");
    expect(grid.layouts).toHaveLength(1);
    expect(new Set(grid.uses.map((u) => u.layout))).toEqual(new Set(["L1"]));
    expect(grid.snapshots).toHaveLength(1);
  });

  it("snapshots the users where the trial's evaluation episode starts, each inside its serving site's cell (association nearest)", () => {
    const l = loaded(RANDOM);
    const d = topologyData(l, "js");
    for (const s of d.snapshots) {
      const c = l.points[s.pointIndex].config;
      // As a trial does: built, run on other worlds (training), then reset to its seed.
      const sim = buildSimulation(c, { seed: 999, backend: "js" });
      sim.reset(s.seed);
      sim.prepare(s.slot);
      expect(s.xM).toEqual([...sim.world.pos.xM]);
      expect(s.yM).toEqual([...sim.world.pos.yM]);
      expect(s.site).toEqual([...sim.world.serving]);
      const layout = d.layouts.find((x) => x.id === s.layout)!;
      const cells = voronoiCells(layout.xM, layout.yM, layout.widthM, layout.heightM);
      const tol = 1e-9 * Math.hypot(layout.widthM, layout.heightM);
      s.xM.forEach((x, i) => expect(outside(cells[s.site[i]], { x, y: s.yM[i] }), `user ${i}`).toBeLessThanOrEqual(tol));
    }
  });

  it("is the same on both backends", () => {
    const l = loaded(RANDOM);
    expect(topologyData(l, "wasm")).toEqual(topologyData(l, "js"));
  });
});

describe("run and plot", () => {
  const scenario = { ...RANDOM, seeds: [1, 2], sites: { count: 4 }, sweep: { "sites.count": [4, 6] } };
  let a = "";
  let b = "";
  beforeAll(async () => {
    const dir = tmp("topo-scn");
    const f = join(dir, "s.json");
    writeFileSync(f, JSON.stringify(scenario));
    a = tmp("topo-a");
    b = tmp("topo-b");
    await runSweep(f, { out: a, backend: "js", threads: 1, progress: false });
    await runSweep(f, { out: b, backend: "js", threads: 1, progress: false });
  }, 300_000);

  it("write sites.csv, layouts.csv, users-snapshot.csv and one topology figure per layout, in the five files of every figure", () => {
    const figures = readdirSync(join(a, "figures"));
    for (const name of ["topology-L1", "topology-L2"]) for (const ext of FIGURE_EXTENSIONS) expect(figures).toContain(`${name}${ext}`);
    expect(figures.filter((f) => f.startsWith("topology")).length).toBe(2 * FIGURE_EXTENSIONS.length);
    const sites = parseCsv(readFileSync(join(a, "sites.csv"), "utf8"));
    expect(sites[0]).toEqual(["layout", "widthM", "heightM", "site", "xM", "yM", "cpuHz"]);
    expect(sites.length - 1).toBe(4 + 6);
    expect(parseCsv(readFileSync(join(a, "layouts.csv"), "utf8"))).toEqual([
      ["pointIndex", "sites.count", "seed", "layout"], ["0", "4", "1", "L1"], ["0", "4", "2", "L1"], ["1", "6", "1", "L2"], ["1", "6", "2", "L2"],
    ]);
    const read = readTopology(a)!;
    expect(read.snapshots.map((s) => [s.layout, s.xM.length])).toEqual([["L1", 24], ["L2", 36]]);
    // The figure's data: every cell vertex, site and user, in the colours drawn.
    const data = parseCsv(readFileSync(join(a, "figures", "topology-L2.data.csv"), "utf8"));
    expect(data.filter((r) => r[0] === "site")).toHaveLength(6);
    expect(data.filter((r) => r[0] === "user")).toHaveLength(36);
    expect(readFileSync(join(a, "figures", "topology-L2.svg"), "utf8")).toContain("Layout L2: 6 sites, 36 users at slot 0 (seed 1)");
  });

  it("sites.csv and layouts.csv, read back from the folder, are the sites each trial record's simulation stood on", () => {
    const sites = parseCsv(readFileSync(join(a, "sites.csv"), "utf8")).slice(1);
    const uses = parseCsv(readFileSync(join(a, "layouts.csv"), "utf8")).slice(1);
    const records = readFileSync(join(a, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(records).toHaveLength(2 * 2 * 2);
    for (const r of records) {
      const layout = uses.find((u) => Number(u[0]) === r.pointIndex && Number(u[2]) === r.seed)![3];
      const rows = sites.filter((row) => row[0] === layout);
      const sim = buildSimulation(r.config, { seed: r.seed, backend: "js" });
      expect(rows.map((row) => Number(row[4]))).toEqual([...sim.world.sites.xM]);
      expect(rows.map((row) => Number(row[5]))).toEqual([...sim.world.sites.yM]);
      expect(rows.map((row) => Number(row[6]))).toEqual([...sim.world.sites.cpuHz]);
      expect(rows.map((row) => [Number(row[1]), Number(row[2])])).toEqual(rows.map(() => [r.config.area.widthM, r.config.area.heightM]));
    }
  });

  it("give the same bytes for the same scenario, and plot redraws the same figure from the folder's files", async () => {
    const files = ["sites.csv", "layouts.csv", "users-snapshot.csv", ...readdirSync(join(a, "figures")).filter((f) => f.startsWith("topology")).map((f) => join("figures", f))];
    const before = files.map((f) => readFileSync(join(a, f)));
    files.forEach((f, k) => expect(readFileSync(join(b, f)).equals(before[k]), f).toBe(true));
    await plotResultDir(a);
    files.forEach((f, k) => expect(readFileSync(join(a, f)).equals(before[k]), `${f} after plot`).toBe(true));
  }, 300_000);
});

describe("merge", () => {
  it("copies the shards' topology files, and refuses shards whose files differ", async () => {
    const f = join(tmp("topo-merge"), "s.json");
    writeFileSync(f, JSON.stringify(RANDOM));
    const s0 = tmp("topo-s0"), s1 = tmp("topo-s1");
    const quiet = { backend: "js" as const, threads: 1, progress: false, figures: false };
    await runSweep(f, { ...quiet, out: s0, shard: { index: 0, count: 2 } });
    await runSweep(f, { ...quiet, out: s1, shard: { index: 1, count: 2 } });
    const merged = join(tmp("topo-m"), "m");
    mergeResults(merged, [s0, s1], () => {});
    for (const file of ["sites.csv", "layouts.csv", "users-snapshot.csv"]) expect(readFileSync(join(merged, file), "utf8"), file).toBe(readFileSync(join(s0, file), "utf8"));
    writeFileSync(join(s1, "sites.csv"), readFileSync(join(s1, "sites.csv"), "utf8").replace(/\n(L1,[^,]*,[^,]*,0,)([^,]*)/, (_, head, x) => `\n${head}${Number(x) + 1}`));
    // Refused before anything is written: no half-written folder (issue 13).
    const refused = join(tmp("topo-m"), "m");
    expect(() => mergeResults(refused, [s0, s1], () => {})).toThrow(/sites\.csv and .*sites\.csv differ: the shards did not run the same worlds/);
    expect(existsSync(refused)).toBe(false);
  }, 120_000);
});

describe("the figure from the files alone", () => {
  it("thins a snapshot above 5000 users to every k-th, says so in the title, and keeps every site", async () => {
    const dir = tmp("topo-thin");
    const r = stream(3, "test-thin");
    const m = 12_000, n = 9;
    const xM = Array.from({ length: n }, () => 1000 * r()), yM = Array.from({ length: n }, () => 1000 * r());
    const ux = Array.from({ length: m }, () => 1000 * r()), uy = Array.from({ length: m }, () => 1000 * r());
    const s = sitesOf(xM, yM);
    const data: TopologyData = {
      axes: [], uses: [{ pointIndex: 0, point: {}, seed: 5, layout: "L1" }],
      layouts: [{ id: "L1", widthM: 1000, heightM: 1000, xM, yM, cpuHz: xM.map(() => 1e10) }],
      snapshots: [{ layout: "L1", pointIndex: 0, seed: 5, slot: 0, xM: ux, yM: uy, site: ux.map((x, i) => nearest(s, { x, y: uy[i] })) }],
    };
    const texts = topologyCsvs(data);
    writeFileSync(join(dir, "sites.csv"), texts.sites);
    writeFileSync(join(dir, "users-snapshot.csv"), texts.users);
    const files = await drawTopology(dir, { notify: () => {} });
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(FIGURE_EXTENSIONS.map((e) => `figures/topology${e}`).sort());
    const rows = parseCsv(readFileSync(join(dir, "figures", "topology.data.csv"), "utf8"));
    const users = rows.filter((row) => row[0] === "user");
    expect(users).toHaveLength(m / 3);
    expect(users.map((row) => Number(row[3]))).toEqual(Array.from({ length: m / 3 }, (_, k) => 3 * k));
    expect(rows.filter((row) => row[0] === "site")).toHaveLength(n);
    expect(readFileSync(join(dir, "figures", "topology.svg"), "utf8")).toContain("Layout L1: 9 sites, 12000 users (1 in 3 drawn) at slot 0 (seed 5)");
  }, 120_000);
});

describe("the figure's words and labels", () => {
  it("says \"1 site\" and \"1 user\", and gives sites at one point (or too close to label apart) one label \"1,2\"", async () => {
    const draw = async (xM: number[], yM: number[], ux: number[], uy: number[]) => {
      const dir = tmp("topo-words");
      const data: TopologyData = {
        axes: [], uses: [{ pointIndex: 0, point: {}, seed: 5, layout: "L1" }],
        layouts: [{ id: "L1", widthM: 1000, heightM: 1000, xM, yM, cpuHz: xM.map(() => 1e10) }],
        snapshots: [{ layout: "L1", pointIndex: 0, seed: 5, slot: 0, xM: ux, yM: uy, site: ux.map(() => 0) }],
      };
      const texts = topologyCsvs(data);
      writeFileSync(join(dir, "sites.csv"), texts.sites);
      writeFileSync(join(dir, "users-snapshot.csv"), texts.users);
      await drawTopology(dir, { notify: () => {} });
      return { svg: readFileSync(join(dir, "figures", "topology.svg"), "utf8"), rows: parseCsv(readFileSync(join(dir, "figures", "topology.data.csv"), "utf8")) };
    };
    const one = await draw([500], [500], [100], [100]);
    expect(one.svg).toContain("Layout L1: 1 site, 1 user at slot 0 (seed 5)");
    expect(one.svg).not.toMatch(/\b1 sites\b|\b1 users\b/);
    // Sites 1 and 2 at one point, 3 a metre from 0 (closer than a label's height), 4 alone.
    const near = await draw([100, 600, 600, 101, 900], [100, 600, 600, 100, 300], [10, 20], [10, 20]);
    expect(near.svg).toContain("Layout L1: 5 sites, 2 users");
    const header = near.rows[0];
    const labels = near.rows.filter((r) => r[0] === "site").map((r) => r[header.indexOf("label")]);
    expect(labels).toEqual(["0,3", "1,2", "", "", "4"]);
    // Each label once in the SVG, the folded ones nowhere.
    const texts = [...near.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const l of ["0,3", "1,2", "4"]) expect(texts.filter((t) => t === l), l).toHaveLength(1);
    for (const l of ["1", "2", "3"]) expect(texts.includes(l), l).toBe(false);
  }, 120_000);
});
