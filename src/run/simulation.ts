// One trial's physical world, twin, kernels and migration control, advanced a slot at a time.
// A slot is prepare (move, associate, arrivals, twin sync: the observation to decide on), the
// caller's decisions, then commit (migration control, kernels with the minimum-rate admission,
// settling of migrations) and finish (metrics, completed tasks). The episode runner and the
// learning environment both drive it, so both simulate the same system.
import type { SlotLayout } from "../layout.js";
import type { Kernels, SlotParams } from "../kernels/types.js";
import type { Decisions } from "../contracts/decisions.js";
import type { AuthControl, AuthCounts } from "../control/auth-control.js";
import type { ControlUnit, SlotState } from "../control/control-unit.js";
import type { MigrationControl, MigrationCounts } from "../control/migration.js";
import type { Observation, TwinLayer } from "../twin/twin-layer.js";
import type { World } from "../world/world.js";
import { admitUploads } from "./admission.js";
import type { MetricAccumulator } from "./metrics.js";
import { REFUSED, type TaskLog } from "./task-log.js";

export interface SimulationOptions {
  params: SlotParams;
  slotS: number;
  /** Service placement; absent or mode "off": tasks run where the decisions send them. */
  migration?: MigrationControl;
  /** Authentication before offloading; absent or mode "off": every user is trusted. */
  auth?: AuthControl;
  taskLog?: TaskLog;
}

export class Simulation {
  readonly decisions: Decisions;
  private readonly taskType: Int32Array;
  private readonly serviceAtPlacement: Int32Array;
  /** The control units in the order they act: migration, then authentication. */
  private readonly units: ControlUnit<unknown>[];
  /** Each unit's counts of the slot being committed, for the metrics. */
  private readonly counts = new Map<ControlUnit<unknown>, unknown>();
  /** Time added before a task's offloaded part completes: relay penalty, state wait, authentication. */
  private readonly extraOffS: Float64Array;
  private obs: Observation | undefined;
  readonly users: number;
  readonly sites: number;

  constructor(readonly world: World, readonly twin: TwinLayer, readonly k: Kernels, readonly L: SlotLayout, readonly o: SimulationOptions) {
    const m = (this.users = world.users);
    this.sites = world.sites.count;
    L.siteX.set(world.sites.xM);
    L.siteY.set(world.sites.yM);
    L.siteCpuHz.set(world.sites.cpuHz);
    L.powerMw.set(world.powerMw);
    L.userCpuHz.set(world.cpuHz);
    this.taskType = new Int32Array(m);
    this.serviceAtPlacement = new Int32Array(m);
    this.extraOffS = new Float64Array(m);
    // Deciders get the decision arrays only: the physical state reaches them through the twin.
    this.decisions = { theta: L.theta.subarray(0, m), server: L.server.subarray(0, m), migrateTo: L.migrateTo.subarray(0, m), beta: L.beta.subarray(0, m) };
    this.units = [o.migration, o.auth].filter((u): u is MigrationControl | AuthControl => u !== undefined && u.enabled);
  }

  /** Moves the world to `slot` and returns the twin's observation; decisions default to all-local. */
  prepare(slot: number): Observation {
    const { world, L } = this;
    world.advance(slot);
    L.userX.set(world.pos.xM);
    L.userY.set(world.pos.yM);
    for (let i = 0; i < this.users; i++) {
      const task = world.traffic.head(i);
      L.active[i] = task ? 1 : 0;
      L.bits[i] = task ? task.bits : 0;
      L.cyclesPerBit[i] = task ? task.cyclesPerBit : 0;
      L.deadlineS[i] = task ? task.deadlineS : 0;
      this.taskType[i] = task ? task.type : -1;
      L.theta[i] = 1;
      L.migrateTo[i] = -1;
      L.beta[i] = 0;
    }
    const obs = (this.obs = this.twin.sync(slot, world, L, this.taskType));
    // The default site is the cell the twin knows, not the physical one.
    L.server.set(obs.serving);
    return obs;
  }

  /** Evaluates the slot with the decisions made; `who` names the decider in errors. */
  commit(who: string): void {
    const { L, o, obs } = this;
    if (!obs) throw new Error("Simulation.commit before prepare");
    checkDecisions(this.k, L, this.users, this.sites, who, obs.slot);
    const slot: SlotState = { obs, decisions: this.decisions, L, users: this.users, slotS: o.slotS, refused: L.refused, extraOffS: this.extraOffS };
    for (const u of this.units) u.apply(slot);
    if (o.taskLog) this.serviceAtPlacement.set(obs.serviceSite);
    admitUploads(this.k, L, this.users, this.sites, o.params);
    this.k.latency(L, this.users, this.sites, o.params);
    if (this.units.length > 0) {
      this.extraOffS.fill(0);
      for (const u of this.units) this.counts.set(u, u.settle(slot));
      this.retime();
    }
    this.twin.record(L);
  }

  /** T_proc = max(T_local, T_off + extra) for the tasks that got extra time; deadlines re-checked. */
  private retime(): void {
    const L = this.L;
    for (let i = 0; i < this.users; i++) {
      const extra = this.extraOffS[i];
      if (extra <= 0 || !L.active[i] || L.theta[i] >= 1) continue;
      L.tProcS[i] = Math.max(L.tLocalS[i], L.tTransS[i] + L.tExeS[i] + L.tMigS[i] + L.tExeTargetS[i] + extra);
      L.deadlineMet[i] = L.tProcS[i] <= L.deadlineS[i] ? 1 : 0;
    }
  }

  /** Counts the slot's tasks into `acc` (unless a warm-up slot) and removes them from the queues. */
  finish(acc: MetricAccumulator | undefined): void {
    const { L, world, o, obs } = this;
    if (acc) acc.addSlot(this.counts.get(o.migration!) as MigrationCounts | undefined, this.counts.get(o.auth!) as AuthCounts | undefined);
    for (let i = 0; i < this.users; i++) {
      if (!L.active[i]) continue;
      if (acc) {
        const waitS = (obs!.slot - world.traffic.head(i)!.arrivalSlot) * o.slotS;
        acc.addTask(L.tProcS[i], L.deadlineMet[i] === 1, L.theta[i], L.refused[i] === 1, L.rateBps[i], waitS);
        o.taskLog?.add(obs!.slot, i, L, world.serving[i], this.serviceAtPlacement[i], L.refused[i] ? REFUSED : o.migration?.event[i] ?? 0);
      }
      world.traffic.complete(i);
    }
  }
}

/** A decider's bug must fail loudly, not corrupt the kernels' memory or the results (one kernel call). */
function checkDecisions(k: Kernels, L: SlotLayout, m: number, n: number, who: string, slot: number): void {
  const i = k.machine.fns.firstInvalidDecision(m, n, L.active.byteOffset, L.theta.byteOffset, L.server.byteOffset, L.migrateTo.byteOffset, L.beta.byteOffset);
  if (i < 0) return;
  throw new Error(`policy ${who} made an invalid decision for user ${i} in slot ${slot}: theta=${L.theta[i]} server=${L.server[i]} migrateTo=${L.migrateTo[i]} beta=${L.beta[i]}`);
}
