// Placement and mobility in the kernels: WASM and the TS twin agree (positions and model state,
// 200 slots), the kernels equal today's TS models driven by the same stream, and the
// properties test/mobility.test.ts checks of the TS models hold for the kernel version.
import { describe, expect, it } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import { uniform01 } from "../src/kernels/rng-js.js";
import { streamState } from "../src/kernels/rng-seed.js";
import { GaussMarkov, type GaussMarkovOptions } from "../src/world/gauss-markov.js";
import { RandomWaypoint } from "../src/world/mobility.js";
import { uniform } from "../src/world/rng.js";

const BACKENDS = ["wasm", "js"] as const;

interface Run {
  m: Machine;
  users: number;
  rng: number;
  x: number;
  y: number;
  /** Model state: rwp destX, destY, speed, pauseLeft; gm speed, dir, meanDir. */
  s: number[];
}

function start(backend: "wasm" | "js", users: number, seed: number | string, states: number): Run {
  const m = createMachine(backend);
  const rng = m.alloc(16);
  m.heap.u32.set(streamState(seed, "mobility"), rng >> 2);
  const x = m.alloc(8 * users), y = m.alloc(8 * users);
  const s = Array.from({ length: states }, () => m.alloc(8 * users));
  return { m, users, rng, x, y, s };
}

const f64s = (r: Run, p: number): Float64Array => r.m.heap.f64.slice(p >> 3, (p >> 3) + r.users);
const fill = (r: Run, p: number, v: ArrayLike<number>): void => r.m.heap.f64.set(v, p >> 3);
/** The stream of a JS machine as today's models' Rng: the kernels' uniform draws, one per call. */
const asRng = (r: Run) => (): number => uniform01(r.m.heap, r.rng);

function close(a: Float64Array, b: Float64Array, what: string, tol = 1e-9): void {
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])))) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const W = 500, H = 300;
const gm: GaussMarkovOptions = { meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 };
const gmStep = (r: Run, o: GaussMarkovOptions, w: number, h: number, dtS = 1): void =>
  r.m.fns.gmStep(r.users, r.rng, r.x, r.y, r.s[0], r.s[1], r.s[2], dtS, w, h, 0.1 * Math.min(w, h), o.alpha, o.meanSpeedMps, o.speedSdMps, o.directionSdRad);
const rwpStep = (r: Run, dtS: number, v: [number, number], p: [number, number], w = W, h = H): void =>
  r.m.fns.rwpStep(r.users, r.rng, r.x, r.y, r.s[0], r.s[1], r.s[2], r.s[3], dtS, w, h, v[0], v[1], p[0], p[1]);

describe("placement kernel", () => {
  it("is bit-identical on both backends and equals today's uniform placement from the same stream", () => {
    for (const users of [1, 2, 17, 1000]) {
      const [a, b] = BACKENDS.map((be) => {
        const r = start(be, users, 3, 0);
        r.m.fns.placeUniform(users, r.rng, r.x, r.y, W, H);
        return r;
      });
      expect(Array.from(f64s(a, a.x))).toEqual(Array.from(f64s(b, b.x)));
      expect(Array.from(f64s(a, a.y))).toEqual(Array.from(f64s(b, b.y)));
      // World's loop: x then y per user.
      const ref = start("js", users, 3, 0), r = asRng(ref);
      for (let i = 0; i < users; i++) {
        expect(uniform(r, 0, W)).toBe(a.m.heap.f64[(a.x >> 3) + i]);
        expect(uniform(r, 0, H)).toBe(a.m.heap.f64[(a.y >> 3) + i]);
      }
      const xs = f64s(a, a.x), ys = f64s(a, a.y);
      expect(xs.every((v) => v >= 0 && v < W) && ys.every((v) => v >= 0 && v < H)).toBe(true);
    }
  });
});

describe("random waypoint kernel", () => {
  const cases: { users: number; v: [number, number]; p: [number, number]; dtS: number }[] = [
    { users: 1, v: [0.5, 2], p: [0, 10], dtS: 1 },
    { users: 300, v: [0.5, 2], p: [0, 10], dtS: 1 },
    { users: 200, v: [50, 400], p: [0, 0.5], dtS: 1 }, // several waypoints within one step
    { users: 50, v: [0, 3], p: [0, 0], dtS: 0.1 }, // zero speeds possible, no pauses
    { users: 20, v: [2, 2], p: [5, 5], dtS: 2.5 },
  ];

  it("WASM and the twin agree on positions and state over 200 slots", () => {
    for (const c of cases) {
      const [a, b] = BACKENDS.map((be) => {
        const r = start(be, c.users, "rwp", 4);
        r.m.fns.placeUniform(c.users, r.rng, r.x, r.y, W, H);
        r.m.fns.rwpInit(c.users, r.rng, r.s[0], r.s[1], r.s[2], r.s[3], W, H, c.v[0], c.v[1]);
        return r;
      });
      for (let slot = 1; slot <= 200; slot++) {
        for (const r of [a, b]) rwpStep(r, c.dtS, c.v, c.p);
        close(f64s(a, a.x), f64s(b, b.x), `slot ${slot} x`);
        close(f64s(a, a.y), f64s(b, b.y), `slot ${slot} y`);
        for (let k = 0; k < 4; k++) close(f64s(a, a.s[k]), f64s(b, b.s[k]), `slot ${slot} state ${k}`);
      }
      // Same draws consumed: the streams' states are equal.
      expect(Array.from(a.m.heap.u32.subarray(a.rng >> 2, (a.rng >> 2) + 4))).toEqual(Array.from(b.m.heap.u32.subarray(b.rng >> 2, (b.rng >> 2) + 4)));
    }
  });

  it("equals today's RandomWaypoint driven by the same stream (hypot -> sqrt: to 1e-9)", () => {
    for (const c of cases) {
      const k = start("wasm", c.users, 11, 4);
      k.m.fns.placeUniform(c.users, k.rng, k.x, k.y, W, H);
      k.m.fns.rwpInit(c.users, k.rng, k.s[0], k.s[1], k.s[2], k.s[3], W, H, c.v[0], c.v[1]);
      const ref = start("js", c.users, 11, 0), r = asRng(ref);
      const pos = { xM: new Float64Array(c.users), yM: new Float64Array(c.users) };
      for (let i = 0; i < c.users; i++) { pos.xM[i] = uniform(r, 0, W); pos.yM[i] = uniform(r, 0, H); }
      const model = new RandomWaypoint(c.users, W, H, { min: c.v[0], max: c.v[1] }, { min: c.p[0], max: c.p[1] }, r);
      for (let slot = 1; slot <= 200; slot++) {
        rwpStep(k, c.dtS, c.v, c.p);
        model.step(pos, c.dtS);
        close(f64s(k, k.x), pos.xM, `slot ${slot} x`, 1e-9);
        close(f64s(k, k.y), pos.yM, `slot ${slot} y`, 1e-9);
      }
    }
  });

  it("keeps users inside the area, never faster than the top speed, and pauses", () => {
    const users = 500, v: [number, number] = [1, 5], p: [number, number] = [0, 4];
    const r = start("wasm", users, 5, 4);
    r.m.fns.placeUniform(users, r.rng, r.x, r.y, W, H);
    r.m.fns.rwpInit(users, r.rng, r.s[0], r.s[1], r.s[2], r.s[3], W, H, v[0], v[1]);
    let still = 0, moved = 0, sum = 0;
    for (let slot = 1; slot <= 300; slot++) {
      const x0 = f64s(r, r.x), y0 = f64s(r, r.y);
      rwpStep(r, 1, v, p);
      const x = f64s(r, r.x), y = f64s(r, r.y);
      for (let i = 0; i < users; i++) {
        if (!(x[i] >= 0 && x[i] <= W && y[i] >= 0 && y[i] <= H)) throw new Error(`slot ${slot} user ${i} outside`);
        const d = Math.hypot(x[i] - x0[i], y[i] - y0[i]);
        if (d > v[1] + 1e-9) throw new Error(`slot ${slot} user ${i} moved ${d} m`);
        if (d === 0) still++;
        else { moved++; sum += d; }
      }
      const sp = f64s(r, r.s[2]);
      expect(sp.every((s) => s >= v[0] && s < v[1])).toBe(true);
    }
    // Legs of ~200 m at ~3 m/s against pauses of ~2 s: mostly walking, some standing.
    expect(still).toBeGreaterThan(0.005 * users * 300);
    expect(moved).toBeGreaterThan(0.8 * users * 300);
    expect(sum / moved).toBeGreaterThan(2);
    expect(sum / moved).toBeLessThan(5);
  });
});

describe("Gauss-Markov kernel", () => {
  function gmRun(be: "wasm" | "js", users: number, seed: number | string, o: GaussMarkovOptions, w: number, h: number, x0?: number, y0?: number): Run {
    const r = start(be, users, seed, 3);
    if (x0 === undefined) r.m.fns.placeUniform(users, r.rng, r.x, r.y, w, h);
    else { fill(r, r.x, new Float64Array(users).fill(x0)); fill(r, r.y, new Float64Array(users).fill(y0!)); }
    r.m.fns.gmInit(users, r.rng, r.s[0], r.s[1], r.s[2], o.meanSpeedMps);
    return r;
  }

  const cases: { users: number; o: GaussMarkovOptions; w: number; h: number }[] = [
    { users: 1, o: gm, w: W, h: H },
    { users: 400, o: gm, w: W, h: H },
    { users: 200, o: { meanSpeedMps: 60, speedSdMps: 40, directionSdRad: 1, alpha: 0.5 }, w: 100, h: 40 }, // several reflections per step
    { users: 50, o: { meanSpeedMps: 10, speedSdMps: 0, directionSdRad: 0, alpha: 1 }, w: 1000, h: 600 },
    { users: 50, o: { meanSpeedMps: 5, speedSdMps: 2, directionSdRad: 0.3, alpha: 0 }, w: 200, h: 200 },
  ];

  it("WASM and the twin agree on positions, speeds and directions over 200 slots", () => {
    for (const c of cases) {
      const [a, b] = BACKENDS.map((be) => gmRun(be, c.users, "gm", c.o, c.w, c.h));
      for (const k of [0, 1, 2]) expect(Array.from(f64s(a, a.s[k]))).toEqual(Array.from(f64s(b, b.s[k])));
      for (let slot = 1; slot <= 200; slot++) {
        for (const r of [a, b]) gmStep(r, c.o, c.w, c.h);
        close(f64s(a, a.x), f64s(b, b.x), `slot ${slot} x`);
        close(f64s(a, a.y), f64s(b, b.y), `slot ${slot} y`);
        for (let k = 0; k < 3; k++) close(f64s(a, a.s[k]), f64s(b, b.s[k]), `slot ${slot} state ${k}`);
      }
      expect(Array.from(a.m.heap.u32.subarray(a.rng >> 2, (a.rng >> 2) + 4))).toEqual(Array.from(b.m.heap.u32.subarray(b.rng >> 2, (b.rng >> 2) + 4)));
    }
  });

  it("equals today's GaussMarkov driven by the same stream", () => {
    for (const c of cases) {
      const k = gmRun("js", c.users, 21, c.o, c.w, c.h, c.w / 2, c.h / 2);
      const ref = start("js", c.users, 21, 0);
      const pos = { xM: new Float64Array(c.users).fill(c.w / 2), yM: new Float64Array(c.users).fill(c.h / 2) };
      const model = new GaussMarkov(c.users, c.w, c.h, c.o, asRng(ref));
      for (let slot = 1; slot <= 200; slot++) {
        gmStep(k, c.o, c.w, c.h);
        model.step(pos, 1);
        close(f64s(k, k.x), pos.xM, `slot ${slot} x`, 1e-12);
        close(f64s(k, k.y), pos.yM, `slot ${slot} y`, 1e-12);
      }
    }
  });

  it("keeps users inside the area for 1000 steps, even when a step crosses it several times", () => {
    const n = 500, w = 100, h = 40, o = { meanSpeedMps: 60, speedSdMps: 40, directionSdRad: 1, alpha: 0.5 };
    const r = gmRun("wasm", n, 7, o, w, h, 50, 20);
    for (let s = 0; s < 1000; s++) {
      gmStep(r, o, w, h);
      const x = f64s(r, r.x), y = f64s(r, r.y);
      for (let i = 0; i < n; i++) {
        if (!(x[i] >= 0 && x[i] <= w && y[i] >= 0 && y[i] <= h)) throw new Error(`step ${s} user ${i}: (${x[i]}, ${y[i]}) is outside`);
      }
    }
  });

  it("moves at the configured mean speed on average", () => {
    const n = 200, L = 1e6;
    const r = gmRun("wasm", n, 2, gm, L, L, L / 2, L / 2);
    let sum = 0;
    for (let s = 0; s < 1000; s++) {
      const x = f64s(r, r.x), y = f64s(r, r.y);
      gmStep(r, gm, L, L);
      const x1 = f64s(r, r.x), y1 = f64s(r, r.y);
      for (let i = 0; i < n; i++) sum += Math.hypot(x1[i] - x[i], y1[i] - y[i]);
    }
    expect(Math.abs(sum / (n * 1000) - 15)).toBeLessThan(0.2);
  });

  it("with alpha = 1 and no noise moves in straight lines, reflected at the edges", () => {
    const n = 100, w = 1000, h = 600, v = 10, o = { meanSpeedMps: v, speedSdMps: 0, directionSdRad: 0, alpha: 1 };
    const r = gmRun("wasm", n, 4, o, w, h, w / 2, h / 2);
    gmStep(r, o, w, h);
    const vx = Array.from(f64s(r, r.x), (x) => x - w / 2), vy = Array.from(f64s(r, r.y), (y) => y - h / 2);
    for (let i = 0; i < n; i++) expect(Math.hypot(vx[i], vy[i])).toBeCloseTo(v, 9);
    const fold = (q: number, L: number): number => {
      const p = ((q % (2 * L)) + 2 * L) % (2 * L);
      return p <= L ? p : 2 * L - p;
    };
    let worst = 0;
    for (let s = 2; s <= 1000; s++) {
      gmStep(r, o, w, h);
      const x = f64s(r, r.x), y = f64s(r, r.y);
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i] - fold(w / 2 + s * vx[i], w)), Math.abs(y[i] - fold(h / 2 + s * vy[i], h)));
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
