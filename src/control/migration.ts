// The service migration control unit (paper III-D.3, Fig. 3). Each user's service lives on a
// site (the twin's serviceSite), the one where the user's first task was served. Each slot the unit
// decides where the service should be:
// - relay: where it is (services never move);
// - reactive: its user's current cell (after the user has moved there);
// - proactive: the cell the user is about to enter: the twin's next-cell prediction, or, with
//   the hysteresis trigger, a site received hysteresisDb stronger than the service's site
//   (the paper's RNIS notice; against the user's serving cell it could never fire, since
//   users associate with the strongest site).
// Per user the unit is idle or copying. A migration copies the service's state (stateBits)
// over the backhaul, make-before-break: the service keeps serving at its site s until the
// first slot after the copy is ready. When the state is empty (stateBits 0), a task placed at
// s or at the new site in the slot of the decision carries the migration instead (eq. 7-9):
// it is uploaded to s (if the twin expects that feasible), beta = sourceShare x (1 - theta)
// of it runs at s, the rest moves to the new site at R_mig and runs there, and the service is
// there from the next slot. (Reactively, the user has already left s's cell, so that upload
// is the longer one: the price of reacting late.) Any offloaded task sent to a site
// j != s is relayed: uploaded to j, its offloaded part carried over the backhaul to s and run
// there (eq. 7-8 with source j and beta 0), plus relayPenaltyS.
// A policy may migrate a service itself (migrateTo): its task carries the migration from s,
// waiting for the state copy before running at the target; the unit drops the action in relay
// mode, during a copy, or when the twin expects the upload to s to be infeasible.
import type { TrialConfig } from "../scenario/schema.js";
import { DEFAULT_BACKHAUL_BPS } from "../model/params.js";
import { expectedRateBps, rxMw, type EstimateContext } from "../twin/estimate.js";
import type { Observation } from "../twin/twin-layer.js";
import type { ControlUnit, SlotState } from "./control-unit.js";

const NONE = 0, MIGRATE = 1, RELAY = 2;

export interface MigrationCounts {
  migrations: number;
  /** Migrations carried by a task (eq. 7-9), a subset of `migrations`. */
  taskMigrations: number;
  relays: number;
  interruptions: number;
  /** Sum over tasks that carried a migration of the time it added (T_mig and any wait for the state), s. */
  migrationDelayS: number;
  /** Sum over relayed tasks of T_mig plus the penalty, s. */
  relayDelayS: number;
}

export class MigrationControl implements ControlUnit<MigrationCounts> {
  /** What the unit did to each user's task this slot: NONE, MIGRATE or RELAY. */
  readonly event: Uint8Array;
  /** Per user: the site its service is being copied to (-1: idle), and the first slot it serves there. */
  private readonly movingTo: Int32Array;
  private readonly readySlot: Float64Array;
  private readonly copyS: number;

  constructor(private readonly c: TrialConfig["migration"], private readonly ctx: EstimateContext & { slotS: number; backhaulRateBps: number | null }, users: number) {
    this.event = new Uint8Array(users);
    this.movingTo = new Int32Array(users).fill(-1);
    this.readySlot = new Float64Array(users);
    this.copyS = c.stateBits / (ctx.backhaulRateBps ?? DEFAULT_BACKHAUL_BPS);
  }

  get enabled(): boolean {
    return this.c.mode !== "off";
  }

  /** Completes copies that are ready, then routes this slot's offloaded tasks to their services. */
  apply({ obs, decisions: d }: SlotState): void {
    this.event.fill(NONE);
    if (!this.enabled) return;
    for (let i = 0; i < obs.users; i++) {
      if (this.movingTo[i] >= 0 && this.readySlot[i] <= obs.slot) {
        obs.serviceSite[i] = this.movingTo[i];
        this.movingTo[i] = -1;
      }
      if (!obs.active[i] || d.theta[i] >= 1) continue;
      const j = d.server[i];
      if (obs.serviceSite[i] < 0) {
        // No service yet: it starts where this task is served (settle records it), so a
        // policy's migration of it means nothing.
        d.migrateTo[i] = -1;
        d.beta[i] = 0;
        continue;
      }
      const s = obs.serviceSite[i], idle = this.movingTo[i] < 0;
      if (d.migrateTo[i] >= 0) {
        const t = d.migrateTo[i];
        if (idle && this.c.mode !== "relay" && t !== s && expectedRateBps(obs, this.ctx, i, s) >= this.ctx.channel.minRateBps) {
          d.server[i] = s;
          this.event[i] = MIGRATE;
          continue;
        }
        d.migrateTo[i] = -1;
        d.beta[i] = 0;
      }
      const want = idle ? this.desiredSite(obs, i, s) : s;
      const feasible = (): boolean => expectedRateBps(obs, this.ctx, i, s) >= this.ctx.channel.minRateBps;
      if (want !== s && this.copyS === 0 && (j === s || j === want) && feasible()) {
        d.server[i] = s;
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

  private startCopy(i: number, to: number, slot: number): void {
    this.movingTo[i] = to;
    this.readySlot[i] = slot + Math.max(1, Math.ceil(this.copyS / this.ctx.slotS));
  }

  /**
   * After the kernels: carried migrations start their copy (their target part waits for the
   * state), relayed tasks pay the penalty (both added to `extraOffS`, time before the task's
   * offloaded part completes), idle services that should move start copying, and the slot's
   * events are counted. A task whose upload the sites refused (it ran locally) interrupted
   * its service, and moved nothing.
   */
  settle({ L, refused, obs, extraOffS }: SlotState): MigrationCounts {
    const counts: MigrationCounts = { migrations: 0, taskMigrations: 0, relays: 0, interruptions: 0, migrationDelayS: 0, relayDelayS: 0 };
    if (!this.enabled) return counts;
    for (let i = 0; i < obs.users; i++) {
      // A task that ended up local (authentication refused its user) neither relays nor migrates.
      if (this.event[i] !== NONE && L.theta[i] >= 1 && !refused[i]) this.event[i] = NONE;
      const e = this.event[i];
      if (e !== NONE && refused[i]) {
        counts.interruptions++;
        this.event[i] = NONE;
      } else if (e === MIGRATE) {
        const wait = Math.max(0, this.copyS - (L.tTransS[i] + L.tExeS[i] + L.tMigS[i]));
        extraOffS[i] += wait;
        this.startCopy(i, L.migrateTo[i], obs.slot);
        counts.migrations++;
        counts.taskMigrations++;
        counts.migrationDelayS += L.tMigS[i] + wait;
        continue;
      } else if (e === RELAY) {
        extraOffS[i] += this.c.relayPenaltyS;
        counts.relays++;
        counts.relayDelayS += L.tMigS[i] + this.c.relayPenaltyS;
      }
      const s = obs.serviceSite[i];
      if (s < 0) {
        // A service starts where its user's first task was actually served.
        if (L.active[i] && L.theta[i] < 1 && !refused[i]) obs.serviceSite[i] = L.server[i];
        continue;
      }
      if (this.movingTo[i] >= 0) continue;
      const want = this.desiredSite(obs, i, s);
      if (want !== s) {
        this.startCopy(i, want, obs.slot);
        counts.migrations++;
      }
    }
    return counts;
  }

}
