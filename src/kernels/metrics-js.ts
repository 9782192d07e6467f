// The pure-TS twin of assembly/metrics.ts: the per-task metric sums of
// MetricAccumulator.addTask (src/run/metrics.ts), in user order, bit for bit.
import type { Heap } from "./heap.js";

/** Slots of the sums in the accumulator f64[ACC_FIELDS] (assembly/metrics.ts uses the same). */
export const ACC_TASKS = 0, ACC_LATENCY = 1, ACC_MISSED = 2, ACC_OFFLOADED = 3, ACC_REWARD = 4, ACC_WAIT = 5,
  ACC_UPLOADS = 6, ACC_INFEASIBLE = 7, ACC_RATE = 8, ACC_FIELDS = 9;

/** Twin of the accumulate export (refused, deadlineMet and arrivalSlot i32[m]). */
export function accumulate(
  h: Heap, m: number, active: number, tProcS: number, deadlineMet: number, theta: number, refused: number, rateBps: number,
  arrivalSlot: number, slot: number, slotS: number, acc: number,
): void {
  const f = h.f64, w = h.i32, a = acc >>> 3;
  for (let i = 0; i < m; i++) {
    if (w[(active >>> 2) + i] === 0) continue;
    const t = f[(tProcS >>> 3) + i], th = f[(theta >>> 3) + i];
    f[a + ACC_TASKS] += 1;
    f[a + ACC_LATENCY] += t;
    if (w[(deadlineMet >>> 2) + i] === 0) f[a + ACC_MISSED] += 1;
    f[a + ACC_OFFLOADED] += 1 - th;
    if (t > 0) f[a + ACC_REWARD] += 1 / t;
    f[a + ACC_WAIT] += (slot - w[(arrivalSlot >>> 2) + i]) * slotS;
    if (th < 1) {
      f[a + ACC_UPLOADS] += 1;
      f[a + ACC_RATE] += f[(rateBps >>> 3) + i];
    }
    if (w[(refused >>> 2) + i] !== 0) f[a + ACC_INFEASIBLE] += 1;
  }
}
