// The host side of the mobility and association kernels: Motion equals today's pipeline
// (World's placement, the TS mobility models and `associate`) driven by the same streams, on
// both backends; reset re-seeds in place without allocating; trace replay writes the views.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMachine } from "../src/kernels/machine.js";
import { uniform01 } from "../src/kernels/rng-js.js";
import { streamState } from "../src/kernels/rng-seed.js";
import { ROOT } from "../src/paths.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { associate, closestSites } from "../src/world/association.js";
import { GaussMarkov } from "../src/world/gauss-markov.js";
import type { MobilityModel } from "../src/world/mobility-model.js";
import { RandomWaypoint } from "../src/world/mobility.js";
import { Motion } from "../src/world/motion.js";
import { stream, uniform, type Rng } from "../src/world/rng.js";
import { parseTrace, TraceMobility } from "../src/world/trace.js";
import type { Sites } from "../src/world/topology.js";

type Config = Pick<TrialConfig, "area" | "mobility" | "association">;
const area = { widthM: 800, heightM: 500 };

function randomSites(n: number, seed: number): Sites {
  const r = stream(seed, "topology");
  const s: Sites = { count: n, xM: new Float64Array(n), yM: new Float64Array(n), cpuHz: new Float64Array(n) };
  for (let j = 0; j < n; j++) { s.xM[j] = uniform(r, 0, area.widthM); s.yM[j] = uniform(r, 0, area.heightM); }
  return s;
}

/** Today's TS pipeline, its draws from the kernels' streams of `seed` (through a JS heap). */
function reference(c: Config, users: number, sites: Sites, seed: number | string) {
  const m = createMachine("js"), p = m.alloc(16), q = m.alloc(16);
  m.heap.u32.set(streamState(seed, "placement"), p >> 2);
  m.heap.u32.set(streamState(seed, "mobility"), q >> 2);
  const place: Rng = () => uniform01(m.heap, p), move: Rng = () => uniform01(m.heap, q);
  const pos = { xM: new Float64Array(users), yM: new Float64Array(users) };
  for (let i = 0; i < users; i++) { pos.xM[i] = uniform(place, 0, c.area.widthM); pos.yM[i] = uniform(place, 0, c.area.heightM); }
  const mob = c.mobility;
  const model: MobilityModel = mob.model === "randomWaypoint" ? new RandomWaypoint(users, c.area.widthM, c.area.heightM, mob.speedMps, mob.pauseS, move)
    : mob.model === "gaussMarkov" ? new GaussMarkov(users, c.area.widthM, c.area.heightM, mob, move) : { step() {} };
  const serving = new Int32Array(users);
  return {
    pos, serving,
    step(slot: number, dtS: number) {
      if (slot > 0) model.step(pos, dtS);
      associate(c.association, sites, pos, serving);
    },
  };
}

const configs: [string, Config][] = [
  ["random waypoint, nearest", { area, mobility: { model: "randomWaypoint", speedMps: { min: 0.5, max: 20 }, pauseS: { min: 0, max: 3 } }, association: { rule: "nearest", candidates: 3 } }],
  ["Gauss-Markov, least-loaded of 3", { area, mobility: { model: "gaussMarkov", meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 }, association: { rule: "leastLoaded", candidates: 3 } }],
  ["static, least-loaded of 1", { area, mobility: { model: "static" }, association: { rule: "leastLoaded", candidates: 1 } }],
];

function close(a: Float64Array, b: Float64Array, what: string): void {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])))) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe("Motion", () => {
  it.each(configs)("%s: equals today's pipeline on the same streams, on both backends, over 100 slots", (_, c) => {
    const users = 600, sites = randomSites(12, 1);
    for (const b of ["wasm", "js"] as const) {
      const motion = new Motion(createMachine(b), c, users, sites, 9);
      const ref = reference(c, users, sites, 9);
      let moved = false;
      for (let slot = 0; slot < 100; slot++) {
        const before = motion.xM.slice();
        motion.step(slot, 1);
        ref.step(slot, 1);
        close(motion.xM, ref.pos.xM, `${b} slot ${slot} x`);
        close(motion.yM, ref.pos.yM, `${b} slot ${slot} y`);
        expect(Array.from(motion.serving)).toEqual(Array.from(ref.serving));
        moved ||= motion.xM.some((x, i) => x !== before[i]);
      }
      expect(moved).toBe(c.mobility.model !== "static");
    }
  });

  it("reset re-seeds in place: no allocation, the same run as a fresh Motion of that seed, another run for another seed", () => {
    const c = configs[1][1], sites = randomSites(20, 2), users = 300;
    const run = (m: Motion): number[] => {
      const out: number[] = [];
      for (let slot = 0; slot < 30; slot++) { m.step(slot, 1); out.push(...m.serving, m.xM[0], m.yM[users - 1]); }
      return out;
    };
    const machine = createMachine("wasm");
    const motion = new Motion(machine, c, users, sites, 1);
    const first = run(motion);
    const mark = machine.mark();
    motion.reset(2);
    const second = run(motion);
    motion.reset(1);
    expect(run(motion)).toEqual(first);
    expect(machine.mark()).toBe(mark);
    expect(second).not.toEqual(first);
    expect(run(new Motion(createMachine("wasm"), c, users, sites, 2))).toEqual(second);
  });

  it("moves the sites and rebuilds the grid on reset with sites; refuses another site count", () => {
    const c = configs[0][1], users = 400;
    const motion = new Motion(createMachine("js"), c, users, randomSites(10, 3), 5);
    const other = randomSites(10, 4);
    motion.reset(5, other);
    motion.step(0, 1);
    const want = new Int32Array(users);
    associate(c.association, other, { xM: motion.xM, yM: motion.yM }, want);
    expect(Array.from(motion.serving)).toEqual(Array.from(want));
    expect(() => motion.setSites(randomSites(11, 4))).toThrow(/11 sites/);
  });

  it("keeps its views valid when the machine's memory grows", () => {
    const machine = createMachine("wasm");
    const motion = new Motion(machine, configs[0][1], 100, randomSites(5, 6), 3);
    motion.step(0, 1);
    const x = motion.xM.slice();
    machine.alloc(8 << 20);
    expect(motion.xM.length).toBe(100);
    expect(Array.from(motion.xM)).toEqual(Array.from(x));
    motion.step(1, 1);
    expect(motion.xM.some((v, i) => v !== x[i])).toBe(true);
  });

  it("answers k-nearest queries as closestSites", () => {
    const machine = createMachine("wasm"), sites = randomSites(30, 7);
    const motion = new Motion(machine, configs[0][1], 50, sites, 3);
    const m = 500, k = 4, r = stream(8, "q");
    const qx = machine.alloc(8 * m), qy = machine.alloc(8 * m), out = machine.alloc(4 * m * k), d2 = machine.alloc(8 * k);
    for (let i = 0; i < m; i++) { machine.heap.f64[(qx >> 3) + i] = uniform(r, -50, 850); machine.heap.f64[(qy >> 3) + i] = uniform(r, -50, 550); }
    motion.nearestSites(m, qx, qy, k, out, d2);
    const idx = new Int32Array(k), dd = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      closestSites(sites, machine.heap.f64[(qx >> 3) + i], machine.heap.f64[(qy >> 3) + i], k, idx, dd);
      expect(Array.from(machine.heap.i32.subarray((out >> 2) + i * k, (out >> 2) + i * k + k))).toEqual(Array.from(idx));
    }
  });

  it("replays a trace into its views, from the start again after reset", () => {
    const text = readFileSync(join(ROOT, "scenarios/traces/gauss-markov-20users.csv"), "utf8");
    const trace = parseTrace(text, "example", 20);
    const c: Config = { area: { widthM: 500, heightM: 500 }, mobility: { model: "trace", file: "x.csv" }, association: { rule: "nearest", candidates: 3 } };
    const sites = randomSites(4, 9);
    expect(() => new Motion(createMachine("js"), c, 20, sites, 1)).toThrow(/options.trace/);
    const motion = new Motion(createMachine("wasm"), c, 20, sites, 1, { trace: () => new TraceMobility(trace) });
    const play = (): void => {
      for (let s = 0; s <= 30; s++) {
        motion.step(s, 1);
        for (let i = 0; i < 20; i++) expect([motion.xM[i], motion.yM[i]]).toEqual([trace.xM[trace.start[i] + s], trace.yM[trace.start[i] + s]]);
      }
    };
    play();
    motion.reset(1);
    play();
  });

  it("refuses a Gauss-Markov alpha outside [0, 1]", () => {
    const c: Config = { area, mobility: { model: "gaussMarkov", meanSpeedMps: 1, speedSdMps: 0, directionSdRad: 0, alpha: 1.5 }, association: { rule: "nearest", candidates: 3 } };
    expect(() => new Motion(createMachine("js"), c, 1, randomSites(1, 1), 1)).toThrow(/alpha/);
  });
});
