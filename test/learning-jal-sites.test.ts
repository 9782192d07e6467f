// JAL's joint action as the learner sees it: the load the others put on the site the agent's
// action uploads to. Three agents on two sites, with the rewards kernel computing each agent's
// reward (-T_proc) and bucket from the slot's joint action, against a joint-action learner
// written plainly from the joint action itself (docs/model.md "## Learning").
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { LearnRule, LearningKernels } from "../src/kernels/learning-tables.js";
import { BUCKETS } from "../src/policy/encoding.js";

const BOTH: LearningKernels[] = [createLearningKernels("wasm"), createLearningKernels("js")];

/** Agents 0 and 1 are served by site 0, agent 2 by site 1. Actions: 0 local, 1 upload to the serving site, 2 to the other one. */
const SERVING = [0, 0, 1];
const ROLE_OF = [-1, 0, 1];
const siteOf = (i: number, a: number): number => (a === 1 ? SERVING[i] : a === 2 ? 1 - SERVING[i] : -1);

/**
 * Claus & Boutilier's joint-action learner, with the others' joint action a_-i reduced to
 * what agent i's reward depends on: n = the others uploading to the site a_i uploads to.
 * Q_i(s, a, n), visits N_i(s, a, n), and counts C_i(s, role, n) of n at the site of each role.
 */
class SiteLoadJal {
  readonly Q: number[][][][];
  readonly N: number[][][][];
  readonly C: number[][][][];
  constructor(states: number, private readonly rule: LearnRule) {
    const zeros = (k: number): number[] => new Array<number>(k).fill(0);
    this.Q = [0, 1, 2].map(() => Array.from({ length: states }, () => [0, 1, 2].map(() => zeros(BUCKETS))));
    this.N = [0, 1, 2].map(() => Array.from({ length: states }, () => [0, 1, 2].map(() => zeros(BUCKETS))));
    this.C = [0, 1, 2].map(() => Array.from({ length: states }, () => [0, 1].map(() => zeros(BUCKETS))));
  }

  /** The others uploading to the site agent i's action uploads to, from the joint action (0 for a local action). */
  static load(i: number, joint: number[]): number {
    const j = siteOf(i, joint[i]);
    if (j < 0) return 0;
    return joint.filter((a, k) => k !== i && siteOf(k, a) === j).length;
  }

  ev(i: number, s: number, a: number): number {
    if (a === 0) return this.Q[i][s][0][0];
    const c = this.C[i][s][a - 1];
    const total = c.reduce((x, y) => x + y, 0);
    let ev = 0;
    for (let n = 0; n < BUCKETS; n++) ev += (total === 0 ? 1 / BUCKETS : c[n] / total) * this.Q[i][s][a][n];
    return ev;
  }

  select(i: number, s: number, u0: number, u1: number, epsilon: number): number {
    if (u0 < epsilon) return Math.floor(u1 * 3);
    let best = 0;
    for (const a of [1, 2]) if (this.ev(i, s, a) > this.ev(i, s, best)) best = a;
    return best;
  }

  /** Agent i's decision (s, a, n, reward) learns, bootstrapping on state `next` (-1: terminal). */
  update(i: number, s: number, a: number, n: number, reward: number, next: number): void {
    const { gamma, alpha, alphaMin, stepSize } = this.rule;
    const target = reward + (next >= 0 ? gamma * Math.max(...[0, 1, 2].map((b) => this.ev(i, next, b))) : 0);
    const k = ++this.N[i][s][a][n];
    this.Q[i][s][a][n] += (stepSize === "visits" ? Math.max(1 / k, alphaMin) : alpha) * (target - this.Q[i][s][a][n]);
    if (a > 0) this.C[i][s][a - 1][n] += 1;
  }
}

describe.each(BOTH.map((k) => [k.backend, k] as const))("JAL over the load of the action's site, 3 agents, 2 sites (%s)", (_, k) => {
  const rules: [string, LearnRule][] = [
    ["gamma 0, 1/n step", { gamma: 0, stepSize: "visits", alpha: 0.3, alphaMin: 0.02 }],
    ["gamma 0, constant step", { gamma: 0, stepSize: "constant", alpha: 0.1, alphaMin: 0 }],
    ["gamma 0.9, 1/n step", { gamma: 0.9, stepSize: "visits", alpha: 0.3, alphaMin: 0.05 }],
  ];
  it.each(rules)("equals a literal joint-action learner fed by the rewards kernel (%s)", (_name, rule) => {
    const S = 3, M = 3, n = 2;
    const r = seedrandom.alea(`jal-sites-${k.backend}`);
    const t = k.createTables({ agents: M, tables: M, states: S, actions: 3, buckets: BUCKETS, roles: 2 });
    t.roleOf.set(ROLE_OF);
    t.tableOf.set([0, 1, 2]);
    t.active.fill(1);
    t.mask.fill(0b111);
    const mc = k.machine;
    const at = {
      active: mc.alloc(4 * M), serving: mc.alloc(4 * M), theta: mc.alloc(8 * M), server: mc.alloc(4 * M), tProcS: mc.alloc(8 * M),
      reward: mc.alloc(8 * M), bucket: mc.alloc(4 * M), cellSum: mc.alloc(8 * n), cellCount: mc.alloc(4 * n), offloadsTo: mc.alloc(4 * n),
    };
    mc.heap.i32.set([1, 1, 1], at.active >> 2);
    mc.heap.i32.set(SERVING, at.serving >> 2);
    const ref = new SiteLoadJal(S, rule);
    // Seconds per upload to site j in state s when alone; each other uploader there adds as much again (shared CPU).
    const cost = Array.from({ length: S }, () => [0.3 + 0.5 * r(), 0.3 + 0.5 * r()]);
    const pending: ([number, number, number, number] | null)[] = [null, null, null];
    const seen = new Set<number>();
    let s = 0, ends = 0;
    for (let step = 0; step < 4000; step++) {
      const epsilon = step < 2000 ? 0.3 : 0.05;
      for (let i = 0; i < M; i++) {
        t.state[i] = s;
        t.uniforms[2 * i] = r();
        t.uniforms[2 * i + 1] = r();
      }
      k.jalSelect(t, epsilon);
      const joint = [0, 1, 2].map((i) => ref.select(i, s, t.uniforms[2 * i], t.uniforms[2 * i + 1], epsilon));
      expect(Array.from(t.action)).toEqual(joint);
      // The slot: theta, server and T_proc of each agent from the joint action; the rewards kernel turns them into -T_proc and buckets.
      const loads = joint.map((_a, i) => SiteLoadJal.load(i, joint));
      const h = mc.heap;
      for (let i = 0; i < M; i++) {
        const j = siteOf(i, joint[i]);
        h.f64[(at.theta >> 3) + i] = j < 0 ? 1 : 0;
        h.i32[(at.server >> 2) + i] = j < 0 ? SERVING[i] : j;
        h.f64[(at.tProcS >> 3) + i] = (j < 0 ? 1 : cost[s][j] * (1 + loads[i])) + 0.05 * r();
      }
      mc.fns.rewards(M, n, 0, 1, at.active, at.serving, at.theta, at.server, at.tProcS, at.reward, at.bucket, at.cellSum, at.cellCount, at.offloadsTo);
      t.reward.set(h.f64.subarray(at.reward >> 3, (at.reward >> 3) + M));
      t.bucket.set(h.i32.subarray(at.bucket >> 2, (at.bucket >> 2) + M));
      for (let i = 0; i < M; i++) {
        // The kernel's bucket is the literal load (0, 1 or 2 others map to buckets 0, 1, 2).
        expect(t.bucket[i]).toBe(loads[i]);
        expect(t.reward[i]).toBe(-h.f64[(at.tProcS >> 3) + i]);
        if (joint[i] > 0) seen.add(loads[i]);
      }
      k.jalLearn(t, rule, false);
      for (let i = 0; i < M; i++) {
        const p = pending[i];
        if (p) ref.update(i, ...p, s);
        const mine: [number, number, number, number] = [s, joint[i], joint[i] === 0 ? 0 : loads[i], t.reward[i]];
        if (rule.gamma === 0) ref.update(i, ...mine, -1);
        pending[i] = rule.gamma === 0 ? null : mine;
      }
      if (r() < 0.05) {
        ends++;
        k.jalLearn(t, rule, true);
        for (let i = 0; i < M; i++) {
          const p = pending[i];
          if (p) ref.update(i, ...p, -1);
          pending[i] = null;
        }
      }
      s = Math.floor(r() * S);
    }
    const B = BUCKETS;
    for (let i = 0; i < M; i++) {
      for (let st = 0; st < S; st++) {
        for (let a = 0; a < 3; a++) {
          for (let b = 0; b < B; b++) {
            expect(t.q[((i * S + st) * 3 + a) * B + b]).toBe(ref.Q[i][st][a][b]);
            expect(t.visits[((i * S + st) * 3 + a) * B + b]).toBe(ref.N[i][st][a][b]);
          }
        }
        for (let role = 0; role < 2; role++) {
          const row = ((i * S + st) * 2 + role) * B;
          expect(Array.from(t.belief.subarray(row, row + B))).toEqual(ref.C[i][st][role]);
        }
      }
    }
    // Every load the two sites can carry occurred, over many episodes, and the values depend on it:
    // an upload alone beats the same upload beside another uploader.
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(ends).toBeGreaterThan(100);
    const q = ref.Q[0];
    const split = q.some((row) => row[1][0] > row[1][1] && row[1][1] !== 0);
    expect(split).toBe(true);
  });
});

describe.each(BOTH.map((k) => [k.backend, k] as const))("JAL site roles by hand (%s)", (_, k) => {
  it("EV reads each action's own role's beliefs; a role -1 action is q[s, a, 0] and counts nothing", () => {
    const t = k.createTables({ agents: 1, tables: 1, states: 1, actions: 3, buckets: 2, roles: 2 });
    t.roleOf.set([-1, 0, 1]);
    t.active[0] = 1;
    t.mask[0] = 0b111;
    // q[a][b]: local 0.25 (b = 1 ignored); role 0: 3 alone, -1 crowded; role 1: 0 alone, 2 crowded.
    t.q.set([0.25, 9, 3, -1, 0, 2]);
    // Role 0's site was crowded 3 times in 4, role 1's empty 3 times in 4: EV = 0.25, 1/4 * 3 - 3/4 = 0, 3/4 * 0 + 1/4 * 2 = 0.5.
    t.belief.set([1, 3, 3, 1]);
    k.jalSelect(t, 0);
    expect(t.action[0]).toBe(2);
    // Flip role 0's beliefs: EV(1) = 3/4 * 3 - 1/4 = 2 beats 0.25 and 0.5.
    t.belief.set([3, 1, 3, 1]);
    k.jalSelect(t, 0);
    expect(t.action[0]).toBe(1);
    // Learning a local decision with bucket 1: q[0][0] moves, q[0][1] and the beliefs do not.
    t.action[0] = 0;
    t.reward[0] = 5;
    t.bucket[0] = 1;
    k.jalLearn(t, { gamma: 0, stepSize: "constant", alpha: 0.5, alphaMin: 0 }, false);
    expect(Array.from(t.q.subarray(0, 2))).toEqual([2.625, 9]);
    expect(Array.from(t.belief)).toEqual([3, 1, 3, 1]);
    // An upload of role 1 with bucket 0 counts under role 1 only.
    t.action[0] = 2;
    t.bucket[0] = 0;
    k.jalLearn(t, { gamma: 0, stepSize: "constant", alpha: 0.5, alphaMin: 0 }, false);
    expect(t.q[4]).toBe(2.5);
    expect(Array.from(t.belief)).toEqual([3, 1, 4, 1]);
  });

  it("refuses a role out of range, naming the action", () => {
    const t = k.createTables({ agents: 1, tables: 1, states: 1, actions: 3, buckets: 2, roles: 2 });
    t.roleOf.set([-1, 0, 2]);
    expect(() => k.jalSelect(t, 0)).toThrow(/jalSelect: roleOf\[2\]: expected an integer in -1\.\.1, got 2/);
    t.roleOf[2] = -2;
    expect(() => k.jalLearn(t, { gamma: 0, stepSize: "constant", alpha: 0.5, alphaMin: 0 }, false)).toThrow(/jalLearn: roleOf\[2\]/);
    expect(() => k.createTables({ agents: 1, tables: 1, states: 1, actions: 3, buckets: 0, roles: 2 })).toThrow(/roles: expected 0 \(IL\)/);
    expect(() => k.createTables({ agents: 1, tables: 1, states: 1, actions: 3, buckets: 2, roles: 0 })).toThrow(/roles: expected a positive integer/);
  });
});
