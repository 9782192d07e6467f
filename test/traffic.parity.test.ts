// Task arrivals and queues in the kernels (assembly/traffic.ts): WASM and the TS twin agree
// slot by slot (queues, heads, types and arrival slots exactly, sizes to 1e-9); both equal
// today's Traffic (src/world/traffic.ts) fed the same uniforms; a full ring drops and counts;
// arrival counts are Poisson with the configured rate and types follow the Zipf popularity.
import { describe, expect, it } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import { uniform01 } from "../src/kernels/rng-js.js";
import { streamState } from "../src/kernels/rng-seed.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { Catalogue } from "../src/world/catalogue.js";
import { stream } from "../src/world/rng.js";
import { distributionArgs } from "../src/world/task-queues.js";
import { Traffic } from "../src/world/traffic.js";

type Tasks = TrialConfig["tasks"];
const base: Tasks = { arrivalRate: 0.2, bits: { dist: "uniform", min: 2e5, max: 1e6 }, cyclesPerBit: { dist: "constant", value: 500 }, deadlineS: 0.05, catalogue: null };
const CONFIGS: Tasks[] = [
  base,
  { ...base, arrivalRate: 0.05, bits: { dist: "normal", mean: 5e5, sd: 2e5, min: 1e5, max: 9e5 }, cyclesPerBit: { dist: "exponential", mean: 400 } },
  { ...base, bits: { dist: "normal", mean: 5e5, sd: 4e5, min: 0 }, cyclesPerBit: { dist: "centred", mean: 500, spread: 2 / 3 } },
  { ...base, catalogue: { types: 1, zipfExponent: 0.8 } },
  { ...base, arrivalRate: 0.15, catalogue: { types: 50, zipfExponent: 1.2 } },
];

const OUT_F64 = ["bits", "cyclesPerBit", "deadline", "theta", "beta"] as const;
const OUT_I32 = ["active", "taskType", "arrivalSlot", "migrateTo"] as const;

/** The kernels' arrays on one machine, laid out by hand as a host would. */
class Rig {
  readonly p: Record<string, number> = {};
  private readonly limit: number;

  constructor(readonly m: Machine, readonly users: number, readonly Q: number, readonly c: Tasks, seed: number | string, readonly cat?: Catalogue) {
    const a = (name: string, bytes: number): void => { this.p[name] = m.alloc(bytes); };
    a("rng", 16);
    a("qBits", 8 * users * Q); a("qCyclesPerBit", 8 * users * Q); a("qType", 4 * users * Q); a("qArrival", 4 * users * Q);
    a("qHead", 4 * users); a("qCount", 4 * users); a("overflow", 4);
    for (const k of OUT_F64) a(k, 8 * users);
    for (const k of OUT_I32) a(k, 4 * users);
    const t = Math.max(1, cat?.types ?? 0);
    a("catCdf", 8 * t); a("catBits", 8 * t); a("catCpb", 8 * t);
    m.heap.u32.set(streamState(seed, "traffic"), this.p.rng >> 2);
    if (cat) {
      m.heap.f64.set(cat.cdf, this.p.catCdf >> 3);
      m.heap.f64.set(cat.bits, this.p.catBits >> 3);
      m.heap.f64.set(cat.cyclesPerBit, this.p.catCpb >> 3);
    }
    this.limit = Math.exp(-c.arrivalRate);
  }

  arrive(slot: number): void {
    const p = this.p, b = distributionArgs(this.c.bits), c = distributionArgs(this.c.cyclesPerBit);
    this.m.fns.arrive(this.users, p.rng, this.limit, slot, this.Q, p.qBits, p.qCyclesPerBit, p.qType, p.qArrival, p.qHead, p.qCount,
      b[0], b[1], b[2], b[3], b[4], c[0], c[1], c[2], c[3], c[4], this.cat?.types ?? 0, p.catCdf, p.catBits, p.catCpb, p.overflow);
  }

  prepare(): void {
    const p = this.p;
    this.m.fns.prepareTasks(this.users, p.qBits, p.qCyclesPerBit, p.qType, p.qArrival, p.qHead, p.qCount, this.Q, this.c.deadlineS,
      p.active, p.bits, p.cyclesPerBit, p.deadline, p.taskType, p.arrivalSlot, p.theta, p.migrateTo, p.beta);
  }

  complete(): void {
    this.m.fns.completeTasks(this.users, this.p.active, this.p.qHead, this.p.qCount, this.Q);
  }

  f64(name: string, count = this.users): number[] {
    return Array.from(this.m.heap.f64.subarray(this.p[name] >> 3, (this.p[name] >> 3) + count));
  }

  i32(name: string, count = this.users): number[] {
    return Array.from(this.m.heap.i32.subarray(this.p[name] >> 2, (this.p[name] >> 2) + count));
  }

  get overflow(): number {
    return this.m.heap.i32[this.p.overflow >> 2];
  }
}

/** Exactly equal arrays; a plain loop, as the tests compare thousands of arrays. */
function eq(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

function expectClose(a: number[], b: number[], what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])))) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const catalogueOf = (c: Tasks, seed: number): Catalogue | undefined =>
  c.catalogue ? new Catalogue(c.catalogue.types, c.catalogue.zipfExponent, c.bits, c.cyclesPerBit, stream(seed, "catalogue")) : undefined;

describe("traffic kernels: WASM vs the TS twin", () => {
  it("arrivals, queues and head tasks agree slot by slot (integers exactly, sizes to 1e-9)", () => {
    for (const [k, c] of CONFIGS.entries()) {
      for (const users of [1, 3, 257]) {
        const cat = catalogueOf(c, k);
        const w = new Rig(createMachine("wasm"), users, 8, c, `${k}/${users}`, cat);
        const j = new Rig(createMachine("js"), users, 8, c, `${k}/${users}`, cat);
        let busy = 0;
        for (let slot = 0; slot < 300; slot++) {
          for (const r of [w, j]) { r.arrive(slot); r.prepare(); }
          for (const name of [...OUT_I32, "qHead", "qCount"]) eq(w.i32(name), j.i32(name), `${name} slot ${slot}`);
          eq(w.i32("qType", users * 8), j.i32("qType", users * 8), `qType slot ${slot}`);
          eq(w.i32("qArrival", users * 8), j.i32("qArrival", users * 8), `qArrival slot ${slot}`);
          for (const name of OUT_F64) expectClose(w.f64(name), j.f64(name), `${name} slot ${slot}`);
          busy += j.i32("active").reduce((s, x) => s + x, 0);
          for (const r of [w, j]) r.complete();
        }
        expect(w.overflow).toBe(0);
        expect(j.overflow).toBe(0);
        if (users > 1) expect(busy).toBeGreaterThan(0);
      }
    }
  });

  it("a full ring drops the task, counts it, and keeps the first Q tasks in order", () => {
    const c = { ...base, arrivalRate: 3 };
    for (const backend of ["wasm", "js"] as const) {
      const small = new Rig(createMachine(backend), 5, 4, c, 9);
      const big = new Rig(createMachine(backend), 5, 64, c, 9);
      for (let slot = 0; slot < 4; slot++) { small.arrive(slot); big.arrive(slot); }
      const total = big.i32("qCount");
      expect(Math.max(...total)).toBeGreaterThan(4);
      expect(small.i32("qCount")).toEqual(total.map((t) => Math.min(t, 4)));
      expect(small.overflow).toBe(total.reduce((s, t) => s + Math.max(t - 4, 0), 0));
      for (let i = 0; i < 5; i++) {
        const kept = Math.min(total[i], 4);
        expect(small.f64("qBits", 20).slice(4 * i, 4 * i + kept)).toEqual(big.f64("qBits", 5 * 64).slice(64 * i, 64 * i + kept));
        expect(small.i32("qArrival", 20).slice(4 * i, 4 * i + kept)).toEqual(big.i32("qArrival", 5 * 64).slice(64 * i, 64 * i + kept));
      }
    }
  });
});

describe("traffic kernels equal today's Traffic", () => {
  it("given the same uniforms, the same tasks reach the heads in the same slots", () => {
    for (const [k, c] of CONFIGS.entries()) {
      const users = 40, seed = 100 + k;
      const cat = catalogueOf(c, seed);
      // Today's Traffic draws from an Rng: give it the kernel generator's uniforms, from the same state.
      const g = createMachine("js"), gs = g.alloc(16);
      g.heap.u32.set(streamState(seed, "traffic"), gs >> 2);
      const traffic = new Traffic(users, c, () => uniform01(g.heap, gs), cat);
      const rigs = [new Rig(createMachine("js"), users, 64, c, seed, cat), new Rig(createMachine("wasm"), users, 64, c, seed, cat)];
      for (let slot = 0; slot < 200; slot++) {
        traffic.arrive(slot);
        const heads = Array.from({ length: users }, (_, i) => traffic.head(i));
        for (const r of rigs) {
          r.arrive(slot);
          r.prepare();
          const at = `${r.m.backend} slot ${slot}`;
          eq(r.i32("active"), heads.map((t) => (t ? 1 : 0)), `active ${at}`);
          eq(r.i32("taskType"), heads.map((t) => (t ? t.type : -1)), `taskType ${at}`);
          eq(r.i32("arrivalSlot"), heads.map((t) => (t ? t.arrivalSlot : -1)), `arrivalSlot ${at}`);
          eq(r.f64("deadline"), heads.map((t) => (t ? t.deadlineS : 0)), `deadline ${at}`);
          const bits = heads.map((t) => (t ? t.bits : 0)), cpb = heads.map((t) => (t ? t.cyclesPerBit : 0));
          if (r.m.backend === "js") {
            eq(r.f64("bits"), bits, `bits ${at}`);
            eq(r.f64("cyclesPerBit"), cpb, `cyclesPerBit ${at}`);
          } else {
            expectClose(r.f64("bits"), bits, "bits");
            expectClose(r.f64("cyclesPerBit"), cpb, "cyclesPerBit");
          }
          eq(r.f64("theta"), new Array(users).fill(1), `theta ${at}`);
          eq(r.i32("migrateTo"), new Array(users).fill(-1), `migrateTo ${at}`);
          eq(r.f64("beta"), new Array(users).fill(0), `beta ${at}`);
        }
        for (let i = 0; i < users; i++) if (heads[i]) traffic.complete(i);
        for (const r of rigs) r.complete();
      }
    }
  });
});

describe("traffic kernels: statistics", () => {
  it("arrival counts are Poisson(arrivalRate) and task types follow the Zipf popularity", () => {
    const c: Tasks = { ...base, arrivalRate: 0.2, catalogue: { types: 10, zipfExponent: 0.8 } };
    const cat = catalogueOf(c, 1)!;
    const users = 2000, slots = 400;
    const r = new Rig(createMachine("wasm"), users, 64, c, "stats", cat);
    const freq = new Float64Array(cat.types);
    let arrivals = 0, idleDraws = 0, served = 0;
    for (let slot = 0; slot < slots; slot++) {
      const before = r.i32("qCount");
      r.arrive(slot);
      const after = r.i32("qCount");
      for (let i = 0; i < users; i++) {
        arrivals += after[i] - before[i];
        if (after[i] === before[i]) idleDraws++;
      }
      r.prepare();
      const active = r.i32("active"), type = r.i32("taskType");
      for (let i = 0; i < users; i++) if (active[i]) { freq[type[i]]++; served++; }
      r.complete();
    }
    const n = users * slots;
    // Mean 0.2 with a standard error of sqrt(0.2 / n) = 0.0005; P(0) = e^-0.2 with 0.0004.
    expect(Math.abs(arrivals / n - 0.2)).toBeLessThan(0.003);
    expect(Math.abs(idleDraws / n - Math.exp(-0.2))).toBeLessThan(0.003);
    expect(r.overflow).toBe(0);
    let prev = 0;
    for (let k = 0; k < cat.types; k++) {
      const p = cat.cdf[k] - prev;
      prev = cat.cdf[k];
      const sd = Math.sqrt((p * (1 - p)) / served);
      expect(Math.abs(freq[k] / served - p), `type ${k}`).toBeLessThan(5 * sd);
    }
    // Zipf with s = 0.8 over 10 types: type 0 about 4.5 times as popular as type 9.
    expect(freq[0] / freq[9]).toBeGreaterThan(4);
  });
});
