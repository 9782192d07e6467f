// The service migration control unit (paper III-D.3, Fig. 3). Each user's service lives on a
// site (the twin's serviceSite). Each slot the unit decides where the service should be:
// - relay: where it is (services never move);
// - reactive: its user's current cell (after the user has moved there);
// - proactive: the cell the user is about to enter: the twin's next-cell prediction, or, with
//   the hysteresis trigger, a site received hysteresisDb stronger than the service's own (the
//   paper's RNIS notice).
// Migration is make-before-break: the service keeps serving at its site s while its state
// (stateBits) moves over the backhaul, and serves at the new site from the first slot after
// the copy is ready. Meanwhile, for each offloaded task:
// - uploaded to s while its service is leaving s: the task carries the migration (eq. 7-9):
//   beta = sourceShare x (1 - theta) runs at s, the rest moves to the new site and runs there,
//   and the service is there from the next slot;
// - uploaded to another site j: it is relayed, its offloaded part carried over the backhaul
//   from j to s and run there (eq. 7-8 with source j and beta 0), plus relayPenaltyS.
// A policy may migrate a service itself (migrateTo): the unit enforces that the task carries it
// from the service's site and that the upload there is feasible, or drops the action.
import type { SlotLayout } from "../layout.js";
import type { Decisions } from "../policy/policy.js";
import type { TrialConfig } from "../scenario/schema.js";
import { expectedRateBps, rxMw, type EstimateContext } from "./estimate.js";
import type { Observation } from "./twin-layer.js";

export const NONE = 0, MIGRATE = 1, RELAY = 2;

/** Rate of state transfers when the scenario leaves the backhaul unset (eq. 7's literal R_i). */
export const DEFAULT_BACKHAUL_BPS = 1e9;

export interface MigrationCounts {
  migrations: number;
  /** Migrations carried by a task (eq. 7-9), a subset of `migrations`. */
  taskMigrations: number;
  relays: number;
  interruptions: number;
  /** Sum of T_mig of the tasks that carried a migration, and of T_mig plus the penalty of relayed ones, s. */
  migrationDelayS: number;
  relayDelayS: number;
}

export class MigrationControl {
  /** What the unit did to each user's task this slot: NONE, MIGRATE or RELAY. */
  readonly event: Uint8Array;
  /** Where each service is moving (-1: not moving), and the slot its copy is ready there. */
  private readonly movingTo: Int32Array;
  private readonly readySlot: Float64Array;
  private readonly transferSlots: number;

  constructor(private readonly c: TrialConfig["migration"], private readonly ctx: EstimateContext & { slotS: number; backhaulRateBps: number | null }, users: number) {
    this.event = new Uint8Array(users);
    this.movingTo = new Int32Array(users).fill(-1);
    this.readySlot = new Float64Array(users);
    this.transferSlots = c.stateBits / (ctx.backhaulRateBps ?? DEFAULT_BACKHAUL_BPS) / ctx.slotS;
  }

  get enabled(): boolean {
    return this.c.mode !== "off";
  }

  /** Moves services whose copies are ready, then routes this slot's offloaded tasks to their services. */
  apply(obs: Observation, d: Decisions): void {
    this.event.fill(NONE);
    if (!this.enabled) return;
    for (let i = 0; i < obs.users; i++) {
      if (this.movingTo[i] >= 0 && this.readySlot[i] <= obs.slot) {
        obs.serviceSite[i] = this.movingTo[i];
        this.movingTo[i] = -1;
      }
      if (!obs.active[i] || d.theta[i] >= 1) continue;
      const j = d.server[i], s = obs.serviceSite[i];
      if (s < 0) {
        obs.serviceSite[i] = j; // a service starts where it is first used
        continue;
      }
      if (d.migrateTo[i] >= 0 && this.policyMigration(obs, d, i, s)) continue;
      const want = this.movingTo[i] >= 0 ? this.movingTo[i] : this.desiredSite(obs, i, s);
      if (j === s && want !== s) {
        d.migrateTo[i] = want;
        d.beta[i] = this.c.sourceShare * (1 - d.theta[i]);
        this.event[i] = MIGRATE;
      } else if (j !== s) {
        d.migrateTo[i] = s;
        d.beta[i] = 0;
        this.event[i] = RELAY;
      }
    }
  }

  /**
   * A policy's own migration action (migrateTo set): the task must carry it from the service's
   * site s, so it is uploaded there, and only if the twin expects that upload to be feasible
   * and the target differs from s. Otherwise the action is dropped and the task is routed as
   * any other. Returns whether the action stands.
   */
  private policyMigration(obs: Observation, d: Decisions, i: number, s: number): boolean {
    const target = d.migrateTo[i];
    if (target !== s && expectedRateBps(obs, this.ctx, i, s) >= this.ctx.channel.minRateBps) {
      if (d.server[i] !== s) {
        d.server[i] = s;
        d.beta[i] = 0;
      }
      this.event[i] = MIGRATE;
      return true;
    }
    d.migrateTo[i] = -1;
    d.beta[i] = 0;
    return false;
  }

  /** Where user i's service should be now, by the mode and trigger; s where it is. */
  private desiredSite(obs: Observation, i: number, s: number): number {
    if (this.c.mode === "relay") return s;
    if (this.c.mode === "reactive") return obs.serving[i];
    if (this.c.trigger === "prediction") return obs.predictedCell[i] >= 0 ? obs.predictedCell[i] : obs.serving[i];
    const dMin = this.ctx.channel.dMinM;
    let best = s, bestRx = rxMw(obs, i, s, dMin) * 10 ** (this.c.hysteresisDb / 10);
    for (let k = 0; k < obs.sites.count; k++) {
      const r = rxMw(obs, i, k, dMin);
      if (r > bestRx) {
        best = k;
        bestRx = r;
      }
    }
    return best;
  }

  /**
   * After the kernels: adds the relay penalty to relayed tasks' T_proc (re-checking their
   * deadline), lets tasks that carried a migration move their service, starts the state
   * transfers of services that should move, and counts what happened this slot. A task whose
   * upload the sites refused (it ran locally) interrupted its service.
   */
  settle(L: SlotLayout, refused: Uint8Array, obs: Observation): MigrationCounts {
    const counts: MigrationCounts = { migrations: 0, taskMigrations: 0, relays: 0, interruptions: 0, migrationDelayS: 0, relayDelayS: 0 };
    if (!this.enabled) return counts;
    for (let i = 0; i < obs.users; i++) {
      const e = this.event[i];
      if (e !== NONE && refused[i]) {
        counts.interruptions++;
        this.event[i] = NONE;
      } else if (e === MIGRATE) {
        // The task took the service's remaining work along (eq. 7-9): it is there next slot.
        this.movingTo[i] = L.migrateTo[i];
        this.readySlot[i] = obs.slot + 1;
        counts.migrations++;
        counts.taskMigrations++;
        counts.migrationDelayS += L.tMigS[i];
        continue;
      } else if (e === RELAY) {
        const tOff = L.tTransS[i] + L.tExeS[i] + L.tMigS[i] + L.tExeTargetS[i] + this.c.relayPenaltyS;
        L.tProcS[i] = Math.max(L.tLocalS[i], tOff);
        L.deadlineMet[i] = L.tProcS[i] <= L.deadlineS[i] ? 1 : 0;
        counts.relays++;
        counts.relayDelayS += L.tMigS[i] + this.c.relayPenaltyS;
      }
      const s = obs.serviceSite[i];
      if (s < 0 || this.movingTo[i] >= 0) continue;
      const want = this.desiredSite(obs, i, s);
      if (want !== s) {
        this.movingTo[i] = want;
        this.readySlot[i] = obs.slot + Math.max(1, Math.ceil(this.transferSlots));
        counts.migrations++;
      }
    }
    return counts;
  }
}
