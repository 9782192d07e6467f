// The index checks in the kernels (assembly/bounds.ts and its twin): on random valid and
// invalid inputs both backends name the same first offending index as plain loops (the ones
// the hosts ran in TypeScript before, and the learn check's written out), and the hosts refuse buffers outside their kernel memory.
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
interface Agents {
  active: number[]; tableOf: number[]; state: number[]; action: number[]; bucket: number[];
  pTable: number[]; pState: number[]; pAction: number[]; pBucket: number[];
}
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

/** A table entry outside T x S x A (x B when B > 0), written plainly. */
const badEntry = (z: Sizes, t: number, st: number, a: number, b: number): boolean =>
  !inRange(t, 0, z.T) || !inRange(st, 0, z.S) || !inRange(a, 0, z.A) || (z.B > 0 && !inRange(b, 0, z.B));

/** What checkLearn must find: a pending decision (pAction >= 0) out of range, or (not final) an acting agent's decision. */
function learnReference(c: Agents, z: Sizes, final: boolean): number {
  for (let i = 0; i < c.active.length; i++) {
    if (c.pAction[i] >= 0 && badEntry(z, c.pTable[i], c.pState[i], c.pAction[i], c.pBucket[i])) return i;
    if (final || c.active[i] === 0) continue;
    if (badEntry(z, c.tableOf[i], c.state[i], c.action[i], c.bucket[i])) return i;
  }
  return -1;
}

function upload(mc: Machine, c: Upload, n: number): number {
  return mc.fns.firstBadUpload(c.active.length, n, put(mc, c.active), put(mc, c.theta, true), put(mc, c.server), put(mc, c.migrateTo));
}

function select(mc: Machine, c: Agents, z: Sizes): number {
  return mc.fns.firstBadSelect(c.active.length, z.T, z.S, put(mc, c.active), put(mc, c.tableOf), put(mc, c.state));
}

function learn(mc: Machine, c: Agents, z: Sizes, final: boolean): number {
  return mc.fns.firstBadLearn(c.active.length, z.T, z.S, z.A, z.B, final ? 1 : 0,
    put(mc, c.active), put(mc, c.tableOf), put(mc, c.state), put(mc, c.action), put(mc, c.bucket),
    put(mc, c.pTable), put(mc, c.pState), put(mc, c.pAction), put(mc, c.pBucket));
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
  const c: Agents = { active: [], tableOf: [], state: [], action: [], bucket: [], pTable: [], pState: [], pAction: [], pBucket: [] };
  // IL tables (B = 0) have no buckets: any value there must be ignored.
  const bucket = (): number => (z.B === 0 ? index(r, -9, 9) : r() < 0.02 ? index(r, -5, z.B + 5) : mostly(r, 0, z.B, bad));
  for (let i = 0; i < m; i++) {
    c.active.push(r() < 0.7 ? 1 : 0);
    c.tableOf.push(r() < 0.02 ? index(r, -5, z.T + 5) : mostly(r, 0, z.T, bad));
    c.state.push(r() < 0.02 ? index(r, -5, z.S + 5) : mostly(r, 0, z.S, bad));
    c.action.push(r() < 0.02 ? index(r, -5, z.A + 5) : mostly(r, 0, z.A, bad));
    c.bucket.push(bucket());
    // No pending decision (-1) half the time: its other fields are then not read.
    c.pAction.push(r() < 0.5 ? -1 : r() < 0.02 ? index(r, 0, z.A + 5) : mostly(r, 0, z.A, bad));
    c.pTable.push(r() < 0.02 ? index(r, -5, z.T + 5) : mostly(r, 0, z.T, bad));
    c.pState.push(r() < 0.02 ? index(r, -5, z.S + 5) : mostly(r, 0, z.S, bad));
    c.pBucket.push(bucket());
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

  it("firstBadSelect and firstBadLearn: both backends and plain loops name the same agent (IL and JAL, during and at the end of an episode)", () => {
    const r = seedrandom.alea("agents");
    const seen = { select: [0, 0], learn: [0, 0], final: [0, 0], later: 0, pendingOnly: 0 };
    for (let k = 0; k < 800; k++) {
      const z: Sizes = { T: 1 + Math.floor(r() * 5), S: 1 + Math.floor(r() * 9), A: 1 + Math.floor(r() * 30), B: k % 2 === 0 ? 0 : 1 + Math.floor(r() * 4) };
      const m = 1 + Math.floor(r() * 40);
      const c = randomAgents(r, m, z, [0, 0.01, 0.05, 0.3][k % 4]);
      const mark = machines.map((mc) => mc.mark());
      const s = selectReference(c, z), l = learnReference(c, z, false), f = learnReference(c, z, true);
      expect(machines.map((mc) => select(mc, c, z)), `select case ${k}`).toEqual([s, s]);
      expect(machines.map((mc) => learn(mc, c, z, false)), `learn case ${k}`).toEqual([l, l]);
      expect(machines.map((mc) => learn(mc, c, z, true)), `final learn case ${k}`).toEqual([f, f]);
      machines.forEach((mc, j) => mc.reset(mark[j]));
      seen.select[s < 0 ? 0 : 1]++;
      seen.learn[l < 0 ? 0 : 1]++;
      seen.final[f < 0 ? 0 : 1]++;
      if (l > 0) seen.later++;
      if (f >= 0) seen.pendingOnly++;
    }
    for (const [valid, invalid] of [seen.select, seen.learn, seen.final]) {
      expect(valid).toBeGreaterThan(100);
      expect(invalid).toBeGreaterThan(100);
    }
    expect(seen.later).toBeGreaterThan(100);
  });

  it("each kind of defect is caught, and only the fields the kernels read are checked", () => {
    const z: Sizes = { T: 2, S: 3, A: 4, B: 2 };
    // Agent 0 acts and has a pending decision; agent 1 acts without one; agent 2 idles with one.
    const ok: Agents = {
      active: [1, 1, 0], tableOf: [0, 1, 9], state: [2, 0, 9], action: [3, 0, 9], bucket: [1, 0, 9],
      pTable: [1, 9, 0], pState: [0, 9, 2], pAction: [2, -1, 1], pBucket: [0, 9, 1],
    };
    const edits: [keyof Agents, number, "select" | "learn" | "pending"][] = [
      ["tableOf", 2, "select"], ["tableOf", -1, "select"], ["state", 3, "select"], ["state", -1, "select"],
      ["action", 4, "learn"], ["action", -1, "learn"], ["bucket", 2, "learn"], ["bucket", -1, "learn"],
      ["pTable", 2, "pending"], ["pState", -1, "pending"], ["pAction", 4, "pending"], ["pBucket", 2, "pending"],
    ];
    for (const mc of machines) {
      expect([select(mc, ok, z), learn(mc, ok, z, false), learn(mc, ok, z, true), learn(mc, ok, { ...z, B: 0 }, false)]).toEqual([-1, -1, -1, -1]);
      // Agent 2 idles: its own fields are not read, its pending decision is, during the episode and at its end.
      expect(learn(mc, { ...ok, pState: [0, 9, 3] }, z, false)).toBe(2);
      expect(learn(mc, { ...ok, pState: [0, 9, 3] }, z, true)).toBe(2);
      for (const [field, value, kind] of edits) {
        const c = { ...ok, [field]: [value, ...ok[field].slice(1)] };
        const bucketField = field === "bucket" || field === "pBucket";
        expect(select(mc, c, z), `${mc.backend} select ${field} ${value}`).toBe(kind === "select" ? 0 : -1);
        expect(learn(mc, c, z, false), `${mc.backend} learn ${field} ${value}`).toBe(0);
        // At the episode's end only pending decisions are read.
        expect(learn(mc, c, z, true), `${mc.backend} final learn ${field} ${value}`).toBe(kind === "pending" ? 0 : -1);
        // IL: no bucket is read.
        expect(learn(mc, c, { ...z, B: 0 }, false), `${mc.backend} IL learn ${field} ${value}`).toBe(bucketField ? -1 : 0);
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
      expect(() => k.ilLearn(t, { gamma: 0, stepSize: "visits", alpha: 0.1, alphaMin: 0.01 }, false)).toThrow(/another LearningKernels/);
      const same = createLearningKernels(k.machine).createTables({ agents: 1, tables: 1, states: 1, actions: 2, buckets: 0 });
      same.active[0] = 1;
      if (backend === "wasm") expect(() => k.ilSelect(same, 0)).toThrow(/another LearningKernels/);
      else k.ilSelect(same, 0);
    });
  }
});
