// Per-trial metrics, accumulated task by task over the counted slots.
import type { AuthCounts } from "../control/auth-control.js";
import type { MigrationCounts } from "../control/migration.js";
import type { MetricName, Metrics } from "../contracts/record.js";

/** The metrics that only mean something with migration, or with authentication, switched on. */
export const MIGRATION_METRICS = ["migrationsPerUserHour", "relaysPerUserHour", "interruptionsPerUserHour", "migrationDelayS", "relayDelayS"] as const;
export const AUTH_METRICS = ["fullHandshakesPerUserHour", "resumedSessionsPerUserHour", "authRefusalsPerUserHour", "authDelayS", "refusedUsers", "maliciousUsers"] as const;

/** What each metric means (README and docs/model.md repeat it). */
export const METRIC_DOC: Record<MetricName, string> = {
  latencyS: "mean task processing latency T_proc (eq. 1-9), s",
  responseS: "mean response time: from the task's request (arrival) to its completion, its queue wait plus T_proc (the paper's measure in section V), s",
  deadlineMissRate: "share of tasks with T_proc > deadline (C3)",
  offloadRatio: "mean offloaded fraction 1 - theta over tasks",
  infeasibleRate: "share of attempted uploads refused because the realised rate fell below the minimum (the task then ran locally)",
  reward: "mean per-task reward 1 / T_proc (section IV-C), 1/s",
  systemCostS: "system cost per slot: sum of T_proc (eq. 10), s",
  queueWaitS: "mean time a task waited behind its user's earlier tasks, s",
  uploadRateBps: "mean realised uplink rate of uploading tasks, bit/s",
  tasks: "tasks processed in the counted slots",
  migrationsPerUserHour: "service migrations (eq. 7-9) per user per hour of simulated time",
  relaysPerUserHour: "tasks relayed over the backhaul to a service elsewhere, per user-hour",
  interruptionsPerUserHour: "tasks that needed a migration or relay but whose upload was refused, per user-hour",
  migrationDelayS: "mean T_mig (eq. 7) of a task that carried its service's migration, s",
  relayDelayS: "mean backhaul transfer plus relay penalty of a relayed task, s",
  nextCellAccuracy: "hit rate of the twin's configured next-cell predictor, over syncs",
  nextCellAccuracyStay: "hit rate of the trivial 'stays in its cell' predictor, for comparison",
  nextPositionErrorM: "mean error of the twin's constant-velocity position forecast one sync ahead, m",
  fetchSavedShare: "share of task requests the twin did not fetch because an identical one was fetched that slot",
  fetchSavedBitsPerSlot: "task information the twin did not fetch thanks to deduplication, bits per slot",
  fullHandshakesPerUserHour: "full mutual authentications (Fig. 2) per user-hour",
  resumedSessionsPerUserHour: "sessions resumed at a new site with a ticket from the last one (trust transfer), per user-hour",
  authRefusalsPerUserHour: "authentications refused (the task then ran locally), per user-hour",
  authDelayS: "mean delay authentication (a full handshake or a resumption) added to an upload that needed one, s",
  refusedUsers: "distinct users refused at least once during the whole run (warm-up included)",
  maliciousUsers: "users injected with bad credentials",
};

/** Counters of the twin that metrics report as differences over the counted slots. */
export interface TwinTotals {
  predHits: number;
  predTotal: number;
  stayHits: number;
  stayTotal: number;
  positionErrorM: number;
  positionTotal: number;
  requests: number;
  fetches: number;
  bitsRequested: number;
  bitsFetched: number;
}

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
  private readonly mig: MigrationCounts = { migrations: 0, taskMigrations: 0, relays: 0, interruptions: 0, migrationDelayS: 0, relayDelayS: 0 };

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

  private readonly auth: AuthCounts = { fullHandshakes: 0, resumed: 0, refusals: 0, delayS: 0, delayed: 0 };

  addSlot(c?: MigrationCounts, a?: AuthCounts): void {
    this.slots++;
    if (a) {
      this.auth.fullHandshakes += a.fullHandshakes;
      this.auth.resumed += a.resumed;
      this.auth.refusals += a.refusals;
      this.auth.delayS += a.delayS;
      this.auth.delayed += a.delayed;
    }
    if (!c) return;
    this.mig.migrations += c.migrations;
    this.mig.taskMigrations += c.taskMigrations;
    this.mig.relays += c.relays;
    this.mig.interruptions += c.interruptions;
    this.mig.migrationDelayS += c.migrationDelayS;
    this.mig.relayDelayS += c.relayDelayS;
  }

  /**
   * Means over no events are null (JSON has no NaN); they are left out of summaries.
   * `twin` holds the twin's counters over the counted slots (end minus start).
   */
  result(users: number, slotS: number, twin: TwinTotals, auth?: { refusedUsers: number; maliciousUsers: number }): Metrics {
    const per = (x: number, d: number): number | null => (d > 0 ? x / d : null);
    const userHours = (users * this.slots * slotS) / 3600;
    return {
      latencyS: per(this.latency, this.tasks),
      responseS: per(this.latency + this.wait, this.tasks),
      deadlineMissRate: per(this.missed, this.tasks),
      offloadRatio: per(this.offloaded, this.tasks),
      infeasibleRate: per(this.infeasible, this.uploads + this.infeasible),
      reward: per(this.reward, this.tasks),
      systemCostS: per(this.latency, this.slots),
      queueWaitS: per(this.wait, this.tasks),
      uploadRateBps: per(this.rate, this.uploads),
      tasks: this.tasks,
      migrationsPerUserHour: per(this.mig.migrations, userHours),
      relaysPerUserHour: per(this.mig.relays, userHours),
      interruptionsPerUserHour: per(this.mig.interruptions, userHours),
      migrationDelayS: per(this.mig.migrationDelayS, this.mig.taskMigrations),
      relayDelayS: per(this.mig.relayDelayS, this.mig.relays),
      nextCellAccuracy: per(twin.predHits, twin.predTotal),
      nextCellAccuracyStay: per(twin.stayHits, twin.stayTotal),
      nextPositionErrorM: per(twin.positionErrorM, twin.positionTotal),
      fetchSavedShare: per(twin.requests - twin.fetches, twin.requests),
      fetchSavedBitsPerSlot: per(twin.bitsRequested - twin.bitsFetched, this.slots),
      fullHandshakesPerUserHour: per(this.auth.fullHandshakes, userHours),
      resumedSessionsPerUserHour: per(this.auth.resumed, userHours),
      authRefusalsPerUserHour: per(this.auth.refusals, userHours),
      authDelayS: per(this.auth.delayS, this.auth.delayed),
      refusedUsers: auth ? auth.refusedUsers : null,
      maliciousUsers: auth ? auth.maliciousUsers : null,
    };
  }
}
