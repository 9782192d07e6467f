import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { LearnRule, LearningKernels, LearningSizes, LearningTables } from "../src/kernels/learning-tables.js";

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

/** The rules the parity runs cycle through: both step sizes, gamma 0 (learn at once) and above (pending decisions). */
const RULES: LearnRule[] = [
  { gamma: 0.95, stepSize: "constant", alpha: 0.1, alphaMin: 0 },
  { gamma: 0, stepSize: "visits", alpha: 0.1, alphaMin: 0.05 },
  { gamma: 0.5, stepSize: "visits", alpha: 0.1, alphaMin: 0 },
  { gamma: 0, stepSize: "constant", alpha: 0.5, alphaMin: 0.2 },
];

/** Select and learn in both backends for `steps` steps from the same draws; checks actions, tables and pending decisions every step. */
function runParity(seed: string, sizes: LearningSizes, sharing: Sharing, steps: number, rule: LearnRule): void {
  const r = seedrandom.alea(seed);
  const jal = sizes.buckets > 0;
  const W = wasm.createTables(sizes);
  const J = js.createTables(sizes);
  const both = [W, J];
  fillTables(r, both, sharing);
  const { agents: M, states: S, actions: A, buckets: B } = sizes;
  // Site roles: any role of -1..R-1 per action (-1: the action's value ignores the bucket).
  if (jal && sizes.roles !== undefined) {
    for (let a = 0; a < A; a++) {
      const role = Math.floor(r() * (sizes.roles + 1)) - 1;
      for (const t of both) t.roleOf[a] = role;
    }
  }
  let explored = 0, finals = 0, learned = 0, closed = 0;
  for (let step = 0; step < steps; step++) {
    const epsilon = [0, 0.1, 0.5, 1][step % 4];
    for (let i = 0; i < M; i++) {
      const s = Math.floor(r() * S), mask = randomMask(r, A), act = r() < 0.6 ? 1 : 0, u0 = r(), u1 = r();
      // Per-site tables follow the agent's cell: a pending decision may sit in another table than the next one.
      const table = sharing === "site" && r() < 0.2 ? Math.floor(r() * sizes.tables) : J.tableOf[i];
      for (const t of both) {
        t.tableOf[i] = table;
        t.state[i] = s;
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
      const reward = (r() - 0.5) * 4, bucket = jal ? Math.floor(r() * B) : 0;
      for (const t of both) {
        t.reward[i] = reward;
        t.bucket[i] = bucket;
      }
      if (J.active[i]) {
        learned++;
        if (J.pendingAction[i] >= 0) closed++;
      }
    }
    if (jal) { wasm.jalLearn(W, rule, false); js.jalLearn(J, rule, false); } else { wasm.ilLearn(W, rule, false); js.ilLearn(J, rule, false); }
    // Now and then an episode ends: every pending decision learns as terminal.
    if (r() < 0.1) {
      finals++;
      if (jal) { wasm.jalLearn(W, rule, true); js.jalLearn(J, rule, true); } else { wasm.ilLearn(W, rule, true); js.ilLearn(J, rule, true); }
      expect(Array.from(J.pendingAction).every((a) => a === -1)).toBe(true);
    }
    for (const name of ["q", "visits", "belief", "pendingTable", "pendingState", "pendingAction", "pendingReward", "pendingBucket"] as const) {
      expectSame(W[name], J[name], `step ${step} ${name}`);
    }
  }
  // The draws did exercise exploration, episode ends, learning and (gamma > 0) pending decisions closed by a next decision.
  expect(explored).toBeGreaterThan(0);
  expect(finals).toBeGreaterThan(0);
  expect(learned).toBeGreaterThan(steps);
  if (rule.gamma > 0) expect(closed).toBeGreaterThan(steps);
  else expect(closed).toBe(0);
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
    ["JAL, 3 site roles, a table per site", { agents: 90, tables: 6, states: 12, actions: 7, buckets: 5, roles: 3 }, "site"],
    ["JAL, 2 site roles, one shared table", { agents: 40, tables: 1, states: 5, actions: 6, buckets: 3, roles: 2 }, "one"],
    ["JAL, 4 site roles, 30 actions", { agents: 20, tables: 2, states: 3, actions: 30, buckets: 4, roles: 4 }, "site"],
  ];
  for (const [name, sizes, sharing] of cases) {
    it(name, () => {
      for (const [k, rule] of RULES.entries()) runParity(`${k}-${name}`, sizes, sharing, 150, rule);
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
    expect(t.visits.length).toBe(t.q.length);
    expect(t.tableBytes).toBe((2 * 15 * 720 * 7 * 4 + 15 * 720 * 4) * 8);
    expect(Array.from(t.pendingAction).every((a) => a === -1)).toBe(true);
    // With site roles: a belief row per (state, role); every action's role 0 until the host sets them.
    const roles = k.createTables({ agents: 750, tables: 15, states: 720, actions: 7, buckets: 5, roles: 3 });
    expect(roles.belief.length).toBe(15 * 720 * 3 * 5);
    expect(roles.tableBytes).toBe((2 * 15 * 720 * 7 * 5 + 15 * 720 * 3 * 5) * 8);
    expect(Array.from(roles.roleOf)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const il = k.createTables({ agents: 2, tables: 1, states: 3, actions: 4, buckets: 0 });
    expect(il.roleOf.length).toBe(0);
    expect(il.q.length).toBe(12);
    expect(il.belief.length).toBe(0);
    expect(il.tableBytes).toBe(2 * 96);
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

  const constant = (alpha: number, gamma: number): LearnRule => ({ gamma, stepSize: "constant", alpha, alphaMin: 0 });

  it("IL learn, gamma > 0: a decision waits for the agent's next decision, bootstraps on it over its mask, or ends terminal", () => {
    const t = k.createTables({ agents: 3, tables: 2, states: 2, actions: 4, buckets: 0 });
    const rule = constant(0.1, 0.5);
    // Table 1, state 1 holds the next decision's values; 10 at action 1 will be masked out.
    t.q.set([3, 10, 4, -1], 12);
    t.tableOf.set([0, 0, 1]);
    t.state.set([0, 0, 0]);
    t.active.set([1, 1, 1]);
    t.action.set([2, 2, 0]);
    t.reward.set([2, 1, 5]);
    k.ilLearn(t, rule, false);
    // Nothing learned yet: the three decisions are pending.
    expect(Array.from(t.q.subarray(0, 12)).every((v) => v === 0)).toBe(true);
    expect(Array.from(t.pendingAction)).toEqual([2, 2, 0]);
    expect(Array.from(t.pendingTable)).toEqual([0, 0, 1]);
    // Next step: agent 0 acts again in table 1, state 1 (its cell changed); agent 1 has no task; agent 2 acts with nothing allowed.
    t.tableOf.set([1, 0, 1]);
    t.state.set([1, 0, 1]);
    t.active.set([1, 0, 1]);
    t.mask.set([0b1101, 0b1111, 0]);
    t.action.set([3, 2, 0]);
    t.reward.set([-2, 9, 7]);
    k.ilLearn(t, rule, false);
    // Agent 0: target = 2 + 0.5 * max(3, 4, -1) = 4 into table 0, state 0, action 2: q = 0.1 * 4 = 0.4.
    expect(t.q[2]).toBeCloseTo(0.4, 14);
    // Agent 2: no allowed next action counts 0, target = 5 into table 1, state 0, action 0: q = 0.5.
    expect(t.q[8]).toBeCloseTo(0.5, 14);
    // Agent 1 stays pending with its first decision; 0 and 2 now wait with their second.
    expect(Array.from(t.pendingAction)).toEqual([3, 2, 0]);
    expect(Array.from(t.pendingReward)).toEqual([-2, 1, 7]);
    expect(Array.from(t.visits.subarray(0, 12))).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    // Episode end: every pending decision learns its reward alone.
    k.ilLearn(t, rule, true);
    expect(t.q[15]).toBeCloseTo(-1.1, 14); // agent 0: table 1, state 1, action 3: -1 + 0.1 (-2 - -1)
    expect(t.q[2]).toBeCloseTo(0.46, 14); // agent 1: table 0, state 0, action 2: 0.4 + 0.1 (1 - 0.4)
    expect(t.q[12]).toBeCloseTo(3.4, 14); // agent 2: table 1, state 1, action 0: 3 + 0.1 (7 - 3)
    expect(Array.from(t.pendingAction)).toEqual([-1, -1, -1]);
    // A second final call finds nothing pending.
    const q = Array.from(t.q);
    k.ilLearn(t, rule, true);
    expect(Array.from(t.q)).toEqual(q);
  });

  it("IL learn, gamma = 0: each decision learns its reward at once; inactive agents learn nothing", () => {
    const t = k.createTables({ agents: 3, tables: 1, states: 2, actions: 2, buckets: 0 });
    t.q.set([1, 0, 0, 0]);
    t.state.set([0, 0, 1]);
    t.active.set([1, 1, 0]);
    t.action.set([0, 0, 1]);
    t.reward.set([4, 1, 9]);
    k.ilLearn(t, constant(0.5, 0), false);
    // Agents 0 and 1 share the entry, in index order: 1 + 0.5 (4 - 1) = 2.5, then 2.5 + 0.5 (1 - 2.5) = 1.75.
    expect(t.q[0]).toBe(1.75);
    expect(Array.from(t.q.subarray(1))).toEqual([0, 0, 0]);
    expect(Array.from(t.visits)).toEqual([2, 0, 0, 0]);
    expect(Array.from(t.pendingAction)).toEqual([-1, -1, -1]);
  });

  it("IL learn, step size 1/n floored at alphaMin: a sample mean, then an average of the recent rewards", () => {
    const t = k.createTables({ agents: 1, tables: 1, states: 1, actions: 1, buckets: 0 });
    t.active.fill(1);
    const rule: LearnRule = { gamma: 0, stepSize: "visits", alpha: 0.9, alphaMin: 0.25 };
    const rewards = [8, 2, 5, -3, 7, 7, 1];
    const want: number[] = [];
    let v = 0;
    rewards.forEach((r, n) => {
      const step = Math.max(1 / (n + 1), 0.25);
      v += step * (r - v);
      want.push(v);
      t.reward[0] = r;
      k.ilLearn(t, rule, false);
      expect(t.q[0]).toBe(v);
      expect(t.visits[0]).toBe(n + 1);
    });
    // The first four updates are the running mean (1, 1/2, 1/3, 1/4): 8, 5, 5, 3; then steps of 0.25.
    expect(want.slice(0, 4)).toEqual([8, 5, 5, 3]);
    expect(want[4]).toBe(3 + 0.25 * (7 - 3));
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

  it("JAL learn by hand: EV target from counts, uniform for an unvisited state, then the count", () => {
    const t = k.createTables({ agents: 3, tables: 2, states: 2, actions: 2, buckets: 2 });
    const rule = constant(0.5, 0.9);
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
    k.jalLearn(t, rule, false);
    expect(Array.from(t.pendingBucket)).toEqual([0, 0, 1]);
    // Next step: agents 0 and 1 decide in state 1 of their tables; agent 2 has no task.
    t.state.set([1, 1, 0]);
    t.active.set([1, 1, 0]);
    t.mask.fill(0b11);
    t.action.fill(0);
    t.bucket.fill(0);
    t.reward.fill(0);
    k.jalLearn(t, rule, false);
    // Agent 0: target = 1 + 0.9 * 1.5 = 2.35; q = 0.5 + 0.5 * (2.35 - 0.5) = 1.425; count (s=0, b=0) = 1.
    expect(t.q[2]).toBeCloseTo(1.425, 14);
    expect(Array.from(t.belief.subarray(0, 4))).toEqual([1, 0, 1, 3]);
    // Agent 1: target = 1 + 0.9 * 2 = 2.8; q = 0.5 + 0.5 * 2.3 = 1.65.
    expect(t.q[10]).toBeCloseTo(1.65, 14);
    expect(Array.from(t.belief.subarray(4, 8))).toEqual([1, 0, 0, 0]);
    // Episode end. Agent 2, terminal: q[1, 0, 0, 1] = 0 + 0.5 * 3 = 1.5. Agents 0 and 1: q[t, 1, 0, 0] = 4 + 0.5 (0 - 4) = 2.
    k.jalLearn(t, rule, true);
    expect(t.q[9]).toBe(1.5);
    expect([t.q[4], t.q[12]]).toEqual([2, 2]);
    expect(Array.from(t.belief)).toEqual([1, 0, 2, 3, 1, 1, 1, 0]);
    expect(Array.from(t.visits.subarray(0, 16))).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0]);
  });

  it("JAL learn: the target uses the beliefs before this agent's count, after earlier agents' counts", () => {
    const t = k.createTables({ agents: 2, tables: 1, states: 1, actions: 2, buckets: 2 });
    const rule = constant(0.5, 0.9);
    t.active.fill(1);
    t.mask.fill(0b11);
    t.action.set([0, 1]);
    t.bucket.set([0, 1]);
    t.reward.set([2, 1]);
    k.jalLearn(t, rule, false);
    t.action.fill(0);
    t.bucket.fill(0);
    t.reward.fill(0);
    k.jalLearn(t, rule, false);
    // Agent 0: all zero, target = 2; q[0,0,0] = 1; counts [1, 0].
    // Agent 1: P = [1, 0] (agent 0's count, not its own), EV = [1, 0]; target = 1 + 0.9 = 1.9; q[0,1,1] = 0.95.
    expect(t.q[0]).toBe(1);
    expect(t.q[3]).toBeCloseTo(0.95, 14);
    expect(t.q[1] + t.q[2]).toBe(0);
    expect(Array.from(t.belief)).toEqual([1, 1]);
    t.mask.fill(0); // no allowed next action: target = reward
    t.active.set([1, 0]);
    k.jalLearn(t, rule, false);
    expect(t.q[0]).toBe(0.5);
    expect(t.q[3]).toBeCloseTo(0.95, 14);
    expect(Array.from(t.belief)).toEqual([2, 1]);
    expect(Array.from(t.pendingAction)).toEqual([0, 0]);
  });

  it("rejects indices the WASM kernels would trust, the wrong kind of tables and a bad rule", () => {
    const jal = k.createTables({ agents: 2, tables: 2, states: 3, actions: 2, buckets: 2 });
    const il = k.createTables({ agents: 2, tables: 2, states: 3, actions: 2, buckets: 0 });
    const rule = constant(0.1, 0.9);
    expect(() => k.ilSelect(jal, 0)).toThrow(TypeError);
    expect(() => k.jalLearn(il, rule, false)).toThrow(TypeError);
    jal.active.fill(1);
    jal.state[1] = 3;
    expect(() => k.jalSelect(jal, 0)).toThrow(RangeError);
    jal.state[1] = 0;
    jal.tableOf[0] = 2;
    expect(() => k.jalSelect(jal, 0)).toThrow(RangeError);
    jal.tableOf[0] = 0;
    k.jalSelect(jal, 0);
    jal.bucket[0] = 2;
    expect(() => k.jalLearn(jal, rule, false)).toThrow(/jalLearn: agent 0: table 0, state 0, action \d, bucket 2 out of range/);
    jal.bucket[0] = 0;
    jal.action[1] = 2;
    expect(() => k.jalLearn(jal, rule, false)).toThrow(RangeError);
    jal.action[1] = -1; // an acting agent needs an action
    expect(() => k.jalLearn(jal, rule, false)).toThrow(RangeError);
    jal.active[1] = 0; // an inactive agent's fields are not read
    k.jalLearn(jal, rule, false);
    expect(jal.pendingAction[0]).toBeGreaterThanOrEqual(0);
    // A pending decision is checked too, at the episode's end as well.
    jal.pendingState[0] = 5;
    expect(() => k.jalLearn(jal, rule, true)).toThrow(/agent 0: pending decision \(table 0, state 5/);
    jal.pendingState[0] = 0;
    il.active.fill(1);
    il.pendingAction[1] = 0;
    il.pendingTable[1] = -1;
    expect(() => k.ilLearn(il, rule, true)).toThrow(RangeError);
    il.pendingAction[1] = -1; // no pending decision: its other fields are not read
    k.ilLearn(il, rule, true);
    expect(() => k.ilLearn(il, { ...rule, gamma: 1.5 }, false)).toThrow(/ilLearn: gamma: expected a number in \[0, 1\], got 1.5/);
    expect(() => k.ilLearn(il, { ...rule, alpha: 0 }, false)).toThrow(/alpha: expected a number in \(0, 1\]/);
    expect(() => k.ilLearn(il, { ...rule, alphaMin: Number.NaN }, false)).toThrow(/alphaMin/);
    expect(() => k.ilLearn(il, { ...rule, stepSize: "often" as never }, false)).toThrow(/stepSize/);
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
 * plainly: agent i keeps Q_i(s, a_i, a_j), visit counts N_i(s, a_i, a_j) and counts
 * C_i(s, a_j) of the other's action.
 */
class TwoAgentJal {
  readonly Q: number[][][][];
  readonly N: number[][][][];
  readonly C: number[][][];
  constructor(readonly states: number, private readonly rule: LearnRule) {
    this.Q = [0, 1].map(() => Array.from({ length: states }, () => [[0, 0], [0, 0]]));
    this.N = [0, 1].map(() => Array.from({ length: states }, () => [[0, 0], [0, 0]]));
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

  /** Agent i's decision (s, ai, aj, reward) learns, bootstrapping on state `next` (-1: terminal). */
  update(i: number, s: number, ai: number, aj: number, reward: number, next: number): void {
    const { gamma, alpha, alphaMin, stepSize } = this.rule;
    const target = reward + (next >= 0 ? gamma * Math.max(this.ev(i, next, 0), this.ev(i, next, 1)) : 0);
    const n = ++this.N[i][s][ai][aj];
    this.Q[i][s][ai][aj] += (stepSize === "visits" ? Math.max(1 / n, alphaMin) : alpha) * (target - this.Q[i][s][ai][aj]);
    this.C[i][s][aj] += 1;
  }
}

describe.each(BOTH.map((k) => [k.backend, k] as const))("2-agent JAL with B = 2 (%s)", (_, k) => {
  const rules: [string, LearnRule][] = [
    ["gamma 0.9, constant step", { gamma: 0.9, stepSize: "constant", alpha: 0.3, alphaMin: 0 }],
    ["gamma 0.9, 1/n step", { gamma: 0.9, stepSize: "visits", alpha: 0.3, alphaMin: 0.05 }],
    ["gamma 0, 1/n step", { gamma: 0, stepSize: "visits", alpha: 0.3, alphaMin: 0.02 }],
  ];
  it.each(rules)("equals a literal joint-action learner when the bucket is 'the other agent offloads' (%s)", (_name, rule) => {
    const S = 4;
    const r = seedrandom.alea(`literal-${k.backend}`);
    const t = k.createTables({ agents: 2, tables: 2, states: S, actions: 2, buckets: 2 });
    const ref = new TwoAgentJal(S, rule);
    t.tableOf.set([0, 1]);
    t.active.fill(1);
    t.mask.fill(0b11);
    // Offloading pays off unless both offload (congestion); payoffs per state, plus noise.
    const gain = Array.from({ length: S }, () => 1 + r() * 2);
    // Each agent's decision awaiting its next one: [state, own action, other's action, reward].
    const pending: ([number, number, number, number] | null)[] = [null, null];
    let s = 0, ends = 0;
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
      for (const i of [0, 1]) {
        const mine = a[i], other = a[1 - i];
        t.reward[i] = (mine === 1 ? (other === 1 ? -1 : gain[s]) : 0.5) + (r() - 0.5) * 0.2;
        t.bucket[i] = other === 1 ? 1 : 0;
      }
      k.jalLearn(t, rule, false);
      for (const i of [0, 1]) {
        const p = pending[i];
        if (p) ref.update(i, ...p, s);
        const mine: [number, number, number, number] = [s, a[i], a[1 - i], t.reward[i]];
        if (rule.gamma === 0) ref.update(i, ...mine, -1);
        pending[i] = rule.gamma === 0 ? null : mine;
      }
      if (r() < 0.05) {
        ends++;
        k.jalLearn(t, rule, true);
        for (const i of [0, 1]) {
          const p = pending[i];
          if (p) ref.update(i, ...p, -1);
          pending[i] = null;
        }
      }
      s = Math.floor(r() * S);
    }
    for (let i = 0; i < 2; i++) {
      for (let st = 0; st < S; st++) {
        for (let ai = 0; ai < 2; ai++) {
          for (let aj = 0; aj < 2; aj++) {
            expect(t.q[((i * S + st) * 2 + ai) * 2 + aj]).toBe(ref.Q[i][st][ai][aj]);
            expect(t.visits[((i * S + st) * 2 + ai) * 2 + aj]).toBe(ref.N[i][st][ai][aj]);
          }
        }
        expect(Array.from(t.belief.subarray((i * S + st) * 2, (i * S + st) * 2 + 2))).toEqual(ref.C[i][st]);
      }
    }
    // The learners did learn something state-dependent, over several episodes.
    expect(ends).toBeGreaterThan(50);
    expect(ref.C[0].reduce((n, c) => n + c[0] + c[1], 0)).toBeGreaterThan(2900);
  });
});

/**
 * Independent Q-learning with each decision's transition ending at the agent's next decision,
 * written plainly: Q and N per table as nested arrays, one pending decision object per agent.
 */
class PlainDeferredIl {
  readonly Q: number[][][];
  readonly N: number[][][];
  private readonly pending: ({ table: number; s: number; a: number; r: number } | null)[];
  constructor(tables: number, states: number, actions: number, agents: number, private readonly rule: LearnRule) {
    this.Q = Array.from({ length: tables }, () => Array.from({ length: states }, () => new Array<number>(actions).fill(0)));
    this.N = Array.from({ length: tables }, () => Array.from({ length: states }, () => new Array<number>(actions).fill(0)));
    this.pending = new Array(agents).fill(null);
  }

  private learn(table: number, s: number, a: number, target: number): void {
    const n = ++this.N[table][s][a];
    const step = this.rule.stepSize === "visits" ? Math.max(1 / n, this.rule.alphaMin) : this.rule.alpha;
    this.Q[table][s][a] += step * (target - this.Q[table][s][a]);
  }

  /** Agent i decided `a` in (table, s), allowed = its allowed actions, and got `r`. */
  decide(i: number, table: number, s: number, allowed: number[], a: number, r: number): void {
    const p = this.pending[i];
    if (p) this.learn(p.table, p.s, p.a, p.r + this.rule.gamma * (allowed.length ? Math.max(...allowed.map((b) => this.Q[table][s][b])) : 0));
    if (this.rule.gamma === 0) {
      this.learn(table, s, a, r);
      this.pending[i] = null;
    } else {
      this.pending[i] = { table, s, a, r };
    }
  }

  endEpisode(): void {
    this.pending.forEach((p, i) => {
      if (p) this.learn(p.table, p.s, p.a, p.r);
      this.pending[i] = null;
    });
  }
}

describe.each(BOTH.map((k) => [k.backend, k] as const))("IL with deferred transitions (%s)", (_, k) => {
  it.each(RULES.map((rule) => [`gamma ${rule.gamma}, ${rule.stepSize}`, rule] as const))("equals a plain learner: agents idle between decisions, change tables, episodes end (%s)", (_name, rule) => {
    const M = 6, T = 2, S = 3, A = 3;
    const r = seedrandom.alea(`deferred-${k.backend}-${_name}`);
    const t = k.createTables({ agents: M, tables: T, states: S, actions: A, buckets: 0 });
    const ref = new PlainDeferredIl(T, S, A, M, rule);
    let idleGaps = 0;
    const lastActive = new Array<number>(M).fill(-1);
    for (let step = 0; step < 2000; step++) {
      for (let i = 0; i < M; i++) {
        t.active[i] = r() < 0.3 ? 1 : 0;
        t.tableOf[i] = Math.floor(r() * T);
        t.state[i] = Math.floor(r() * S);
        t.mask[i] = 1 | (r() < 0.7 ? 2 : 0) | (r() < 0.7 ? 4 : 0);
        t.uniforms[2 * i] = r();
        t.uniforms[2 * i + 1] = r();
      }
      k.ilSelect(t, 0.3);
      for (let i = 0; i < M; i++) {
        if (!t.active[i]) continue;
        // Action 1 pays best in table 0, action 2 in table 1; noisy.
        t.reward[i] = (t.action[i] === t.tableOf[i] + 1 ? 1 : 0) - t.state[i] * 0.2 + (r() - 0.5);
        if (lastActive[i] >= 0 && step - lastActive[i] > 1) idleGaps++;
        lastActive[i] = step;
      }
      k.ilLearn(t, rule, false);
      for (let i = 0; i < M; i++) {
        if (!t.active[i]) continue;
        const allowed = [0, 1, 2].filter((b) => (t.mask[i] >> b) & 1);
        ref.decide(i, t.tableOf[i], t.state[i], allowed, t.action[i], t.reward[i]);
      }
      if (step % 97 === 96) {
        k.ilLearn(t, rule, true);
        ref.endEpisode();
      }
    }
    k.ilLearn(t, rule, true);
    ref.endEpisode();
    expect(Array.from(t.q)).toEqual(ref.Q.flat(2));
    expect(Array.from(t.visits)).toEqual(ref.N.flat(2));
    expect(idleGaps).toBeGreaterThan(500);
  });
});
