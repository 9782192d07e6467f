// Per-trial metric sums, accumulated task by task over the counted slots (port of
// MetricAccumulator.addTask in src/run/metrics.ts, twin src/kernels/metrics-js.ts). The sums
// stay in kernel memory; the host reads them once per episode (src/run/kernel-metrics.ts
// turns them into the Metrics fields as MetricAccumulator.result does).

/** Slots of the sums in `acc` (f64[ACC_FIELDS]), as src/kernels/metrics-js.ts ACC_* names them. */
const TASKS = 0, LATENCY = 1, MISSED = 2, OFFLOADED = 3, REWARD = 4, WAIT = 5, UPLOADS = 6, INFEASIBLE = 7, RATE = 8;

// @ts-ignore: decorator
@inline
function add(acc: usize, k: i32, x: f64): void {
  const p = acc + (<usize>k << 3);
  store<f64>(p, load<f64>(p) + x);
}

/**
 * Called by the simulation's host once per counted slot (src/run/kernel-metrics.ts): adds
 * every active user's task, in user order, to the sums in `acc`: tasks, T_proc (s), deadline
 * misses (deadlineMet i32[m] == 0), offloaded fraction 1 - theta, reward 1/T_proc (when
 * T_proc > 0), queue wait (slot - arrivalSlot[i]) · slotS (arrivalSlot i32[m]: the slot the
 * user's head task arrived), uploads (theta < 1) and their realised rates, and refused
 * uploads (refused i32[m] != 0, as the layout's: the site refused it, the task ran locally).
 */
export function accumulate(
  m: i32, active: usize, tProcS: usize, deadlineMet: usize, theta: usize, refused: usize, rateBps: usize,
  arrivalSlot: usize, slot: i32, slotS: f64, acc: usize,
): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const t = load<f64>(tProcS + i8), th = load<f64>(theta + i8);
    add(acc, TASKS, 1.0);
    add(acc, LATENCY, t);
    if (load<i32>(deadlineMet + i4) == 0) add(acc, MISSED, 1.0);
    add(acc, OFFLOADED, 1.0 - th);
    if (t > 0.0) add(acc, REWARD, 1.0 / t);
    add(acc, WAIT, <f64>(slot - load<i32>(arrivalSlot + i4)) * slotS);
    if (th < 1.0) {
      add(acc, UPLOADS, 1.0);
      add(acc, RATE, load<f64>(rateBps + i8));
    }
    if (load<i32>(refused + i4) != 0) add(acc, INFEASIBLE, 1.0);
  }
}
