// The pure-TS twin of assembly/rewards.ts: rewards and JAL buckets (RewardModel.compute of
// src/policy/rewards.ts) over the same byte offsets, same order, bit for bit.
import type { Heap } from "./heap.js";

/** T_proc is floored at 1 ms so one near-instant task cannot dominate a mean of 1/T_proc. */
const MIN_T_S = 1e-3;

const othersBucket = (count: number): number => (count === 0 ? 0 : count === 1 ? 1 : count <= 3 ? 2 : count <= 6 ? 3 : 4);

/** Twin of the rewards export: -T_proc (negLatency != 0) or 1/T_proc; returns the sum of the agents' own rewards. */
export function rewards(
  h: Heap, m: number, n: number, team: number, negLatency: number, active: number, serving: number, theta: number, server: number, tProcS: number,
  reward: number, bucket: number, cellSum: number, cellCount: number, offloadsTo: number,
): number {
  const f = h.f64, w = h.i32;
  const cs = cellSum >>> 3, cc = cellCount >>> 2, ot = offloadsTo >>> 2;
  f.fill(0, cs, cs + n);
  w.fill(0, cc, cc + n);
  w.fill(0, ot, ot + n);
  let own = 0;
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const t = f[(tProcS >>> 3) + i];
    const r = negLatency !== 0 ? -t : 1 / Math.max(t, MIN_T_S);
    f[(reward >>> 3) + i] = r;
    own += r;
    const cell = w[(serving >>> 2) + i];
    f[cs + cell] += r;
    w[cc + cell]++;
    if (f[(theta >>> 3) + i] < 1) w[ot + w[(server >>> 2) + i]]++;
  }
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const cell = w[(serving >>> 2) + i];
    if (team !== 0) f[(reward >>> 3) + i] = f[cs + cell] / w[cc + cell];
    w[(bucket >>> 2) + i] = f[(theta >>> 3) + i] < 1 ? othersBucket(w[ot + w[(server >>> 2) + i]] - 1) : 0;
  }
  return own;
}
