import { describe, expect, it } from "vitest";
import { USER_F64, USER_I32, type SlotLayout } from "../src/layout.js";
import { createKernels, evaluateSlot, type SlotParams } from "../src/kernels/index.js";
import { fillRandomSlot } from "../bench/fixtures/random-slot.js";

const base: SlotParams = { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null };

function copyInputs(from: SlotLayout, to: SlotLayout, m: number, n: number): void {
  for (const k of USER_F64) to[k].set(from[k].subarray(0, m));
  for (const k of USER_I32) to[k].set(from[k].subarray(0, m));
  for (const k of ["siteX", "siteY", "siteCpuHz"] as const) to[k].set(from[k].subarray(0, n));
}

function relDiff(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

describe("WASM and JS kernels agree", () => {
  const wasm = createKernels("wasm");
  const js = createKernels("js");
  const cases: [number, number, SlotParams][] = [
    [1, 1, base],
    [7, 3, base],
    [750, 15, base],
    [750, 15, { ...base, interference: "orthogonal" }],
    [2000, 100, { ...base, backhaulRateBps: 1e9 }],
    [333, 17, { ...base, dMinM: 5, interference: "orthogonal" }],
  ];
  for (const [m, n, params] of cases) {
    it(`M=${m} N=${n} ${params.interference}${params.backhaulRateBps ? " backhaul" : ""}`, () => {
      for (const seed of ["a", "b", "c"]) {
        const Lw = wasm.createLayout(m, n);
        const Lj = js.createLayout(m, n);
        fillRandomSlot(Lj, m, n, `${seed}-${m}-${n}`);
        copyInputs(Lj, Lw, m, n);
        const cw = evaluateSlot(wasm, Lw, m, n, params);
        const cj = evaluateSlot(js, Lj, m, n, params);
        expect(relDiff(cw, cj)).toBeLessThanOrEqual(1e-9);
        // Same arithmetic in the same order: received sums and signals are bit-identical.
        expect(Array.from(Lw.siteRxMw.subarray(0, n))).toEqual(Array.from(Lj.siteRxMw.subarray(0, n)));
        expect(Array.from(Lw.signalMw.subarray(0, m))).toEqual(Array.from(Lj.signalMw.subarray(0, m)));
        expect(Array.from(Lw.siteLoad.subarray(0, n))).toEqual(Array.from(Lj.siteLoad.subarray(0, n)));
        for (const k of ["sinr", "rateBps", "tLocalS", "tTransS", "tExeS", "tMigS", "tExeTargetS", "tProcS"] as const) {
          for (let i = 0; i < m; i++) {
            if (relDiff(Lw[k][i], Lj[k][i]) > 1e-9) throw new Error(`${k}[${i}]: wasm ${Lw[k][i]} js ${Lj[k][i]}`);
          }
        }
        expect(Array.from(Lw.feasible.subarray(0, m))).toEqual(Array.from(Lj.feasible.subarray(0, m)));
        expect(Array.from(Lw.deadlineMet.subarray(0, m))).toEqual(Array.from(Lj.deadlineMet.subarray(0, m)));
      }
    });
  }

  it("keeps earlier layouts valid after memory growth", () => {
    const k = createKernels("wasm");
    const small = k.createLayout(10, 3);
    fillRandomSlot(small, 10, 3, "grow");
    const before = evaluateSlot(k, small, 10, 3, base);
    const big = k.createLayout(200_000, 64); // forces memory.grow
    expect(big.userX.length).toBe(200_000);
    expect(small.userX.buffer).toBe(big.userX.buffer);
    expect(evaluateSlot(k, small, 10, 3, base)).toBe(before);
  });
});
