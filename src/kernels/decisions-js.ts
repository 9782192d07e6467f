// The pure-TS twin of assembly/decisions.ts.
import type { Heap } from "./heap.js";

/** Twin of firstInvalidDecision: the first active user with an invalid decision, or -1. */
export function firstInvalidDecision(h: Heap, m: number, n: number, active: number, theta: number, server: number, migrateTo: number, beta: number): number {
  const { i32, f64 } = h;
  const a = active >>> 2, th0 = theta >>> 3, s0 = server >>> 2, t0 = migrateTo >>> 2, b0 = beta >>> 3;
  for (let i = 0; i < m; i++) {
    if (i32[a + i] === 0) continue;
    const th = f64[th0 + i], b = f64[b0 + i], j = i32[s0 + i], t = i32[t0 + i];
    const ok = th >= 0 && th <= 1 && j >= 0 && j < n && (t === -1 || (t >= 0 && t < n && t !== j))
      && b >= 0 && b <= 1 - th + 1e-12 && (t !== -1 || b === 0);
    if (!ok) return i;
  }
  return -1;
}
