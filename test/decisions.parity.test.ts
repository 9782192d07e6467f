// The decision check in the kernels: both backends name the same first invalid user, and
// every kind of invalid decision is caught.
import { describe, expect, it } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";

interface Case { active: number[]; theta: number[]; server: number[]; migrateTo: number[]; beta: number[] }

function check(mc: Machine, n: number, c: Case): number {
  const m = c.active.length;
  const at = { active: mc.alloc(4 * m), theta: mc.alloc(8 * m), server: mc.alloc(4 * m), migrateTo: mc.alloc(4 * m), beta: mc.alloc(8 * m) };
  const h = mc.heap;
  h.i32.set(c.active, at.active >> 2);
  h.f64.set(c.theta, at.theta >> 3);
  h.i32.set(c.server, at.server >> 2);
  h.i32.set(c.migrateTo, at.migrateTo >> 2);
  h.f64.set(c.beta, at.beta >> 3);
  return mc.fns.firstInvalidDecision(m, n, at.active, at.theta, at.server, at.migrateTo, at.beta);
}

const valid: Case = { active: [1, 1, 0, 1], theta: [1, 0.5, 7, 0], server: [0, 2, -9, 1], migrateTo: [-1, -1, 99, 2], beta: [0, 0, -1, 0.4] };
const bad: [string, Partial<Case>][] = [
  ["theta above 1", { theta: [1, 1.5, 7, 0] }],
  ["theta NaN", { theta: [1, NaN, 7, 0] }],
  ["server out of range", { server: [0, 3, -9, 1] }],
  ["negative server", { server: [0, -1, -9, 1] }],
  ["migration to the serving site", { migrateTo: [-1, 2, 99, 2] }],
  ["migration out of range", { migrateTo: [-1, 3, 99, 2] }],
  ["beta without a migration", { beta: [0, 0.1, -1, 0.4] }],
  ["beta above 1 - theta", { theta: [1, 0.5, 7, 0.7] }],
];

describe("firstInvalidDecision", () => {
  for (const backend of ["wasm", "js"] as const) {
    it(`${backend}: accepts valid decisions and ignores idle users`, () => {
      expect(check(createMachine(backend), 3, valid)).toBe(-1);
    });
    it(`${backend}: names the first invalid user for each kind of defect`, () => {
      for (const [what, change] of bad) {
        const c = { ...valid, ...change };
        const expected = what === "beta above 1 - theta" ? 3 : 1;
        expect(check(createMachine(backend), 3, c), what).toBe(expected);
      }
    });
  }
  it("both backends agree on random decisions", () => {
    let seed = 1;
    const r = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 200; k++) {
      const m = 1 + Math.floor(r() * 20);
      const c: Case = { active: [], theta: [], server: [], migrateTo: [], beta: [] };
      for (let i = 0; i < m; i++) {
        c.active.push(r() < 0.7 ? 1 : 0);
        c.theta.push(r() < 0.97 ? Math.round(r() * 4) / 4 : 1.25);
        c.server.push(Math.floor(r() * 4.1));
        c.migrateTo.push(r() < 0.8 ? -1 : Math.floor(r() * 4.1));
        c.beta.push(r() < 0.8 ? 0 : r() * 0.3);
      }
      expect(check(createMachine("wasm"), 4, c)).toBe(check(createMachine("js"), 4, c));
    }
  });
});
