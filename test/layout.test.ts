import { describe, expect, it } from "vitest";
import { SITE_F64, SITE_I32, SlotLayout, USER_F64, USER_I32 } from "../src/layout.js";
import { createKernels, evaluateSlot } from "../src/kernels/index.js";
import { pathGain } from "../src/model/channel.js";

describe("slot layout", () => {
  it("packs every array 16-byte aligned, without overlap, sites padded to an even count", () => {
    for (const [m, n] of [[1, 1], [7, 3], [1000, 15], [12_345, 101]]) {
      const L = new SlotLayout(m, n, 64).bind(new ArrayBuffer(64 + SlotLayout.byteLength(m, n)));
      expect(L.siteCapacity % 2).toBe(0);
      expect(L.siteCapacity - n).toBeLessThan(2);
      const spans = [...USER_F64, ...USER_I32, ...SITE_F64, ...SITE_I32].map((k) => {
        const a = L[k];
        expect(a.byteOffset % 16).toBe(0);
        expect(a.length).toBe((USER_F64 as readonly string[]).includes(k) || (USER_I32 as readonly string[]).includes(k) ? m : L.siteCapacity);
        return [a.byteOffset, a.byteOffset + a.byteLength] as const;
      }).sort((a, b) => a[0] - b[0]);
      expect(spans[0][0]).toBe(64);
      for (let k = 1; k < spans.length; k++) expect(spans[k][0]).toBeGreaterThanOrEqual(spans[k - 1][1]);
      expect(spans[spans.length - 1][1]).toBeLessThanOrEqual(64 + L.byteLength);
    }
  });

  it("refuses bad capacities and counts beyond them", () => {
    expect(() => new SlotLayout(0, 1)).toThrow(/maxUsers/);
    expect(() => new SlotLayout(5, 1.5)).toThrow(/maxSites/);
    const k = createKernels("wasm");
    const L = k.createLayout(4, 2);
    expect(() => evaluateSlot(k, L, 5, 2, { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null })).toThrow(/users/);
  });

  it("path gain is 10^-3.7 d^-3, the algebra of PL = 127 + 30 log10(d_km), clamped at dMin", () => {
    for (const d of [1, 7.5, 50, 100, 250, 707]) {
      const fromDb = 10 ** (-(127 + 30 * Math.log10(d / 1000)) / 10);
      expect(Math.abs(pathGain(d) / fromDb - 1)).toBeLessThan(1e-12);
    }
    expect(pathGain(0.2)).toBe(pathGain(1));
    expect(pathGain(0.2, 0.1)).toBeGreaterThan(pathGain(1));
  });

  it("evaluates a slot at scale: 50 000 users, 100 sites, equal sums on both backends", () => {
    const m = 50_000, n = 100;
    const sums = (["wasm", "js"] as const).map((b) => {
      const k = createKernels(b);
      const L = k.createLayout(m, n);
      for (let j = 0; j < n; j++) { L.siteX[j] = (j % 10) * 50 + 25; L.siteY[j] = Math.floor(j / 10) * 50 + 25; L.siteCpuHz[j] = 1e10; }
      for (let i = 0; i < m; i++) {
        L.userX[i] = (i * 7919) % 500; L.userY[i] = (i * 104729) % 500; L.powerMw[i] = 100; L.userCpuHz[i] = 5e8;
        L.active[i] = i % 10 === 0 ? 1 : 0; L.bits[i] = 5e5; L.cyclesPerBit[i] = 500; L.deadlineS[i] = 1;
        L.theta[i] = 0.25; L.server[i] = i % n; L.migrateTo[i] = -1; L.beta[i] = 0;
      }
      const cost = evaluateSlot(k, L, m, n, { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null });
      expect(Array.from(L.siteLoad.subarray(0, n)).reduce((a, b) => a + b, 0)).toBe(m / 10);
      return { cost, rx: Array.from(L.siteRxMw.subarray(0, n)) };
    });
    expect(sums[0].rx).toEqual(sums[1].rx);
    expect(Math.abs(sums[0].cost / sums[1].cost - 1)).toBeLessThan(1e-9);
  });
});
