// The pure-TS twin of assembly/traffic.ts: task arrivals into per-user rings of Q slots
// (qBits, qCyclesPerBit f64; qType, qArrival i32; qHead, qCount i32 per user), the head tasks
// into the slot's inputs, and the processed heads removed. Same loops and draws in the same
// order, so queues, types and arrival slots agree exactly with the WASM kernels.
import type { Heap } from "./heap.js";
import { draw, poisson, uniform01 } from "./rng-js.js";

/** Zipf type for a uniform u: the first k with cdf[k] >= u (binary search, as Catalogue.sample). */
function zipfType(h: Heap, cdf: number, types: number, u: number): number {
  const c = cdf >>> 3;
  let lo = 0, hi = types - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (h.f64[c + mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Twin of the arrive export: this slot's arrivals, user by user; a full ring drops and counts. */
export function arrive(
  h: Heap, m: number, rng: number, limit: number, slot: number, Q: number,
  qBits: number, qCyclesPerBit: number, qType: number, qArrival: number, qHead: number, qCount: number,
  bitsKind: number, b0: number, b1: number, b2: number, b3: number,
  cpbKind: number, c0: number, c1: number, c2: number, c3: number,
  catTypes: number, catCdf: number, catBits: number, catCpb: number, overflow: number,
): void {
  const f64 = h.f64, i32 = h.i32, mask = Q - 1;
  for (let i = 0; i < m; i++) {
    const k = poisson(h, rng, limit);
    for (let a = 0; a < k; a++) {
      let type = -1;
      let bits = 0, cpb = 0;
      if (catTypes > 0) {
        type = zipfType(h, catCdf, catTypes, uniform01(h, rng));
        bits = f64[(catBits >>> 3) + type];
        cpb = f64[(catCpb >>> 3) + type];
      } else {
        bits = draw(h, rng, bitsKind, b0, b1, b2, b3);
        cpb = draw(h, rng, cpbKind, c0, c1, c2, c3);
      }
      const count = i32[(qCount >>> 2) + i];
      if (count >= Q) {
        i32[overflow >>> 2]++;
        continue;
      }
      const at = i * Q + ((i32[(qHead >>> 2) + i] + count) & mask);
      f64[(qBits >>> 3) + at] = bits;
      f64[(qCyclesPerBit >>> 3) + at] = cpb;
      i32[(qType >>> 2) + at] = type;
      i32[(qArrival >>> 2) + at] = slot;
      i32[(qCount >>> 2) + i] = count + 1;
    }
  }
}

/** Twin of the prepareTasks export: head tasks into the slot's inputs, decisions all local. */
export function prepareTasks(
  h: Heap, m: number, qBits: number, qCyclesPerBit: number, qType: number, qArrival: number, qHead: number, qCount: number, Q: number,
  deadlineS: number, active: number, bits: number, cyclesPerBit: number, deadline: number, taskType: number,
  arrivalSlot: number, theta: number, migrateTo: number, beta: number,
): void {
  const f64 = h.f64, i32 = h.i32;
  for (let i = 0; i < m; i++) {
    if (i32[(qCount >>> 2) + i] > 0) {
      const at = i * Q + i32[(qHead >>> 2) + i];
      i32[(active >>> 2) + i] = 1;
      f64[(bits >>> 3) + i] = f64[(qBits >>> 3) + at];
      f64[(cyclesPerBit >>> 3) + i] = f64[(qCyclesPerBit >>> 3) + at];
      f64[(deadline >>> 3) + i] = deadlineS;
      i32[(taskType >>> 2) + i] = i32[(qType >>> 2) + at];
      i32[(arrivalSlot >>> 2) + i] = i32[(qArrival >>> 2) + at];
    } else {
      i32[(active >>> 2) + i] = 0;
      f64[(bits >>> 3) + i] = 0;
      f64[(cyclesPerBit >>> 3) + i] = 0;
      f64[(deadline >>> 3) + i] = 0;
      i32[(taskType >>> 2) + i] = -1;
      i32[(arrivalSlot >>> 2) + i] = -1;
    }
    f64[(theta >>> 3) + i] = 1;
    i32[(migrateTo >>> 2) + i] = -1;
    f64[(beta >>> 3) + i] = 0;
  }
}

/** Twin of the completeTasks export: every active user's head task removed. */
export function completeTasks(h: Heap, m: number, active: number, qHead: number, qCount: number, Q: number): void {
  const i32 = h.i32, mask = Q - 1;
  for (let i = 0; i < m; i++) {
    if (i32[(active >>> 2) + i] === 0) continue;
    const count = i32[(qCount >>> 2) + i];
    if (count === 0) continue;
    i32[(qHead >>> 2) + i] = (i32[(qHead >>> 2) + i] + 1) & mask;
    i32[(qCount >>> 2) + i] = count - 1;
  }
}
