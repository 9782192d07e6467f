// Per-trial metrics with the per-task sums in kernel memory: one `accumulate` kernel call per
// counted slot (assembly/metrics.ts, twin src/kernels/metrics-js.ts) instead of
// MetricAccumulator.addTask per task; the host reads the sums once, in `result`, which gives
// exactly MetricAccumulator.result's Metrics (same nulls, same divisions). Slot-level counts
// (migration, authentication) stay in a MetricAccumulator, as they are per slot, not per user.
import type { AuthCounts } from "../control/auth-control.js";
import type { MigrationCounts } from "../control/migration.js";
import type { Metrics } from "../contracts/record.js";
import type { Machine } from "../kernels/machine.js";
import {
  ACC_FIELDS, ACC_INFEASIBLE, ACC_LATENCY, ACC_MISSED, ACC_OFFLOADED, ACC_RATE, ACC_REWARD, ACC_TASKS, ACC_UPLOADS, ACC_WAIT,
} from "../kernels/metrics-js.js";
import { MetricAccumulator, type TwinTotals } from "./metrics.js";

/** A slot's evaluated tasks in kernel memory (the slot layout's arrays): active, deadlineMet, refused, arrivalSlot i32[m]; tProcS, theta, rateBps f64[m]. */
export interface TaskPtrs {
  readonly active: number;
  readonly tProcS: number;
  readonly deadlineMet: number;
  readonly theta: number;
  readonly refused: number;
  readonly rateBps: number;
  /** The slot each user's head task arrived in (i32[m]), for the queue wait. */
  readonly arrivalSlot: number;
}

type TaskMetricName = "latencyS" | "responseS" | "deadlineMissRate" | "offloadRatio" | "infeasibleRate" | "reward" | "systemCostS" | "queueWaitS" | "uploadRateBps" | "tasks";

/** The task metrics of the sums `acc` (f64[ACC_FIELDS]) over `slots` counted slots, as MetricAccumulator.result. */
export function taskMetrics(acc: ArrayLike<number>, slots: number): Pick<Metrics, TaskMetricName> {
  const per = (x: number, d: number): number | null => (d > 0 ? x / d : null);
  const tasks = acc[ACC_TASKS], latency = acc[ACC_LATENCY], uploads = acc[ACC_UPLOADS], infeasible = acc[ACC_INFEASIBLE];
  return {
    latencyS: per(latency, tasks),
    responseS: per(latency + acc[ACC_WAIT], tasks),
    deadlineMissRate: per(acc[ACC_MISSED], tasks),
    offloadRatio: per(acc[ACC_OFFLOADED], tasks),
    infeasibleRate: per(infeasible, uploads + infeasible),
    reward: per(acc[ACC_REWARD], tasks),
    systemCostS: per(latency, slots),
    queueWaitS: per(acc[ACC_WAIT], tasks),
    uploadRateBps: per(acc[ACC_RATE], uploads),
    tasks,
  };
}

export class KernelMetrics {
  /** Byte offset of the sums f64[ACC_FIELDS]: tasks, latency, missed, offloaded, reward, wait, uploads, infeasible, rate. */
  readonly accPtr: number;
  private slotLevel = new MetricAccumulator();
  private slots = 0;

  constructor(private readonly machine: Machine) {
    this.accPtr = machine.alloc(8 * ACC_FIELDS);
    this.reset();
  }

  /** A new episode: sums and counts back to zero, nothing re-allocated. */
  reset(): void {
    this.machine.heap.f64.fill(0, this.accPtr >>> 3, (this.accPtr >>> 3) + ACC_FIELDS);
    this.slotLevel = new MetricAccumulator();
    this.slots = 0;
  }

  /** A counted slot's migration and authentication counts (as MetricAccumulator.addSlot). */
  addSlot(c?: MigrationCounts, a?: AuthCounts): void {
    this.slots++;
    this.slotLevel.addSlot(c, a);
  }

  /** Adds the slot's tasks (its `users` users' active entries) to the sums: one kernel call. */
  addTasks(users: number, t: TaskPtrs, slot: number, slotS: number): void {
    this.machine.fns.accumulate(users, t.active, t.tProcS, t.deadlineMet, t.theta, t.refused, t.rateBps, t.arrivalSlot, slot, slotS, this.accPtr);
  }

  /** The sums as the host reads them once per episode. */
  sums(): Float64Array {
    return this.machine.heap.f64.slice(this.accPtr >>> 3, (this.accPtr >>> 3) + ACC_FIELDS);
  }

  /** MetricAccumulator.result over the kernel's sums. */
  result(users: number, slotS: number, twin: TwinTotals, auth?: { refusedUsers: number; maliciousUsers: number }): Metrics {
    return { ...this.slotLevel.result(users, slotS, twin, auth), ...taskMetrics(this.sums(), this.slots) };
  }
}
