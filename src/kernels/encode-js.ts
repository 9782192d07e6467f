// The pure-TS twin of assembly/encode.ts: the learners' state encoding, action masks and
// action -> decision, over the same byte offsets, same loops and arithmetic in the same order
// (integers and selections bit for bit; Math.log2 is the host's, the kernel's
// AssemblyScript's, which may differ in the last ulp). See assembly/encode.ts for the encoding.
import type { Heap } from "./heap.js";

/** Received power (mW) at site j from user i (eq. 4 with Table I path loss), as src/model/channel.ts rxMw. */
export function rxAt(h: Heap, i: number, j: number, userX: number, userY: number, powerMw: number, siteX: number, siteY: number, gainAt1m: number, dMinM: number): number {
  const f = h.f64;
  const pc = f[(powerMw >>> 3) + i] * gainAt1m;
  const dx = f[(siteX >>> 3) + j] - f[(userX >>> 3) + i];
  const dy = f[(siteY >>> 3) + j] - f[(userY >>> 3) + i];
  const q = Math.max(dx * dx + dy * dy, dMinM * dMinM);
  return pc / (q * Math.sqrt(q));
}

/** Interference the twin expects at site j: last sync's measurement, by mode. */
export function expectedInterference(h: Heap, j: number, siteRxMw: number, siteOwnMw: number, orthogonal: number): number {
  const f = h.f64;
  return orthogonal !== 0 ? Math.max(f[(siteRxMw >>> 3) + j] - f[(siteOwnMw >>> 3) + j], 0) : f[(siteRxMw >>> 3) + j];
}

/** Shannon rate (eq. 3) of a signal against noise plus interference. */
export const shannon = (bandwidthHz: number, noiseMw: number, signalMw: number, interferenceMw: number): number =>
  bandwidthHz * Math.log2(1 + signalMw / (noiseMw + interferenceMw));

/** Expected uplink rate of user i to site j from the twin's interference record. */
export function expectedRate(
  h: Heap, i: number, j: number, userX: number, userY: number, powerMw: number, siteX: number, siteY: number, siteRxMw: number, siteOwnMw: number,
  bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
): number {
  return shannon(bandwidthHz, noiseMw, rxAt(h, i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM), expectedInterference(h, j, siteRxMw, siteOwnMw, orthogonal));
}

/** Twin of reachesSinr: does user i's expected SINR at site j reach minSinr (as expectedRate >= the minimum rate)? */
function reachesSinr(
  h: Heap, i: number, j: number, userX: number, userY: number, powerMw: number, siteX: number, siteY: number, siteRxMw: number, siteOwnMw: number,
  noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number, minSinr: number,
): boolean {
  return rxAt(h, i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM) / (noiseMw + expectedInterference(h, j, siteRxMw, siteOwnMw, orthogonal)) >= minSinr;
}

const loadBin = (others: number): number => (others <= 1 ? 0 : others <= 3 ? 1 : others <= 6 ? 2 : 3);

/** Local fraction theta of action a (0 all local, 1-3 partial, 4-6 full offload). */
const actionTheta = (a: number): number => (a === 0 ? 1 : a === 1 ? 0.75 : a === 2 ? 0.5 : a === 3 ? 0.25 : 0);

/** Twin of the encode export: states, masks and (active users') targets. */
export function encode(
  h: Heap, m: number, n: number,
  userX: number, userY: number, serving: number, powerMw: number, active: number, bits: number,
  siteX: number, siteY: number, siteRxMw: number, siteOwnMw: number,
  cellScaleM: number, size0: number, size1: number, minSinr: number,
  noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  activeIn: number, state: number, mask: number, targets: number,
): void {
  const f = h.f64, w = h.i32;
  const ux0 = userX >>> 3, uy0 = userY >>> 3, sv = serving >>> 2, ac = active >>> 2, bt = bits >>> 3;
  const sx0 = siteX >>> 3, sy0 = siteY >>> 3, ai = activeIn >>> 2, st = state >>> 2, mk0 = mask >>> 2, tg = targets >>> 2;
  w.fill(0, ai, ai + n);
  for (let i = 0; i < m; i++) if (w[ac + i] !== 0) w[ai + w[sv + i]]++;
  for (let i = 0; i < m; i++) {
    const cell = w[sv + i];
    const ux = f[ux0 + i], uy = f[uy0 + i];
    const hx = ux - f[sx0 + cell], hy = uy - f[sy0 + cell];
    const d = Math.sqrt(hx * hx + hy * hy) / cellScaleM; // sqrt, not hypot: see assembly/encode.ts
    // The 6 distance bins of src/policy/encoding.ts.
    const dist = d < 0.3 ? 0 : d < 0.5 ? 1 : d < 0.7 ? 2 : d < 0.85 ? 3 : d < 1.0 ? 4 : 5;
    const on = w[ac + i] !== 0;
    const ld = loadBin(w[ai + cell] - (on ? 1 : 0));
    const b = f[bt + i];
    const size = b <= size0 ? 0 : b <= size1 ? 1 : 2;
    w[st + i] = ((cell * 6 + dist) * 4 + ld) * 3 + size;
    if (!on) {
      w[mk0 + i] = 1;
      continue;
    }
    // The two closest sites other than the serving one.
    let a = -1, b2 = -1, da = Infinity, db = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === cell) continue;
      const ex = f[sx0 + j] - ux, ey = f[sy0 + j] - uy;
      const dj = ex * ex + ey * ey;
      if (dj < da) {
        b2 = a; db = da; a = j; da = dj;
      } else if (dj < db) {
        b2 = j; db = dj;
      }
    }
    w[tg + 3 * i] = cell;
    w[tg + 3 * i + 1] = a;
    w[tg + 3 * i + 2] = b2;
    let mk = 1;
    if (reachesSinr(h, i, cell, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 0b11110;
    if (a >= 0 && reachesSinr(h, i, a, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 1 << 5;
    if (b2 >= 0 && reachesSinr(h, i, b2, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 1 << 6;
    w[mk0 + i] = mk;
  }
}

/** Twin of the decide export: each active user's decision of its action. */
export function decide(h: Heap, m: number, active: number, action: number, targets: number, theta: number, server: number): void {
  const f = h.f64, w = h.i32;
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const a = w[(action >>> 2) + i];
    f[(theta >>> 3) + i] = actionTheta(a);
    if (a === 0) continue;
    w[(server >>> 2) + i] = w[(targets >>> 2) + 3 * i + (a === 5 ? 1 : a === 6 ? 2 : 0)];
  }
}
