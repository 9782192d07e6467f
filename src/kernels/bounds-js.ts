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

/** Twin of firstBadUpdate: the first learning agent with an index out of range (bucket only when B > 0), or -1. */
export function firstBadUpdate(
  h: Heap, m: number, T: number, S: number, A: number, B: number,
  active: number, tableOf: number, state: number, action: number, nextState: number, bucket: number,
): number {
  const { i32 } = h;
  const a0 = active >>> 2, tb0 = tableOf >>> 2, s0 = state >>> 2, ac0 = action >>> 2, sn0 = nextState >>> 2, b0 = bucket >>> 2;
  for (let i = 0; i < m; i++) {
    const a = i32[ac0 + i];
    if (i32[a0 + i] === 0 || a < 0) continue;
    const tb = i32[tb0 + i], s = i32[s0 + i], sn = i32[sn0 + i];
    if (tb < 0 || tb >= T || s < 0 || s >= S || a >= A || sn < -1 || sn >= S) return i;
    if (B > 0) {
      const b = i32[b0 + i];
      if (b < 0 || b >= B) return i;
    }
  }
  return -1;
}
