// Task arrivals and the per-user task queues, in kernel memory (port of src/world/traffic.ts
// and the sampling of src/world/catalogue.ts). The pure-TS twin is src/kernels/traffic-js.ts.
//
// A Poisson count per user per slot, each task's size and cycles per bit drawn from the
// scenario's distributions, or, with a catalogue, a task type drawn from its Zipf popularity
// (type k with probability proportional to 1 / (k + 1)^s) whose per-type size and cycles per
// bit the host drew once at set-up. Tasks wait in a per-user FIFO; a user processes its
// head-of-line task in a slot (the paper's per-slot model has one task per user).
//
// The FIFO of user i is a ring of Q slots (Q a power of two, chosen by the host) in four
// parallel arrays qBits, qCyclesPerBit (f64) and qType, qArrival (i32) at [i * Q, i * Q + Q),
// with qHead[i] its first slot and qCount[i] its length: no object per task (today's per-user
// arrays of Task objects become these rings). The deadline is the scenario's, the same for
// every task, so it is not stored per task.
import { draw, poisson, uniform01 } from "./rng";

/** Zipf type for a uniform u: the first k with cdf[k] >= u (binary search, as Catalogue.sample). */
// @ts-ignore: decorator
@inline
function zipfType(cdf: usize, types: i32, u: f64): i32 {
  let lo = 0, hi = types - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (load<f64>(cdf + (<usize>mid << 3)) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Called by the host's task queues once per slot (src/world/task-queues.ts): this slot's
 * arrivals for every user, in user order. Draws from the stream at `rng`, per user: the
 * Poisson count (limit = exp(-arrivalRate)), then per task either one uniform for the Zipf type
 * (catTypes > 0; catCdf, catBits, catCpb: f64[catTypes]) or the size (bitsKind, b0-b3) and
 * cycles per bit (cpbKind, c0-c3) as `draw` in assembly/rng.ts: today's draw order. A task
 * arriving at a full ring is dropped and counted in the i32 at `overflow` (its draws are
 * still made, so the stream does not depend on the queues). With arrivalRate <= 0.2 (the
 * schema's bound) and every non-empty queue served once per slot, a queue is a stable
 * discrete-time queue whose length exceeds k with probability about e^(-2.6 k) (theta = 2.6
 * solves 0.2 (e^theta - 1) = theta): at Q = 64 about 1e-70 per user and slot, never.
 */
export function arrive(
  m: i32, rng: usize, limit: f64, slot: i32, Q: i32,
  qBits: usize, qCyclesPerBit: usize, qType: usize, qArrival: usize, qHead: usize, qCount: usize,
  bitsKind: i32, b0: f64, b1: f64, b2: f64, b3: f64,
  cpbKind: i32, c0: f64, c1: f64, c2: f64, c3: f64,
  catTypes: i32, catCdf: usize, catBits: usize, catCpb: usize, overflow: usize,
): void {
  const mask = Q - 1;
  for (let i = 0; i < m; i++) {
    const k = poisson(rng, limit);
    for (let a = 0; a < k; a++) {
      let type = -1;
      let bits = 0.0, cpb = 0.0;
      if (catTypes > 0) {
        type = zipfType(catCdf, catTypes, uniform01(rng));
        bits = load<f64>(catBits + (<usize>type << 3));
        cpb = load<f64>(catCpb + (<usize>type << 3));
      } else {
        bits = draw(rng, bitsKind, b0, b1, b2, b3);
        cpb = draw(rng, cpbKind, c0, c1, c2, c3);
      }
      const ui = <usize>i << 2;
      const count = load<i32>(qCount + ui);
      if (count >= Q) {
        store<i32>(overflow, load<i32>(overflow) + 1);
        continue;
      }
      const at = <usize>i * <usize>Q + <usize>((load<i32>(qHead + ui) + count) & mask);
      store<f64>(qBits + (at << 3), bits);
      store<f64>(qCyclesPerBit + (at << 3), cpb);
      store<i32>(qType + (at << 2), type);
      store<i32>(qArrival + (at << 2), slot);
      store<i32>(qCount + ui, count + 1);
    }
  }
}

/**
 * Called by the host before the twin sync (the per-user loop of Simulation.prepare): each
 * user's head task into the slot's inputs (active 1, bits, cyclesPerBit, deadline = deadlineS,
 * taskType, arrivalSlot) or an idle user's zeros (taskType -1, arrivalSlot -1), and the
 * decisions reset to all local (theta 1, migrateTo -1, beta 0).
 */
export function prepareTasks(
  m: i32, qBits: usize, qCyclesPerBit: usize, qType: usize, qArrival: usize, qHead: usize, qCount: usize, Q: i32,
  deadlineS: f64, active: usize, bits: usize, cyclesPerBit: usize, deadline: usize, taskType: usize,
  arrivalSlot: usize, theta: usize, migrateTo: usize, beta: usize,
): void {
  for (let i = 0; i < m; i++) {
    const u4 = <usize>i << 2, u8 = <usize>i << 3;
    if (load<i32>(qCount + u4) > 0) {
      const at = <usize>i * <usize>Q + <usize>load<i32>(qHead + u4);
      store<i32>(active + u4, 1);
      store<f64>(bits + u8, load<f64>(qBits + (at << 3)));
      store<f64>(cyclesPerBit + u8, load<f64>(qCyclesPerBit + (at << 3)));
      store<f64>(deadline + u8, deadlineS);
      store<i32>(taskType + u4, load<i32>(qType + (at << 2)));
      store<i32>(arrivalSlot + u4, load<i32>(qArrival + (at << 2)));
    } else {
      store<i32>(active + u4, 0);
      store<f64>(bits + u8, 0.0);
      store<f64>(cyclesPerBit + u8, 0.0);
      store<f64>(deadline + u8, 0.0);
      store<i32>(taskType + u4, -1);
      store<i32>(arrivalSlot + u4, -1);
    }
    store<f64>(theta + u8, 1.0);
    store<i32>(migrateTo + u4, -1);
    store<f64>(beta + u8, 0.0);
  }
}

/** Called by the host when a slot finishes: removes every active user's head task (processed). */
export function completeTasks(m: i32, active: usize, qHead: usize, qCount: usize, Q: i32): void {
  const mask = Q - 1;
  for (let i = 0; i < m; i++) {
    const u4 = <usize>i << 2;
    if (load<i32>(active + u4) == 0) continue;
    const count = load<i32>(qCount + u4);
    if (count == 0) continue;
    store<i32>(qHead + u4, (load<i32>(qHead + u4) + 1) & mask);
    store<i32>(qCount + u4, count - 1);
  }
}
