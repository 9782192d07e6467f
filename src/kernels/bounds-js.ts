// The pure-TS twin of assembly/bounds.ts.
import type { Heap } from "./heap.js";

/** Twin of firstBadUpload: the first active upload with server or migrateTo out of range, or -1. */
export function firstBadUpload(h: Heap, m: number, n: number, active: number, theta: number, server: number, migrateTo: number): number {
  const { i32, f64 } = h;
  const a0 = active >>> 2, th0 = theta >>> 3, s0 = server >>> 2, t0 = migrateTo >>> 2;
  for (let i = 0; i < m; i++) {
    if (i32[a0 + i] === 0 || f64[th0 + i] >= 1) continue;
    const j = i32[s0 + i], t = i32[t0 + i];
    if (j < 0 || j >= n || t < -1 || t >= n) return i;
  }
  return -1;
}

/** Twin of firstBadSelect: the first active agent with table or state out of range, or -1. */
export function firstBadSelect(h: Heap, m: number, T: number, S: number, active: number, tableOf: number, state: number): number {
  const { i32 } = h;
  const a0 = active >>> 2, tb0 = tableOf >>> 2, s0 = state >>> 2;
  for (let i = 0; i < m; i++) {
    if (i32[a0 + i] === 0) continue;
    const tb = i32[tb0 + i], s = i32[s0 + i];
    if (tb < 0 || tb >= T || s < 0 || s >= S) return i;
  }
  return -1;
}

/** A table entry (t, s, a, b) outside T x S x A (x B when B > 0), as the kernel's badEntry. */
const badEntry = (T: number, S: number, A: number, B: number, t: number, s: number, a: number, b: number): boolean =>
  t < 0 || t >= T || s < 0 || s >= S || a < 0 || a >= A || (B > 0 && (b < 0 || b >= B));

/** Twin of firstBadLearn: the first agent with a pending or (final = 0) acting decision out of range, or -1. */
export function firstBadLearn(
  h: Heap, m: number, T: number, S: number, A: number, B: number, final: number,
  active: number, tableOf: number, state: number, action: number, bucket: number,
  pTable: number, pState: number, pAction: number, pBucket: number,
): number {
  const { i32 } = h;
  const a0 = active >>> 2, tb0 = tableOf >>> 2, s0 = state >>> 2, ac0 = action >>> 2, b0 = bucket >>> 2;
  const pt0 = pTable >>> 2, ps0 = pState >>> 2, pa0 = pAction >>> 2, pb0 = pBucket >>> 2;
  for (let i = 0; i < m; i++) {
    const pa = i32[pa0 + i];
    if (pa >= 0 && badEntry(T, S, A, B, i32[pt0 + i], i32[ps0 + i], pa, B > 0 ? i32[pb0 + i] : 0)) return i;
    if (final !== 0 || i32[a0 + i] === 0) continue;
    if (badEntry(T, S, A, B, i32[tb0 + i], i32[s0 + i], i32[ac0 + i], B > 0 ? i32[b0 + i] : 0)) return i;
  }
  return -1;
}
