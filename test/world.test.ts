import { createKernels } from "../src/kernels/index.js";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../src/sweep/load.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { associate } from "../src/world/association.js";
import { RandomWaypoint } from "../src/world/mobility.js";
import { draw, poisson, stream } from "../src/world/rng.js";
import { gridShape, placeSites } from "../src/world/topology.js";
import { World } from "../src/world/world.js";

const config = (raw: object = {}): TrialConfig => resolveScenario(raw, "t.json").points[0].config;

describe("topology", () => {
  it("lays 15 sites on a 3 x 5 grid at cell centres inside the 500 m square", () => {
    expect(gridShape(15, 500, 500)).toEqual({ rows: 3, cols: 5 });
    expect(gridShape(100, 500, 500)).toEqual({ rows: 10, cols: 10 });
    const s = placeSites(config(), stream(1, "topology"));
    expect(s.count).toBe(15);
    expect(Array.from(s.xM.slice(0, 5))).toEqual([50, 150, 250, 350, 450]);
    expect(new Set(Array.from(s.yM)).size).toBe(3);
    expect(Array.from(s.cpuHz).every((f) => f === 1e10)).toBe(true);
  });

  it("places random and explicit sites, with per-site CPU", () => {
    const r = placeSites(config({ sites: { placement: "random", count: 40 } }), stream(3, "topology"));
    for (let j = 0; j < 40; j++) expect(r.xM[j] >= 0 && r.xM[j] <= 500 && r.yM[j] >= 0 && r.yM[j] <= 500).toBe(true);
    const e = placeSites(config({ sites: { placement: "explicit", count: 2, positions: [{ xM: 1, yM: 2 }, { xM: 3, yM: 4 }], cpuHz: [1e9, 2e9] } }), stream(1, "topology"));
    expect([...e.xM, ...e.yM, ...e.cpuHz]).toEqual([1, 3, 2, 4, 1e9, 2e9]);
  });
});

describe("random streams", () => {
  it("draws Poisson counts with the configured mean", () => {
    const r = stream(11, "traffic");
    let sum = 0;
    const n = 200_000;
    for (let k = 0; k < n; k++) sum += poisson(r, 0.2);
    expect(sum / n).toBeCloseTo(0.2, 2);
  });

  it("keeps a distribution's draws in its domain", () => {
    const r = stream(2, "x");
    for (let k = 0; k < 1000; k++) {
      const u = draw(r, { dist: "uniform", min: 2e5, max: 1e6 });
      expect(u >= 2e5 && u <= 1e6).toBe(true);
      const g = draw(r, { dist: "normal", mean: 1, sd: 5, min: 0.5, max: 2 });
      expect(g >= 0.5 && g <= 2).toBe(true);
      expect(draw(r, { dist: "exponential", mean: 3 })).toBeGreaterThanOrEqual(0);
    }
  });

  it("gives each component its own stream: same seed, same draws; other names, other draws", () => {
    const a = stream(5, "mobility"), b = stream(5, "mobility"), c = stream(5, "traffic"), d = stream(6, "mobility");
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(d()).not.toBe(xs[0]);
  });
});

describe("mobility and association", () => {
  it("random waypoint keeps users in the area and within their speed", () => {
    const users = 300;
    const pos = { xM: new Float64Array(users).fill(250), yM: new Float64Array(users).fill(250) };
    const m = new RandomWaypoint(users, 500, 400, { min: 10, max: 20 }, { min: 0, max: 2 }, stream(1, "mobility"));
    let moved = 0;
    for (let t = 0; t < 200; t++) {
      const px = pos.xM.slice(), py = pos.yM.slice();
      m.step(pos, 1);
      for (let i = 0; i < users; i++) {
        expect(pos.xM[i] >= 0 && pos.xM[i] <= 500 && pos.yM[i] >= 0 && pos.yM[i] <= 400).toBe(true);
        const d = Math.hypot(pos.xM[i] - px[i], pos.yM[i] - py[i]);
        expect(d).toBeLessThanOrEqual(20 + 1e-9);
        if (d > 0) moved++;
      }
    }
    expect(moved).toBeGreaterThan(users * 100);
  });

  it("associates users with the nearest site, or the least loaded of the closest", () => {
    const sites = { count: 3, xM: Float64Array.of(0, 100, 200), yM: Float64Array.of(0, 0, 0), cpuHz: new Float64Array(3) };
    const pos = { xM: Float64Array.of(10, 60, 140, 190, 5, 6), yM: new Float64Array(6) };
    const serving = new Int32Array(6);
    associate({ rule: "nearest", candidates: 1 }, sites, pos, serving);
    expect(Array.from(serving)).toEqual([0, 1, 1, 2, 0, 0]);
    associate({ rule: "leastLoaded", candidates: 2 }, sites, pos, serving);
    expect(Array.from(serving)).toEqual([0, 1, 2, 2, 0, 1]); // ties go to the closer site
  });

  it("world: M = users per site x sites, serving site is the closest, tasks arrive", () => {
    const w = new World(config({ users: { perSite: 4 }, tasks: { arrivalRate: 0.2 } }), 9);
    expect(w.users).toBe(60);
    const L = createKernels(w.machine).createLayout(w.users, w.sites.count);
    let arrived = 0;
    for (let slot = 0; slot < 50; slot++) {
      w.advance(slot);
      w.traffic.prepare(L);
      for (let i = 0; i < w.users; i++) {
        let best = 0;
        const d = (j: number) => Math.hypot(w.sites.xM[j] - w.pos.xM[i], w.sites.yM[j] - w.pos.yM[i]);
        for (let j = 1; j < w.sites.count; j++) if (d(j) < d(best)) best = j;
        expect(w.serving[i]).toBe(best);
        arrived += L.active[i];
      }
      w.traffic.complete(L.active);
    }
    expect(arrived).toBeGreaterThan(0.2 * 60 * 50 * 0.8);
  });
});
