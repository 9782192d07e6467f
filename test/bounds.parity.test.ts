// The index checks in the kernels (assembly/bounds.ts and its twin): on random valid and
// invalid inputs both backends name the same first offending index as the loops the hosts
// ran in TypeScript before, and the hosts refuse buffers outside their kernel memory.
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createKernels } from "../src/kernels/index.js";
import { createLearningKernels } from "../src/kernels/learning.js";
import { createMachine, type Machine } from "../src/kernels/machine.js";

type Rng = () => number;
const BACKENDS = ["wasm", "js"] as const;

/** Copies `a` into fresh memory of the machine; returns its byte offset. */
function put(mc: Machine, a: number[], f64 = false): number {
  const at = mc.alloc(a.length * (f64 ? 8 : 4) + 4);
  if (f64) mc.heap.f64.set(a, at >>> 3);
  else mc.heap.i32.set(a, at >>> 2);
  return at;
}

/** An integer in lo..hi inclusive, or now and then one far outside any range. */
function index(r: Rng, lo: number, hi: number): number {
  const x = r();
  if (x < 0.01) return -(2 ** 31);
  if (x < 0.02) return 2 ** 31 - 1;
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** Mostly valid in lo..hi-1, with probability `bad` just outside it (lo - 1 or hi). */
function mostly(r: Rng, lo: number, hi: number, bad: number): number {
  if (r() < bad) return r() < 0.5 ? lo - 1 : hi;
  return lo + Math.floor(r() * (hi - lo));
}

const inRange = (x: number, lo: number, hi: number): boolean => x >= lo && x < hi;

interface Upload { active: number[]; theta: number[]; server: number[]; migrateTo: number[] }
interface Agents { active: number[]; tableOf: number[]; state: number[]; action: number[]; nextState: number[]; bucket: number[] }
interface Sizes { T: number; S: number; A: number; B: number }

/** The loop of the old TS checkSlot. */
function uploadReference(c: Upload, n: number): number {
  for (let i = 0; i < c.active.length; i++) {
    if (c.active[i] === 0 || c.theta[i] >= 1) continue;
    if (!inRange(c.server[i], 0, n) || !inRange(c.migrateTo[i], -1, n)) return i;
  }
  return -1;
}

/** The loop of the old TS checkSelect. */
function selectReference(c: Agents, z: Sizes): number {
  for (let i = 0; i < c.active.length; i++) {
    if (c.active[i] === 0) continue;
    if (!inRange(c.tableOf[i], 0, z.T) || !inRange(c.state[i], 0, z.S)) return i;
  }
  return -1;
}

/** The loop of the old TS checkUpdate (jal = B > 0). */
function updateReference(c: Agents, z: Sizes): number {
  for (let i = 0; i < c.active.length; i++) {
    const a = c.action[i];
    if (c.active[i] === 0 || a < 0) continue;
    if (!inRange(c.tableOf[i], 0, z.T) || !inRange(c.state[i], 0, z.S) || a >= z.A
      || !inRange(c.nextState[i], -1, z.S) || (z.B > 0 && !inRange(c.bucket[i], 0, z.B))) return i;
  }
  return -1;
}

function upload(mc: Machine, c: Upload, n: number): number {
  return mc.fns.firstBadUpload(c.active.length, n, put(mc, c.active), put(mc, c.theta, true), put(mc, c.server), put(mc, c.migrateTo));
}

function select(mc: Machine, c: Agents, z: Sizes): number {
  return mc.fns.firstBadSelect(c.active.length, z.T, z.S, put(mc, c.active), put(mc, c.tableOf), put(mc, c.state));
}

function update(mc: Machine, c: Agents, z: Sizes): number {
  return mc.fns.firstBadUpdate(c.active.length, z.T, z.S, z.A, z.B,
    put(mc, c.active), put(mc, c.tableOf), put(mc, c.state), put(mc, c.action), put(mc, c.nextState), put(mc, c.bucket));
}

/** Random uploads; `bad` is the chance of each index being just out of range. */
function randomUpload(r: Rng, m: number, n: number, bad: number): Upload {
  const c: Upload = { active: [], theta: [], server: [], migrateTo: [] };
  const thetas = [0, 0.25, 0.5, 1, 1.5, NaN, -0, Infinity, -Infinity, 1 - 2 ** -53];
  for (let i = 0; i < m; i++) {
    c.active.push(r() < 0.7 ? (r() < 0.9 ? 1 : -3) : 0);
    c.theta.push(thetas[Math.floor(r() * thetas.length)]);
    c.server.push(r() < 0.02 ? index(r, -5, n + 5) : mostly(r, 0, n, bad));
    c.migrateTo.push(r() < 0.02 ? index(r, -5, n + 5) : mostly(r, -1, n, bad));
  }
  return c;
}

function randomAgents(r: Rng, m: number, z: Sizes, bad: number): Agents {
  const c: Agents = { active: [], tableOf: [], state: [], action: [], nextState: [], bucket: [] };
  for (let i = 0; i < m; i++) {
    c.active.push(r() < 0.7 ? 1 : 0);
    c.tableOf.push(r() < 0.02 ? index(r, -5, z.T + 5) : mostly(r, 0, z.T, bad));
    c.state.push(r() < 0.02 ? index(r, -5, z.S + 5) : mostly(r, 0, z.S, bad));
    c.action.push(r() < 0.2 ? -1 : r() < 0.02 ? index(r, -5, z.A + 5) : mostly(r, 0, z.A, bad));
    c.nextState.push(r() < 0.02 ? index(r, -5, z.S + 5) : mostly(r, -1, z.S, bad));
    // IL tables (B = 0) have no buckets: any value there must be ignored.
    c.bucket.push(z.B === 0 ? index(r, -9, 9) : r() < 0.02 ? index(r, -5, z.B + 5) : mostly(r, 0, z.B, bad));
  }
  return c;
}

describe("index checks in the kernels", () => {
  const machines = BACKENDS.map((b) => createMachine(b));

  it("firstBadUpload: both backends and the old loop name the same user", () => {
    const r = seedrandom.alea("uploads");
    const seen = { valid: 0, invalid: 0 };
    for (let k = 0; k < 600; k++) {
      const m = 1 + Math.floor(r() * 40), n = 1 + Math.floor(r() * 6);
      const c = randomUpload(r, m, n, [0, 0.01, 0.05, 0.3][k % 4]);
      const expected = uploadReference(c, n);
      const mark = machines.map((mc) => mc.mark());
      expect(machines.map((mc) => upload(mc, c, n)), `case ${k}`).toEqual([expected, expected]);
      machines.forEach((mc, j) => mc.reset(mark[j]));
      seen[expected < 0 ? "valid" : "invalid"]++;
    }
    // Both outcomes occur often, and the first offender is not always user 0.
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.invalid).toBeGreaterThan(100);
  });

  it("firstBadSelect and firstBadUpdate: both backends and the old loops name the same agent (IL and JAL)", () => {
    const r = seedrandom.alea("agents");
    const seen = { select: [0, 0], update: [0, 0], later: 0 };
    for (let k = 0; k < 800; k++) {
      const z: Sizes = { T: 1 + Math.floor(r() * 5), S: 1 + Math.floor(r() * 9), A: 1 + Math.floor(r() * 30), B: k % 2 === 0 ? 0 : 1 + Math.floor(r() * 4) };
      const m = 1 + Math.floor(r() * 40);
      const c = randomAgents(r, m, z, [0, 0.01, 0.05, 0.3][k % 4]);
      const mark = machines.map((mc) => mc.mark());
      const s = selectReference(c, z), u = updateReference(c, z);
      expect(machines.map((mc) => select(mc, c, z)), `select case ${k}`).toEqual([s, s]);
      expect(machines.map((mc) => update(mc, c, z)), `update case ${k}`).toEqual([u, u]);
      machines.forEach((mc, j) => mc.reset(mark[j]));
      seen.select[s < 0 ? 0 : 1]++;
      seen.update[u < 0 ? 0 : 1]++;
      if (u > 0) seen.later++;
    }
    for (const [valid, invalid] of [seen.select, seen.update]) {
      expect(valid).toBeGreaterThan(100);
      expect(invalid).toBeGreaterThan(100);
    }
    expect(seen.later).toBeGreaterThan(100);
  });

  it("each kind of defect is caught, and only the fields the kernels read are checked", () => {
    const z: Sizes = { T: 2, S: 3, A: 4, B: 2 };
    const ok: Agents = { active: [1, 1, 0], tableOf: [0, 1, 9], state: [2, 0, 9], action: [3, -1, 9], nextState: [-1, 9, 9], bucket: [1, 9, 9] };
    const edits: [keyof Agents, number, boolean][] = [
      ["tableOf", 2, true], ["tableOf", -1, true], ["state", 3, true], ["state", -1, true],
      ["action", 4, false], ["nextState", 3, false], ["nextState", -2, false], ["bucket", 2, false], ["bucket", -1, false],
    ];
    for (const mc of machines) {
      expect([select(mc, ok, z), update(mc, ok, z), update(mc, ok, { ...z, B: 0 })]).toEqual([-1, -1, -1]);
      // Agent 1 selects (its state is read) but does not learn (action -1): only select reads it.
      expect(select(mc, { ...ok, state: [2, 3, 9] }, z)).toBe(1);
      expect(update(mc, { ...ok, state: [2, 3, 9] }, z)).toBe(-1);
      for (const [field, value, selects] of edits) {
        const c = { ...ok, [field]: [value, ...ok[field].slice(1)] };
        expect(select(mc, c, z), `${mc.backend} select ${field} ${value}`).toBe(selects ? 0 : -1);
        expect(update(mc, c, z), `${mc.backend} update ${field} ${value}`).toBe(0);
        // IL: the bucket is not read.
        expect(update(mc, c, { ...z, B: 0 }), `${mc.backend} IL update ${field} ${value}`).toBe(field === "bucket" ? -1 : 0);
      }
      const slot: Upload = { active: [1, 0, 1, 1], theta: [0.5, 0, 1, 0], server: [0, 9, 9, 2], migrateTo: [2, 9, 9, -1] };
      expect(upload(mc, slot, 3)).toBe(-1);
      expect(upload(mc, slot, 2)).toBe(0);
      expect(upload(mc, { ...slot, theta: [0.5, 0, NaN, 0] }, 3)).toBe(2);
      expect(upload(mc, { ...slot, migrateTo: [2, 9, 9, -2] }, 3)).toBe(3);
      expect(upload(mc, slot, 0)).toBe(0);
    }
  });
});

describe("the hosts refuse buffers outside their kernel memory (the check kernels read only their own)", () => {
  for (const backend of BACKENDS) {
    it(`${backend}: a layout of another kernels object`, () => {
      const k = createKernels(backend), other = createKernels(backend);
      const L = other.createLayout(2, 1);
      const p = { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null } as const;
      expect(() => k.channel(L, 2, 1, p)).toThrow(/layout: not in this kernels object's memory/);
      expect(() => k.latency(L, 2, 1, p)).toThrow(/layout: not in this kernels object's memory/);
    });

    it(`${backend}: tables of another learning kernels object; of one on the same memory (WASM only)`, () => {
      const k = createLearningKernels(backend);
      const t = createLearningKernels(backend).createTables({ agents: 1, tables: 1, states: 1, actions: 2, buckets: 0 });
      expect(() => k.ilSelect(t, 0)).toThrow(/another LearningKernels/);
      expect(() => k.ilUpdate(t, 0, 0)).toThrow(/another LearningKernels/);
      const same = createLearningKernels(k.machine).createTables({ agents: 1, tables: 1, states: 1, actions: 2, buckets: 0 });
      same.active[0] = 1;
      if (backend === "wasm") expect(() => k.ilSelect(same, 0)).toThrow(/another LearningKernels/);
      else k.ilSelect(same, 0);
    });
  }
});
