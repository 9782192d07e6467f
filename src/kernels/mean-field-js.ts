// The pure-TS twin of assembly/mean-field.ts: the mfq learners' mean-action bins folded into
// the state index, same arithmetic in the same order.
import type { Heap } from "./heap.js";

/** Bin of a mean offloaded fraction x in [0, 1]: floor(x K), clamped to 0..K-1 (`| 0` truncates as the kernel's i32 conversion). */
function meanBin(x: number, K: number): number {
  let b = (x * K) | 0;
  if (b >= K) b = K - 1;
  if (b < 0) b = 0;
  return b;
}

/** Twin of mfqSelectStates. */
export function mfqSelectStates(h: Heap, m: number, K: number, serving: number, state: number, cellMean: number, out: number): void {
  const w = h.i32, f = h.f64;
  for (let i = 0; i < m; i++) {
    w[(out >>> 2) + i] = w[(state >>> 2) + i] * K + meanBin(f[(cellMean >>> 3) + w[(serving >>> 2) + i]], K);
  }
}

/** Twin of mfqLearnStates. */
export function mfqLearnStates(
  h: Heap, m: number, n: number, K: number, active: number, serving: number, theta: number, state: number,
  cellSum: number, cellCount: number, cellMean: number, out: number,
): void {
  const w = h.i32, f = h.f64;
  const cs = cellSum >>> 3, cc = cellCount >>> 2, cm = cellMean >>> 3;
  f.fill(0, cs, cs + n);
  w.fill(0, cc, cc + n);
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const c = w[(serving >>> 2) + i];
    f[cs + c] += 1 - f[(theta >>> 3) + i];
    w[cc + c]++;
  }
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const c = w[(serving >>> 2) + i];
    const others = w[cc + c] - 1;
    const mean = others > 0 ? (f[cs + c] - (1 - f[(theta >>> 3) + i])) / others : 0;
    w[(out >>> 2) + i] = w[(state >>> 2) + i] * K + meanBin(mean, K);
  }
  for (let j = 0; j < n; j++) {
    const k = w[cc + j];
    if (k > 0) f[cm + j] = f[cs + j] / k;
  }
}
