// Per-trial metrics, accumulated task by task over the counted slots.

/** The metrics of a trial record, in the order summary.csv lists them. */
export const METRICS = [
  "latencyS", "deadlineMissRate", "offloadRatio", "infeasibleRate", "reward",
  "systemCostS", "queueWaitS", "uploadRateBps", "tasks",
] as const;
export type MetricName = (typeof METRICS)[number];
export type Metrics = Record<MetricName, number | null>;

/** What each metric means (README and docs/model.md repeat it). */
export const METRIC_DOC: Record<MetricName, string> = {
  latencyS: "mean task processing latency T_proc (eq. 1-9), s",
  deadlineMissRate: "share of tasks with T_proc > deadline (C3)",
  offloadRatio: "mean offloaded fraction 1 - theta over tasks",
  infeasibleRate: "share of attempted uploads refused because the realised rate fell below the minimum (the task then ran locally)",
  reward: "mean per-task reward 1 / T_proc (section IV-C), 1/s",
  systemCostS: "system cost per slot: sum of T_proc (eq. 10), s",
  queueWaitS: "mean time a task waited behind its user's earlier tasks, s",
  uploadRateBps: "mean realised uplink rate of uploading tasks, bit/s",
  tasks: "tasks processed in the counted slots",
};

export class MetricAccumulator {
  private tasks = 0;
  private latency = 0;
  private missed = 0;
  private offloaded = 0;
  private reward = 0;
  private wait = 0;
  private uploads = 0;
  private infeasible = 0;
  private rate = 0;
  private slots = 0;

  /** `refused`: the task tried to upload, the site refused it (rate below minimum), it ran locally. */
  addTask(tProcS: number, deadlineMet: boolean, theta: number, refused: boolean, rateBps: number, waitS: number): void {
    this.tasks++;
    this.latency += tProcS;
    if (!deadlineMet) this.missed++;
    this.offloaded += 1 - theta;
    if (tProcS > 0) this.reward += 1 / tProcS;
    this.wait += waitS;
    if (theta < 1) {
      this.uploads++;
      this.rate += rateBps;
    }
    if (refused) this.infeasible++;
  }

  addSlot(): void {
    this.slots++;
  }

  /** Means over no tasks are null (JSON has no NaN); they are left out of summaries. */
  result(): Metrics {
    const per = (x: number, d: number): number | null => (d > 0 ? x / d : null);
    return {
      latencyS: per(this.latency, this.tasks),
      deadlineMissRate: per(this.missed, this.tasks),
      offloadRatio: per(this.offloaded, this.tasks),
      infeasibleRate: per(this.infeasible, this.uploads + this.infeasible),
      reward: per(this.reward, this.tasks),
      systemCostS: per(this.latency, this.slots),
      queueWaitS: per(this.wait, this.tasks),
      uploadRateBps: per(this.rate, this.uploads),
      tasks: this.tasks,
    };
  }
}
