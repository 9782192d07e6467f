// The kernels' generator: xoshiro128** known answers, WASM and TS words bit for bit, draws
// equal, streams seeded by name independent of one another.
import { describe, expect, it } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import { DIST_CENTRED, DIST_CONSTANT, DIST_EXPONENTIAL, DIST_NORMAL, DIST_UNIFORM } from "../src/kernels/rng-js.js";
import { streamState } from "../src/kernels/rng-seed.js";

function seeded(m: Machine, state: ArrayLike<number>): number {
  const s = m.alloc(16);
  m.heap.u32.set(state, s >> 2);
  return s;
}

function words(m: Machine, state: ArrayLike<number>, count: number): number[] {
  const s = seeded(m, state);
  const out = m.alloc(4 * count);
  m.fns.rngWords(s, out, count);
  return Array.from(m.heap.u32.subarray(out >> 2, (out >> 2) + count));
}

function draws(m: Machine, state: ArrayLike<number>, count: number, kind: number, a = 0, b = 0, c = 0, d = 0): Float64Array {
  const s = seeded(m, state);
  const out = m.alloc(8 * count);
  m.fns.rngDraws(s, out, count, kind, a, b, c, d);
  return m.heap.f64.slice(out >> 3, (out >> 3) + count);
}

describe("xoshiro128** in the kernels", () => {
  it("gives the reference algorithm's first words from state 1, 2, 3, 4 on both backends", () => {
    // Worked by hand from Blackman & Vigna's reference: rotl(s1 * 5, 7) * 9, then the state update.
    for (const b of ["wasm", "js"] as const) expect(words(createMachine(b), [1, 2, 3, 4], 3)).toEqual([11520, 0, 5927040]);
  });

  it("WASM and TS produce the same 100 000 words for named streams", () => {
    for (const name of ["mobility", "traffic", "policy"]) {
      const st = streamState(7, name);
      expect(words(createMachine("wasm"), st, 100_000)).toEqual(words(createMachine("js"), st, 100_000));
    }
  });

  it("uniform, Poisson, normal and the scenario distributions agree to 1e-12 and consume the same words", () => {
    const st = streamState("x", "traffic");
    const cases: [number, number, number, number, number][] = [
      [DIST_CONSTANT, 3, 0, 0, 0], [DIST_UNIFORM, 2, 5, 0, 0], [DIST_NORMAL, 10, 2, 0, 1e300],
      [DIST_EXPONENTIAL, 4, 0, 0, 0], [DIST_CENTRED, 8, 0.5, 0, 0], [5, Math.exp(-0.2), 0, 0, 0], [6, 0, 0, 0, 0],
    ];
    for (const [kind, a, b, c, d] of cases) {
      const w = draws(createMachine("wasm"), st, 20_000, kind, a, b, c, d);
      const j = draws(createMachine("js"), st, 20_000, kind, a, b, c, d);
      for (let i = 0; i < w.length; i++) {
        if (!(Math.abs(w[i] - j[i]) <= 1e-12 * Math.max(1, Math.abs(j[i])))) throw new Error(`kind ${kind} draw ${i}: wasm ${w[i]} js ${j[i]}`);
      }
    }
  });

  it("draws have the distributions' moments", () => {
    const m = createMachine("js");
    const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
    const u = draws(m, streamState(1, "u"), 200_000, DIST_UNIFORM, 0, 1);
    expect(u.reduce((a, x) => Math.min(a, x), 1)).toBeGreaterThanOrEqual(0);
    expect(u.reduce((a, x) => Math.max(a, x), 0)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    const p = draws(m, streamState(1, "p"), 200_000, 5, Math.exp(-0.2));
    expect(mean(p)).toBeCloseTo(0.2, 2);
    const n = draws(m, streamState(1, "n"), 200_000, 6);
    expect(mean(n)).toBeCloseTo(0, 2);
    expect(mean(n.map((x) => x * x))).toBeCloseTo(1, 1);
  });

  it("seeds streams by trial seed and name: distinct, stable, never all zero", () => {
    const a = streamState(1, "traffic"), b = streamState(1, "mobility"), c = streamState(2, "traffic");
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(streamState(1, "traffic"))).toEqual(Array.from(a));
    // "1/train1" and "1/train10" share a prefix; their words must still differ from the first.
    const m = createMachine("js");
    expect(words(m, streamState("1/train1", "traffic"), 4)).not.toEqual(words(m, streamState("1/train10", "traffic"), 4));
  });
});
