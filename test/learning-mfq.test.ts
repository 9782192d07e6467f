// Mean-field Q-learning (mfq, Yang et al. 2018): Q(s, a, mean) with the cell-mates' mean
// offloaded fraction, a Boltzmann policy on the previous slot's mean and a Boltzmann-value
// bootstrap. The kernels (assembly/mean-field.ts folding the mean into the state, and
// assembly/learning.ts mfqSelect / mfqLearn) against a learner written plainly on 3 agents,
// and WASM against JS on random tables (docs/model.md "## Learning").
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { LearnRule, LearningKernels } from "../src/kernels/learning-tables.js";
import { MEAN_BINS } from "../src/policy/encoding.js";

const wasm = createLearningKernels("wasm");
const js = createLearningKernels("js");
const BOTH: LearningKernels[] = [wasm, js];

/** Close to 1e-12 relative: exp in WASM (AssemblyScript's) and in V8 may differ in the last bit. */
function expectClose(a: number, b: number, what: string): void {
  if (Object.is(a, b)) return;
  const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  if (!(rel < 1e-12)) throw new Error(`${what}: ${a} vs ${b} (relative ${rel})`);
}

const THETA = [1, 0.5, 0];
const bin = (x: number): number => Math.min(MEAN_BINS - 1, Math.floor(x * MEAN_BINS));

/**
 * MF-Q written plainly for agents of one cell sharing one table: Q[s][mean bin][a], visits N,
 * pi(a | s, mean) ~ exp(beta Q) over all actions, v(s') = sum_a pi(a) Q(s', a).
 */
class PlainMfq {
  readonly Q: number[][][];
  readonly N: number[][][];
  /** The cell's mean offloaded fraction over its acting agents, in the last slot that had any. */
  cellMean = 0;
  private pending: ({ s: number; k: number; a: number; r: number } | null)[];
  constructor(states: number, agents: number, private readonly beta: number, private readonly rule: LearnRule) {
    const grid = (): number[][][] => Array.from({ length: states }, () => Array.from({ length: MEAN_BINS }, () => [0, 0, 0]));
    this.Q = grid();
    this.N = grid();
    this.pending = new Array(agents).fill(null);
  }

  /** Boltzmann weights, in action order, shifted by the row's max (the kernels' arithmetic, so draws agree to the bit). */
  private weights(row: number[]): number[] {
    const mx = Math.max(...row);
    return row.map((q) => Math.exp(this.beta * (q - mx)));
  }

  select(s: number, u: number): number {
    const w = this.weights(this.Q[s][bin(this.cellMean)]);
    let total = 0;
    for (const x of w) total += x;
    let run = 0;
    for (let a = 0; a < 3; a++) {
      run += w[a];
      if (run > u * total) return a;
    }
    return 2;
  }

  value(s: number, k: number): number {
    const row = this.Q[s][k], w = this.weights(row);
    let total = 0;
    for (const x of w) total += x;
    let v = 0;
    for (let a = 0; a < 3; a++) v += (w[a] / total) * row[a];
    return v;
  }

  private learn(s: number, k: number, a: number, target: number): void {
    const n = ++this.N[s][k][a];
    const step = this.rule.stepSize === "visits" ? Math.max(1 / n, this.rule.alphaMin) : this.rule.alpha;
    this.Q[s][k][a] += step * (target - this.Q[s][k][a]);
  }

  /** The slot's acting agents (index order) with their states, actions and rewards learn; the cell's mean moves on. */
  slot(acting: { i: number; s: number; a: number; r: number }[]): void {
    for (const d of acting) {
      const others = acting.filter((o) => o.i !== d.i);
      const mean = others.length ? others.reduce((x, o) => x + (1 - THETA[o.a]), 0) / others.length : 0;
      const k = bin(mean);
      const p = this.pending[d.i];
      if (p) this.learn(p.s, p.k, p.a, p.r + this.rule.gamma * this.value(d.s, k));
      if (this.rule.gamma === 0) {
        this.learn(d.s, k, d.a, d.r);
        this.pending[d.i] = null;
      } else {
        this.pending[d.i] = { s: d.s, k, a: d.a, r: d.r };
      }
    }
    if (acting.length) this.cellMean = acting.reduce((x, o) => x + (1 - THETA[o.a]), 0) / acting.length;
  }

  endEpisode(): void {
    this.pending.forEach((p, i) => {
      if (p) this.learn(p.s, p.k, p.a, p.r);
      this.pending[i] = null;
    });
    this.cellMean = 0;
  }
}

describe.each(BOTH.map((k) => [k.backend, k] as const))("mfq on 3 cell-mates (%s)", (_, k) => {
  const rules: [string, LearnRule][] = [
    ["gamma 0, 1/n step", { gamma: 0, stepSize: "visits", alpha: 0.3, alphaMin: 0.02 }],
    ["gamma 0.9, constant step", { gamma: 0.9, stepSize: "constant", alpha: 0.1, alphaMin: 0 }],
  ];
  it.each(rules)("equals a literal mean-field Q-learner (%s)", (_name, rule) => {
    const S = 2, M = 3, beta = 4;
    const r = seedrandom.alea(`mfq-${k.backend}`);
    const t = k.createTables({ agents: M, tables: 1, states: S * MEAN_BINS, actions: 3, buckets: 0 });
    t.tableOf.fill(0);
    t.mask.fill(0b111);
    const mc = k.machine;
    const at = { serving: mc.alloc(4 * M), enc: mc.alloc(4 * M), active: mc.alloc(4 * M), theta: mc.alloc(8 * M), sum: mc.alloc(8), count: mc.alloc(4), mean: mc.alloc(8) };
    mc.heap.i32.fill(0, at.serving >> 2, (at.serving >> 2) + M);
    mc.heap.f64[at.mean >> 3] = 0;
    const ref = new PlainMfq(S, M, beta, rule);
    // Offloading pays while few cell-mates offload with it (their load shares the site).
    const cost = [0.4, 0.7];
    const seenBins = new Set<number>();
    let ends = 0;
    for (let step = 0; step < 3000; step++) {
      const h = mc.heap;
      for (let i = 0; i < M; i++) {
        h.i32[(at.enc >> 2) + i] = Math.floor(r() * S);
        t.active[i] = r() < 0.8 ? 1 : 0;
        t.uniforms[2 * i] = r();
        t.uniforms[2 * i + 1] = r();
      }
      h.i32.set(t.active, at.active >> 2);
      mc.fns.mfqSelectStates(M, MEAN_BINS, at.serving, at.enc, at.mean, t.state.byteOffset);
      k.mfqSelect(t, beta, false);
      const acting: { i: number; s: number; a: number; r: number }[] = [];
      let offloaded = 0;
      for (let i = 0; i < M; i++) if (t.active[i]) offloaded += 1 - THETA[t.action[i]];
      for (let i = 0; i < M; i++) {
        if (!t.active[i]) {
          expect(t.action[i]).toBe(-1);
          continue;
        }
        const s = h.i32[(at.enc >> 2) + i];
        const a = ref.select(s, t.uniforms[2 * i]);
        expect(t.action[i], `step ${step} agent ${i}`).toBe(a);
        const f = 1 - THETA[a];
        const reward = -((1 - f) + f * cost[s] * (1 + 2 * (offloaded - f))) - 0.05 * r();
        t.reward[i] = reward;
        h.f64[(at.theta >> 3) + i] = THETA[a];
        acting.push({ i, s, a, r: reward });
      }
      mc.fns.mfqLearnStates(M, 1, MEAN_BINS, at.active, at.serving, at.theta, at.enc, at.sum, at.count, at.mean, t.state.byteOffset);
      for (const d of acting) seenBins.add(t.state[d.i] % MEAN_BINS);
      k.mfqLearn(t, rule, beta, false);
      ref.slot(acting);
      expect(h.f64[at.mean >> 3]).toBe(ref.cellMean);
      if (r() < 0.05) {
        ends++;
        k.mfqLearn(t, rule, beta, true);
        h.f64[at.mean >> 3] = 0;
        ref.endEpisode();
      }
    }
    for (let s = 0; s < S; s++) {
      for (let kb = 0; kb < MEAN_BINS; kb++) {
        for (let a = 0; a < 3; a++) {
          const e = ((s * MEAN_BINS + kb) * 3) + a;
          expectClose(t.q[e], ref.Q[s][kb][a], `q[${s}][${kb}][${a}]`);
          expect(t.visits[e]).toBe(ref.N[s][kb][a]);
        }
      }
    }
    // Every mean the two cell-mates can take (0, 1/4, ... 1: bins 0-4) occurred, over many episodes,
    // and the values depend on it: full offload beside two full offloaders is worse than beside none.
    expect([...seenBins].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(ends).toBeGreaterThan(80);
    const compared = [0, 1].filter((s) => ref.N[s][0][2] > 0 && ref.N[s][4][2] > 0);
    expect(compared.length).toBeGreaterThan(0);
    for (const s of compared) expect(ref.Q[s][0][2]).toBeGreaterThan(ref.Q[s][4][2]);
  });
});

describe("mfq kernels: WASM and JS agree", () => {
  it("on random tables, masks, temperatures and rules", () => {
    const r = seedrandom.alea("mfq-parity");
    const sizes = { agents: 60, tables: 4, states: 30, actions: 7, buckets: 0 };
    const W = wasm.createTables(sizes), J = js.createTables(sizes);
    for (let e = 0; e < W.q.length; e++) {
      const v = r() < 0.3 ? Math.floor(r() * 3) : (r() - 0.5) * 4;
      W.q[e] = v;
      J.q[e] = v;
    }
    const rules: LearnRule[] = [
      { gamma: 0, stepSize: "visits", alpha: 0.1, alphaMin: 0.02 },
      { gamma: 0.9, stepSize: "constant", alpha: 0.2, alphaMin: 0 },
    ];
    let drawn = 0;
    for (const rule of rules) {
      for (let step = 0; step < 200; step++) {
        const beta = [0, 1, 20, 1e4][step % 4], greedy = step % 5 === 4;
        for (let i = 0; i < sizes.agents; i++) {
          const tb = Math.floor(r() * sizes.tables), s = Math.floor(r() * sizes.states), act = r() < 0.7 ? 1 : 0;
          const mask = r() < 0.05 ? 0 : Math.floor(r() * 128), u0 = r(), u1 = r(), rew = -r() * 2;
          for (const t of [W, J]) {
            t.tableOf[i] = tb; t.state[i] = s; t.active[i] = act; t.mask[i] = mask;
            t.uniforms[2 * i] = u0; t.uniforms[2 * i + 1] = u1; t.reward[i] = rew;
          }
          if (act && !greedy) drawn++;
        }
        wasm.mfqSelect(W, beta, greedy);
        js.mfqSelect(J, beta, greedy);
        expect(Array.from(W.action), `step ${step} actions`).toEqual(Array.from(J.action));
        const final = r() < 0.1;
        wasm.mfqLearn(W, rule, beta, final);
        js.mfqLearn(J, rule, beta, final);
        expect(Array.from(W.visits)).toEqual(Array.from(J.visits));
        expect(Array.from(W.pendingAction)).toEqual(Array.from(J.pendingAction));
        for (let e = 0; e < W.q.length; e++) expectClose(W.q[e], J.q[e], `step ${step} q[${e}]`);
      }
    }
    expect(drawn).toBeGreaterThan(1000);
  });

  it("fold the same mean-action bins into the states", () => {
    const r = seedrandom.alea("mfq-states");
    const m = 50, n = 6, K = MEAN_BINS;
    const outs = BOTH.map((k) => {
      const mc = k.machine;
      const p = { serving: mc.alloc(4 * m), state: mc.alloc(4 * m), active: mc.alloc(4 * m), theta: mc.alloc(8 * m), sum: mc.alloc(8 * n), count: mc.alloc(4 * n), mean: mc.alloc(8 * n), out: mc.alloc(4 * m) };
      return { k, p };
    });
    for (let round = 0; round < 20; round++) {
      const serving = Array.from({ length: m }, () => Math.floor(r() * n)), state = Array.from({ length: m }, () => Math.floor(r() * 10));
      const active = Array.from({ length: m }, () => (r() < 0.5 ? 1 : 0)), theta = Array.from({ length: m }, () => [1, 0.75, 0.5, 0.25, 0][Math.floor(r() * 5)]);
      const got = outs.map(({ k, p }) => {
        const h = k.machine.heap;
        h.i32.set(serving, p.serving >> 2); h.i32.set(state, p.state >> 2); h.i32.set(active, p.active >> 2); h.f64.set(theta, p.theta >> 3);
        k.machine.fns.mfqSelectStates(m, K, p.serving, p.state, p.mean, p.out);
        const sel = Array.from(h.i32.subarray(p.out >> 2, (p.out >> 2) + m));
        k.machine.fns.mfqLearnStates(m, n, K, p.active, p.serving, p.theta, p.state, p.sum, p.count, p.mean, p.out);
        const learnt = Array.from(h.i32.subarray(p.out >> 2, (p.out >> 2) + m)).filter((_x, i) => active[i]);
        return { sel, learnt, mean: Array.from(h.f64.subarray(p.mean >> 3, (p.mean >> 3) + n)) };
      });
      expect(got[0]).toEqual(got[1]);
      // By hand for one agent: its learn-state bin is its cell-mates' mean offloaded fraction.
      const i = active.indexOf(1);
      const mates = active.map((x, j) => (x && j !== i && serving[j] === serving[i] ? 1 - theta[j] : -1)).filter((x) => x >= 0);
      const mean = mates.length ? mates.reduce((a, b) => a + b, 0) / mates.length : 0;
      expect(got[1].learnt[0]).toBe(state[i] * K + bin(mean));
    }
  });
});
