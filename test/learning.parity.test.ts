import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { LearningKernels, LearningSizes, LearningTables } from "../src/kernels/learning-tables.js";

const wasm = createLearningKernels("wasm");
const js = createLearningKernels("js");
const BOTH: LearningKernels[] = [wasm, js];

type Rng = () => number;
type Sharing = "one" | "site" | "agent";

/** Bit-identical, or a message naming the first difference and its relative size. */
function expectSame(a: Float64Array | Int32Array, b: Float64Array | Int32Array, what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      const rel = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]));
      throw new Error(`${what}[${i}]: wasm ${a[i]} js ${b[i]} (relative ${rel})`);
    }
  }
}

/** Q values with frequent exact ties, and belief rows of which about a third are unvisited. */
function fillTables(r: Rng, ts: LearningTables[], sharing: Sharing): void {
  const [t0] = ts;
  for (let k = 0; k < t0.q.length; k++) {
    const v = r() < 0.3 ? Math.floor(r() * 3) : (r() - 0.5) * 10;
    for (const t of ts) t.q[k] = v;
  }
  const B = t0.buckets;
  for (let row = 0; row < t0.belief.length / Math.max(B, 1); row++) {
    const unvisited = r() < 0.3;
    for (let b = 0; b < B; b++) {
      const c = unvisited ? 0 : Math.floor(r() * 5);
      for (const t of ts) t.belief[row * B + b] = c;
    }
  }
  for (let i = 0; i < t0.agents; i++) {
    const table = sharing === "one" ? 0 : sharing === "agent" ? i : i % t0.tables;
    for (const t of ts) t.tableOf[i] = table;
  }
}

/** A random mask: sometimes empty, sometimes only bits at or above A, else any subset. */
function randomMask(r: Rng, A: number): number {
  const x = r();
  if (x < 0.05) return 0;
  if (x < 0.1) return A < 30 ? (1 << A) | (A < 29 ? 1 << (A + 1) : 0) : 0;
  return Math.floor(r() * 2 ** A) | (r() < 0.5 ? 1 << 30 : 0);
}

/** Select and update in both backends for `steps` steps from the same draws; checks actions and tables every step. */
function runParity(seed: string, sizes: LearningSizes, sharing: Sharing, steps: number): void {
  const r = seedrandom.alea(seed);
  const jal = sizes.buckets > 0;
  const W = wasm.createTables(sizes);
  const J = js.createTables(sizes);
  const both = [W, J];
  fillTables(r, both, sharing);
  const { agents: M, states: S, actions: A, buckets: B } = sizes;
  for (let i = 0; i < M; i++) {
    const s = Math.floor(r() * S);
    for (const t of both) t.state[i] = s;
  }
  let explored = 0, terminal = 0, learned = 0;
  for (let step = 0; step < steps; step++) {
    const epsilon = [0, 0.1, 0.5, 1][step % 4];
    for (let i = 0; i < M; i++) {
      const mask = randomMask(r, A), act = r() < 0.85 ? 1 : 0, u0 = r(), u1 = r();
      for (const t of both) {
        t.mask[i] = mask;
        t.active[i] = act;
        t.uniforms[2 * i] = u0;
        t.uniforms[2 * i + 1] = u1;
      }
      if (act && u0 < epsilon) explored++;
    }
    if (jal) { wasm.jalSelect(W, epsilon); js.jalSelect(J, epsilon); } else { wasm.ilSelect(W, epsilon); js.ilSelect(J, epsilon); }
    expectSame(W.action, J.action, `step ${step} action`);
    for (let i = 0; i < M; i++) {
      const reward = (r() - 0.5) * 4, next = r() < 0.1 ? -1 : Math.floor(r() * S);
      const nextMask = randomMask(r, A), bucket = jal ? Math.floor(r() * B) : 0;
      for (const t of both) {
        t.reward[i] = reward;
        t.nextState[i] = next;
        t.nextMask[i] = nextMask;
        t.bucket[i] = bucket;
      }
      if (J.action[i] >= 0) {
        learned++;
        if (next < 0) terminal++;
      }
    }
    const alpha = step % 3 === 0 ? 0.5 : 0.1, gamma = 0.95;
    if (jal) { wasm.jalUpdate(W, alpha, gamma); js.jalUpdate(J, alpha, gamma); } else { wasm.ilUpdate(W, alpha, gamma); js.ilUpdate(J, alpha, gamma); }
    expectSame(W.q, J.q, `step ${step} q`);
    expectSame(W.belief, J.belief, `step ${step} belief`);
    for (let i = 0; i < M; i++) {
      const s = J.nextState[i] >= 0 ? J.nextState[i] : Math.floor(r() * S);
      for (const t of both) t.state[i] = s;
    }
  }
  // The draws did exercise exploration, terminal transitions and learning.
  expect(explored).toBeGreaterThan(0);
  expect(terminal).toBeGreaterThan(0);
  expect(learned).toBeGreaterThan(steps);
}

describe("learning kernels: WASM and JS agree bit for bit", () => {
  const cases: [string, LearningSizes, Sharing][] = [
    ["IL, one shared table", { agents: 40, tables: 1, states: 5, actions: 4, buckets: 0 }, "one"],
    ["IL, a table per agent", { agents: 25, tables: 25, states: 7, actions: 6, buckets: 0 }, "agent"],
    ["IL, a table per site", { agents: 90, tables: 6, states: 12, actions: 7, buckets: 0 }, "site"],
    ["IL, 30 actions", { agents: 20, tables: 2, states: 3, actions: 30, buckets: 0 }, "site"],
    ["JAL, one shared table", { agents: 40, tables: 1, states: 5, actions: 4, buckets: 3 }, "one"],
    ["JAL, a table per agent", { agents: 25, tables: 25, states: 7, actions: 6, buckets: 2 }, "agent"],
    ["JAL, a table per site", { agents: 90, tables: 6, states: 12, actions: 7, buckets: 4 }, "site"],
    ["JAL, one bucket", { agents: 30, tables: 3, states: 4, actions: 5, buckets: 1 }, "site"],
    ["JAL, 30 actions", { agents: 20, tables: 2, states: 3, actions: 30, buckets: 5 }, "site"],
  ];
  for (const [name, sizes, sharing] of cases) {
    it(name, () => {
      for (const seed of ["a", "b", "c"]) runParity(`${seed}-${name}`, sizes, sharing, 200);
    });
  }

  it("keeps earlier tables valid after memory growth", () => {
    const k = createLearningKernels("wasm");
    const small = k.createTables({ agents: 3, tables: 1, states: 2, actions: 3, buckets: 2 });
    small.q.fill(1.5);
    small.active.fill(1);
    small.mask.fill(7);
    const big = k.createTables({ agents: 10, tables: 50, states: 1000, actions: 7, buckets: 4 }); // forces memory.grow
    expect(big.q.length).toBe(50 * 1000 * 7 * 4);
    expect(big.q.buffer).toBe(small.q.buffer);
    expect(Array.from(small.q)).toEqual(new Array(12).fill(1.5));
    k.jalSelect(small, 0);
    expect(Array.from(small.action)).toEqual([0, 0, 0]);
    expect(Array.from(big.q.subarray(0, 8))).toEqual(new Array(8).fill(0));
  });
});

describe.each(BOTH.map((k) => [k.backend, k] as const))("learning kernels by hand (%s)", (_, k) => {
  it("sizes and tableBytes", () => {
    const t = k.createTables({ agents: 750, tables: 15, states: 720, actions: 7, buckets: 4 });
    expect(t.q.length).toBe(15 * 720 * 7 * 4);
    expect(t.belief.length).toBe(15 * 720 * 4);
    expect(t.uniforms.length).toBe(1500);
    expect(t.tableBytes).toBe((15 * 720 * 7 * 4 + 15 * 720 * 4) * 8);
    const il = k.createTables({ agents: 2, tables: 1, states: 3, actions: 4, buckets: 0 });
    expect(il.q.length).toBe(12);
    expect(il.belief.length).toBe(0);
    expect(il.tableBytes).toBe(96);
  });

  it("IL select: greedy ties go to the lowest allowed action; bits at or above A are ignored", () => {
    const t = k.createTables({ agents: 6, tables: 1, states: 1, actions: 5, buckets: 0 });
    t.q.set([5, 7, 7, 2, 7]);
    t.active.fill(1);
    t.mask.set([0b10110, 0b10100, 0b01001, 0, 0b1100000, 0b100010]);
    for (let i = 0; i < 6; i++) t.uniforms[2 * i + 1] = 0.99;
    k.ilSelect(t, 0.5);
    // u[2i] = 0 < 0.5 explores, u[2i+1] = 0.99 picks the highest allowed action.
    expect(Array.from(t.action)).toEqual([4, 4, 3, 0, 0, 1]);
    for (let i = 0; i < 6; i++) t.uniforms[2 * i] = 0.5; // u[2i] = epsilon does not explore
    k.ilSelect(t, 0.5);
    expect(Array.from(t.action)).toEqual([1, 2, 0, 0, 0, 1]);
    t.active[2] = 0;
    k.ilSelect(t, 0);
    expect(Array.from(t.action)).toEqual([1, 2, -1, 0, 0, 1]);
  });

  it("IL select: exploration picks the k-th allowed action, k = floor(u * count)", () => {
    const t = k.createTables({ agents: 5, tables: 1, states: 1, actions: 5, buckets: 0 });
    t.q.set([0, 0, 0, 0, 9]);
    t.active.fill(1);
    t.mask.fill(0b10110); // actions 1, 2, 4
    t.uniforms.set([0.1, 0.7, 0.1, 0, 0.1, 0.34, 0.1, 0.99, 0.1, 1]);
    k.ilSelect(t, 0.2);
    // floor(0.7 * 3) = 2 -> 4; 0 -> 1; floor(1.02) = 1 -> 2; floor(2.97) = 2 -> 4; u = 1 is clamped to the last.
    expect(Array.from(t.action)).toEqual([4, 1, 2, 4, 4]);
    k.ilSelect(t, 1);
    expect(Array.from(t.action)).toEqual([4, 1, 2, 4, 4]);
    k.ilSelect(t, 0.1); // u[2i] = 0.1 is not < 0.1: greedy
    expect(Array.from(t.action)).toEqual([4, 4, 4, 4, 4]);
  });

  it("IL update by hand: max over the next mask, terminal and no allowed next action", () => {
    const t = k.createTables({ agents: 5, tables: 2, states: 2, actions: 4, buckets: 0 });
    // Table 0, state 1 holds the next-state values; 10 at action 1 is masked out.
    t.q.set([1, 0, 0, 0], 0);
    t.q.set([3, 10, 4, -1], 4);
    t.q.set([1, 0, 0, 0], 8); // table 1, state 0
    t.tableOf.set([0, 1, 1, 0, 0]);
    t.active.set([1, 1, 1, 0, 1]);
    t.action.set([0, 0, 0, 0, -1]);
    t.reward.fill(2);
    t.nextState.set([1, -1, 1, 1, 1]);
    t.nextMask.set([0b1101, 0b1111, 0, 0b1111, 0b1111]);
    k.ilUpdate(t, 0.1, 0.5);
    // Agent 0: target = 2 + 0.5 * max(3, 4, -1) = 4; q = 1 + 0.1 * (4 - 1) = 1.3.
    expect(t.q[0]).toBeCloseTo(1.3, 14);
    // Agent 1: terminal, target = 2; q = 1 + 0.1 * (2 - 1) = 1.1.
    // Agent 2, same cell: no allowed next action counts 0, target = 2; q = 1.1 + 0.1 * (2 - 1.1) = 1.19.
    expect(t.q[8]).toBeCloseTo(1.19, 14);
    // Agent 3 is inactive and agent 4 has no action: nothing else moved.
    expect(Array.from(t.q)).toEqual([t.q[0], 0, 0, 0, 3, 10, 4, -1, t.q[8], 0, 0, 0, 0, 0, 0, 0]);
  });

  it("IL update: agents sharing a table see each other's updates in index order", () => {
    const t = k.createTables({ agents: 2, tables: 1, states: 2, actions: 2, buckets: 0 });
    t.active.fill(1);
    t.state.set([0, 1]);
    t.action.set([1, 0]);
    t.reward.set([4, 1]);
    t.nextState.set([-1, 0]);
    t.nextMask.fill(0b11);
    k.ilUpdate(t, 0.5, 0.9);
    // Agent 0: q[0,1] = 0 + 0.5 * 4 = 2. Agent 1: target = 1 + 0.9 * max(q[0,0], q[0,1]) = 2.8; q[1,0] = 1.4.
    expect(t.q[1]).toBe(2);
    expect(t.q[2]).toBeCloseTo(1.4, 14);
  });

  it("JAL select: greedy on EV with P(b|s) from the counts, uniform when unvisited", () => {
    const t = k.createTables({ agents: 3, tables: 1, states: 2, actions: 3, buckets: 2 });
    // State 0: q[a][b] = [[0, 4], [3, 3], [4, 0]] -> uniform EV = [2, 3, 2]; with counts [0, 2], EV = [4, 3, 0].
    t.q.set([0, 4, 3, 3, 4, 0], 0);
    // State 1: q = [[2, 2], [4, 0], [0, 4]] -> uniform EV ties at 2 everywhere.
    t.q.set([2, 2, 4, 0, 0, 4], 6);
    t.active.fill(1);
    t.mask.set([0b111, 0b101, 0b110]);
    t.state.set([0, 0, 1]);
    k.jalSelect(t, 0);
    expect(Array.from(t.action)).toEqual([1, 0, 1]); // agent 1: EV 2 and 2 at actions 0 and 2, lowest wins
    t.belief.set([0, 2], 0);
    k.jalSelect(t, 0);
    expect(Array.from(t.action)).toEqual([0, 0, 1]);
    t.mask.fill(0);
    t.uniforms.set([0, 0.9, 0, 0.9, 0, 0.9]);
    k.jalSelect(t, 1);
    expect(Array.from(t.action)).toEqual([0, 0, 0]); // no allowed action: 0, exploring or not
  });

  it("JAL update by hand: EV target from counts, uniform for an unvisited state, then the count", () => {
    const t = k.createTables({ agents: 3, tables: 2, states: 2, actions: 2, buckets: 2 });
    // Table 0, state 1: q[a][b] = [[4, 0], [0, 2]], counts [1, 3] -> P = [0.25, 0.75], EV = [1, 1.5].
    t.q.set([4, 0, 0, 2], 4);
    t.belief.set([1, 3], 2);
    // Table 1, state 1: same q, no counts -> P = [0.5, 0.5], EV = [2, 1].
    t.q.set([4, 0, 0, 2], 12);
    t.q[2] = 0.5; // table 0, state 0, a = 1, b = 0
    t.q[10] = 0.5; // table 1, state 0, a = 1, b = 0
    t.tableOf.set([0, 1, 1]);
    t.active.fill(1);
    t.action.set([1, 1, 0]);
    t.bucket.set([0, 0, 1]);
    t.reward.set([1, 1, 3]);
    t.nextState.set([1, 1, -1]);
    t.nextMask.set([0b11, 0b11, 0b11]);
    k.jalUpdate(t, 0.5, 0.9);
    // Agent 0: target = 1 + 0.9 * 1.5 = 2.35; q = 0.5 + 0.5 * (2.35 - 0.5) = 1.425; count (s=0, b=0) = 1.
    expect(t.q[2]).toBeCloseTo(1.425, 14);
    expect(Array.from(t.belief.subarray(0, 4))).toEqual([1, 0, 1, 3]);
    // Agent 1: target = 1 + 0.9 * 2 = 2.8; q = 0.5 + 0.5 * 2.3 = 1.65.
    expect(t.q[10]).toBeCloseTo(1.65, 14);
    // Agent 2, terminal: q[1, 0, 0, 1] = 0 + 0.5 * 3 = 1.5; table 1 counts (s=0) = [1, 1].
    expect(t.q[9]).toBe(1.5);
    expect(Array.from(t.belief.subarray(4, 8))).toEqual([1, 1, 0, 0]);
  });

  it("JAL update: the target uses the beliefs before this agent's count, after earlier agents' counts", () => {
    const t = k.createTables({ agents: 2, tables: 1, states: 1, actions: 2, buckets: 2 });
    t.active.fill(1);
    t.action.set([0, 1]);
    t.bucket.set([0, 1]);
    t.reward.set([2, 1]);
    t.nextState.fill(0);
    t.nextMask.fill(0b11);
    k.jalUpdate(t, 0.5, 0.9);
    // Agent 0: all zero, target = 2; q[0,0,0] = 1; counts [1, 0].
    // Agent 1: P = [1, 0] (agent 0's count, not its own), EV = [1, 0]; target = 1 + 0.9 = 1.9; q[0,1,1] = 0.95.
    expect(t.q[0]).toBe(1);
    expect(t.q[3]).toBeCloseTo(0.95, 14);
    expect(t.q[1] + t.q[2]).toBe(0);
    expect(Array.from(t.belief)).toEqual([1, 1]);
    t.nextMask.fill(0); // no allowed next action: target = reward
    t.action.set([0, -1]);
    k.jalUpdate(t, 0.5, 0.9);
    expect(t.q[0]).toBe(1.5);
    expect(t.q[3]).toBeCloseTo(0.95, 14);
    expect(Array.from(t.belief)).toEqual([2, 1]);
  });

  it("rejects indices the WASM kernels would trust, and the wrong kind of tables", () => {
    const jal = k.createTables({ agents: 2, tables: 2, states: 3, actions: 2, buckets: 2 });
    const il = k.createTables({ agents: 2, tables: 2, states: 3, actions: 2, buckets: 0 });
    expect(() => k.ilSelect(jal, 0)).toThrow(TypeError);
    expect(() => k.jalUpdate(il, 0.1, 0.9)).toThrow(TypeError);
    jal.active.fill(1);
    jal.state[1] = 3;
    expect(() => k.jalSelect(jal, 0)).toThrow(RangeError);
    jal.state[1] = 0;
    jal.tableOf[0] = 2;
    expect(() => k.jalSelect(jal, 0)).toThrow(RangeError);
    jal.tableOf[0] = 0;
    k.jalSelect(jal, 0);
    jal.bucket[0] = 2;
    expect(() => k.jalUpdate(jal, 0.1, 0.9)).toThrow(RangeError);
    jal.bucket[0] = 0;
    jal.nextState[1] = -2;
    expect(() => k.jalUpdate(jal, 0.1, 0.9)).toThrow(RangeError);
    jal.nextState[1] = -1;
    jal.action[1] = 2;
    expect(() => k.jalUpdate(jal, 0.1, 0.9)).toThrow(RangeError);
    jal.active[1] = 0; // an inactive agent's fields are not read
    k.jalUpdate(jal, 0.1, 0.9);
    expect(() => k.createTables({ agents: 1, tables: 1, states: 1, actions: 31, buckets: 0 })).toThrow(RangeError);
    expect(() => k.createTables({ agents: 0, tables: 1, states: 1, actions: 2, buckets: 0 })).toThrow(RangeError);
  });
});

it("WASM kernels refuse tables from another kernels object", () => {
  const t = js.createTables({ agents: 1, tables: 1, states: 1, actions: 2, buckets: 0 });
  expect(() => wasm.ilSelect(t, 0)).toThrow(/another LearningKernels/);
});

/**
 * Claus & Boutilier's joint-action learner for two agents with actions {0, 1}, written
 * plainly: agent i keeps Q_i(s, a_i, a_j) and counts C_i(s, a_j) of the other's action.
 */
class TwoAgentJal {
  readonly Q: number[][][][];
  readonly C: number[][][];
  constructor(readonly states: number) {
    this.Q = [0, 1].map(() => Array.from({ length: states }, () => [[0, 0], [0, 0]]));
    this.C = [0, 1].map(() => Array.from({ length: states }, () => [0, 0]));
  }

  ev(i: number, s: number, ai: number): number {
    const c = this.C[i][s];
    let total = 0;
    for (const n of c) total += n;
    let ev = 0;
    for (let aj = 0; aj < 2; aj++) ev += (total === 0 ? 1 / 2 : c[aj] / total) * this.Q[i][s][ai][aj];
    return ev;
  }

  select(i: number, s: number, u0: number, u1: number, epsilon: number): number {
    if (u0 < epsilon) return Math.floor(u1 * 2);
    return this.ev(i, s, 1) > this.ev(i, s, 0) ? 1 : 0;
  }

  update(i: number, s: number, ai: number, aj: number, reward: number, next: number, alpha: number, gamma: number): void {
    const target = reward + (next >= 0 ? gamma * Math.max(this.ev(i, next, 0), this.ev(i, next, 1)) : 0);
    this.Q[i][s][ai][aj] += alpha * (target - this.Q[i][s][ai][aj]);
    this.C[i][s][aj] += 1;
  }
}

describe.each(BOTH.map((k) => [k.backend, k] as const))("2-agent JAL with B = 2 (%s)", (_, k) => {
  it("equals a literal joint-action learner when the bucket is 'the other agent offloads'", () => {
    const S = 4, alpha = 0.3, gamma = 0.9;
    const r = seedrandom.alea(`literal-${k.backend}`);
    const t = k.createTables({ agents: 2, tables: 2, states: S, actions: 2, buckets: 2 });
    const ref = new TwoAgentJal(S);
    t.tableOf.set([0, 1]);
    t.active.fill(1);
    t.mask.fill(0b11);
    t.nextMask.fill(0b11);
    // Offloading pays off unless both offload (congestion); payoffs per state, plus noise.
    const gain = Array.from({ length: S }, () => 1 + r() * 2);
    let s = 0;
    for (let step = 0; step < 3000; step++) {
      const epsilon = step < 1500 ? 0.3 : 0.05;
      for (const i of [0, 1]) {
        t.state[i] = s;
        t.uniforms[2 * i] = r();
        t.uniforms[2 * i + 1] = r();
      }
      k.jalSelect(t, epsilon);
      const a = [0, 1].map((i) => ref.select(i, s, t.uniforms[2 * i], t.uniforms[2 * i + 1], epsilon));
      expect(Array.from(t.action)).toEqual(a);
      const next = r() < 0.05 ? -1 : Math.floor(r() * S);
      for (const i of [0, 1]) {
        const mine = a[i], other = a[1 - i];
        const reward = (mine === 1 ? (other === 1 ? -1 : gain[s]) : 0.5) + (r() - 0.5) * 0.2;
        t.reward[i] = reward;
        t.nextState[i] = next;
        t.bucket[i] = other === 1 ? 1 : 0;
      }
      k.jalUpdate(t, alpha, gamma);
      for (const i of [0, 1]) ref.update(i, s, a[i], a[1 - i], t.reward[i], next, alpha, gamma);
      s = next >= 0 ? next : Math.floor(r() * S);
    }
    for (let i = 0; i < 2; i++) {
      for (let st = 0; st < S; st++) {
        for (let ai = 0; ai < 2; ai++) {
          for (let aj = 0; aj < 2; aj++) expect(t.q[((i * S + st) * 2 + ai) * 2 + aj]).toBe(ref.Q[i][st][ai][aj]);
        }
        expect(Array.from(t.belief.subarray((i * S + st) * 2, (i * S + st) * 2 + 2))).toEqual(ref.C[i][st]);
      }
    }
    // The learners did learn something state-dependent.
    expect(ref.C[0].reduce((n, c) => n + c[0] + c[1], 0)).toBeGreaterThan(2500);
  });
});
