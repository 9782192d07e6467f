// The pure-TS twin of assembly/baselines.ts: the random, nearest and greedy baselines over
// the same byte offsets, the same draws from the same stream (src/kernels/rng-js.ts) and the
// same loops and arithmetic in the same order, so choices agree with the WASM kernels (and
// with src/policy/baselines.ts). See assembly/baselines.ts for what each decides.
import { expectedInterference, expectedRate, rxAt, shannon } from "./encode-js.js";
import type { Heap } from "./heap.js";
import { uniform01 } from "./rng-js.js";

/** Twin of the randomPolicy export. */
export function randomPolicy(
  h: Heap, m: number, n: number, rng: number,
  userX: number, userY: number, powerMw: number, active: number,
  siteX: number, siteY: number, siteRxMw: number, siteOwnMw: number,
  minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  fractions: number, fractionCount: number, feasible: number, theta: number, server: number,
): void {
  const f = h.f64, w = h.i32, fe = feasible >>> 2;
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const th = f[(fractions >>> 3) + Math.floor(uniform01(h, rng) * fractionCount)];
    if (th >= 1) continue;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (expectedRate(h, i, j, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, bandwidthHz, noiseMw, dMinM, orthogonal, gainAt1m) >= minRateBps) w[fe + count++] = j;
    }
    if (count === 0) continue;
    f[(theta >>> 3) + i] = th;
    w[(server >>> 2) + i] = w[fe + Math.floor(uniform01(h, rng) * count)];
  }
}

/** Twin of the nearestPolicy export. */
export function nearestPolicy(
  h: Heap, m: number, userX: number, userY: number, serving: number, powerMw: number, active: number,
  siteX: number, siteY: number, siteRxMw: number, siteOwnMw: number,
  minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  theta: number, server: number,
): void {
  const w = h.i32;
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const j = w[(serving >>> 2) + i];
    if (expectedRate(h, i, j, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, bandwidthHz, noiseMw, dMinM, orthogonal, gainAt1m) < minRateBps) continue;
    h.f64[(theta >>> 3) + i] = 0;
    w[(server >>> 2) + i] = j;
  }
}

/** Twin of the greedyPolicy export. */
export function greedyPolicy(
  h: Heap, m: number, n: number,
  userX: number, userY: number, powerMw: number, userCpuHz: number, active: number, bits: number, cyclesPerBit: number,
  siteX: number, siteY: number, siteCpuHz: number, siteRxMw: number, siteOwnMw: number, siteLoad: number,
  minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  fractions: number, fractionCount: number, rx: number, own: number, ld: number, signal: number, perFraction: number,
  theta: number, server: number,
): void {
  const f = h.f64, w = h.i32;
  const rx0 = rx >>> 3, own0 = own >>> 3, ld0 = ld >>> 2, sg0 = signal >>> 3, ac = active >>> 2;
  f.fill(0, rx0, rx0 + n);
  f.fill(0, own0, own0 + n);
  w.fill(0, ld0, ld0 + n);
  let total = 0;
  for (let i = 0; i < m; i++) total = (total + w[ac + i]) | 0;
  let placed = 0;
  for (let i = 0; i < m; i++) {
    if (w[ac + i] === 0) continue;
    const rest = (total - 1 - placed) / total; // share of the others still to choose
    placed++;
    const b = f[(bits >>> 3) + i], cpu = f[(userCpuHz >>> 3) + i];
    const work = f[(cyclesPerBit >>> 3) + i] * b;
    const pf = perFraction >>> 3;
    for (let k = 0; k < fractionCount; k++) {
      const th = f[(fractions >>> 3) + k];
      f[pf + 3 * k] = (work * th) / cpu;
      f[pf + 3 * k + 1] = b * (1 - th);
      f[pf + 3 * k + 2] = work * (1 - th);
    }
    let bestT = work / cpu;
    let bestTheta = 1, bestSite = -1;
    for (let j = 0; j < n; j++) {
      const s = rxAt(h, i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM);
      f[sg0 + j] = s;
      const sofar = orthogonal !== 0 ? f[rx0 + j] - f[own0 + j] : f[rx0 + j];
      const rate = shannon(bandwidthHz, noiseMw, s, sofar + rest * expectedInterference(h, j, siteRxMw, siteOwnMw, orthogonal));
      if (rate < minRateBps) continue;
      const fEdge = f[(siteCpuHz >>> 3) + j] / (w[ld0 + j] + 1 + rest * w[(siteLoad >>> 2) + j]);
      for (let k = 0; k < fractionCount; k++) {
        const th = f[(fractions >>> 3) + k];
        if (th >= 1) continue;
        const t = Math.max(f[pf + 3 * k], f[pf + 3 * k + 1] / rate + f[pf + 3 * k + 2] / fEdge);
        if (t < bestT) {
          bestT = t;
          bestTheta = th;
          bestSite = j;
        }
      }
    }
    if (bestSite < 0) continue;
    f[(theta >>> 3) + i] = bestTheta;
    w[(server >>> 2) + i] = bestSite;
    w[ld0 + bestSite]++;
    for (let j = 0; j < n; j++) f[rx0 + j] += f[sg0 + j];
    if (orthogonal !== 0) f[own0 + bestSite] += f[sg0 + bestSite];
  }
}
