// The service migration control unit (paper III-D.3, Fig. 3). Each user's service lives on a
// site (the twin's serviceSite). After the policy has placed the slot's tasks, the unit
// reconciles each placement with the service's location, and after the kernels it settles
// what happened: migrations done, relays paid, services interrupted.
//
// Where a service should be: its user's cell (reactive: after the user has moved there), the
// cell the user is about to enter (proactive: the twin's next-cell prediction, or, with the
// hysteresis trigger, a site received hysteresisDb stronger than the service's: the paper's
// RNIS notice), or where it is (relay). When that differs from where it is, the next task
// carries the migration: it is uploaded to the service's site s, beta = sourceShare x
// (1 - theta) of it runs there, the rest moves to the new site and runs there (eq. 7-9),
// and the service then lives there. Migrating needs a feasible upload to s by the twin's
// estimate. A task the policy sends to a site j != s that does not migrate the service is
// relayed: uploaded to j, its offloaded part carried over the backhaul to s and run there
// (eq. 7-8 with source j and beta 0), plus a fixed relayPenaltyS.
import type { SlotLayout } from "../layout.js";
import type { Decisions } from "../policy/policy.js";
import { expectedRateBps, rxMw, type EstimateContext } from "./estimate.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { Observation } from "./twin-layer.js";

export const NONE = 0, MIGRATE = 1, RELAY = 2;

export interface MigrationCounts {
  migrations: number;
  relays: number;
  interruptions: number;
  /** Sum of T_mig of the migrating tasks, and of T_mig plus the penalty of relayed ones, s. */
  migrationDelayS: number;
  relayDelayS: number;
}

export class MigrationControl {
  /** What the unit did to each user's task this slot: NONE, MIGRATE or RELAY. */
  readonly event: Uint8Array;

  constructor(private readonly c: TrialConfig["migration"], private readonly ctx: EstimateContext, users: number) {
    this.event = new Uint8Array(users);
  }

  get enabled(): boolean {
    return this.c.mode !== "off";
  }

  /** Rewrites the policy's decisions so every offloaded task reaches its service. */
  apply(obs: Observation, d: Decisions): void {
    this.event.fill(NONE);
    if (!this.enabled) return;
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i] || d.theta[i] >= 1 || d.migrateTo[i] >= 0) continue;
      const j = d.server[i], s = obs.serviceSite[i];
      if (s < 0) {
        obs.serviceSite[i] = j; // a service starts where it is first used
        continue;
      }
      const want = this.desiredSite(obs, i, s);
      if (want !== s && expectedRateBps(obs, this.ctx, i, s) >= this.ctx.channel.minRateBps) {
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

  /**
   * After the kernels: moves the services that migrated, adds the relay penalty to relayed
   * tasks' T_proc (and re-checks their deadline), and counts what happened this slot. A task
   * whose upload the sites refused (it ran locally) interrupted its service: nothing moved.
   */
  settle(L: SlotLayout, refused: Uint8Array, obs: Observation): MigrationCounts {
    const counts: MigrationCounts = { migrations: 0, relays: 0, interruptions: 0, migrationDelayS: 0, relayDelayS: 0 };
    for (let i = 0; i < this.event.length; i++) {
      const e = this.event[i];
      if (e === NONE) continue;
      if (refused[i]) {
        counts.interruptions++;
        this.event[i] = NONE;
      } else if (e === MIGRATE) {
        obs.serviceSite[i] = L.migrateTo[i];
        counts.migrations++;
        counts.migrationDelayS += L.tMigS[i];
      } else {
        const tOff = L.tTransS[i] + L.tExeS[i] + L.tMigS[i] + L.tExeTargetS[i] + this.c.relayPenaltyS;
        L.tProcS[i] = Math.max(L.tLocalS[i], tOff);
        L.deadlineMet[i] = L.tProcS[i] <= L.deadlineS[i] ? 1 : 0;
        counts.relays++;
        counts.relayDelayS += L.tMigS[i] + this.c.relayPenaltyS;
      }
    }
    return counts;
  }
}
