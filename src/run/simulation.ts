// One trial's physical world, twin, kernels and control units, advanced a slot at a time.
// A slot is prepare (move, associate, arrivals, twin sync: the observation to decide on), the
// caller's decisions, then commit (control units, the kernels with the minimum-rate admission,
// settling) and finish (metric sums, completed tasks). Every per-user loop is a kernel call;
// TypeScript touches users only for what the kernels cannot do (control units that are on,
// per-task logs that are asked for). `reset(seed)` starts a new episode in the same buffers.
// The episode runner and the learning environment both drive it, so both simulate the same system.
import type { SlotLayout } from "../layout.js";
import type { Kernels, SlotParams } from "../kernels/types.js";
import type { Decisions } from "../contracts/decisions.js";
import type { AuthControl, AuthCounts } from "../control/auth-control.js";
import type { ControlUnit, SlotState } from "../control/control-unit.js";
import type { MigrationControl, MigrationCounts } from "../control/migration.js";
import type { Observation, TwinLayer } from "../twin/twin-layer.js";
import type { World } from "../world/world.js";
import { admitUploads } from "./admission.js";
import { KernelMetrics } from "./kernel-metrics.js";
import { REFUSED, type TaskLog } from "./task-log.js";

/** The control units of an episode (fresh ones for each: they hold per-episode state). */
export interface ControlUnits {
  /** Service placement; absent or mode "off": tasks run where the decisions send them. */
  migration?: MigrationControl;
  /** Authentication before offloading; absent or mode "off": every user is trusted. */
  auth?: AuthControl;
}

export interface SimulationOptions {
  params: SlotParams;
  slotS: number;
  /** The episode's seed (the world's); `reset` replaces it. */
  seed: number | string;
  /** The control units of a new episode of seed `seed` (the authority's seed defaults to it). */
  units: (seed: number | string) => ControlUnits;
  taskLog?: TaskLog;
}

export class Simulation {
  readonly decisions: Decisions;
  /** The episode's metric sums, in kernel memory. */
  readonly metrics: KernelMetrics;
  private serviceAtPlacement: Int32Array;
  /** The control units on this episode, in the order they act: migration, then authentication. */
  private units: ControlUnit<unknown>[] = [];
  private control: ControlUnits = {};
  /** Each unit's counts of the slot being committed, for the metrics. */
  private readonly counts = new Map<ControlUnit<unknown>, unknown>();
  /** Time added before a task's offloaded part completes: relay penalty, state wait, authentication. */
  private readonly extraOffS: Float64Array;
  private obs: Observation | undefined;
  readonly users: number;
  readonly sites: number;

  constructor(readonly world: World, readonly twin: TwinLayer, readonly k: Kernels, readonly L: SlotLayout, readonly o: SimulationOptions) {
    if (k.machine !== world.machine) throw new Error("Simulation: the world and the kernels must share one kernel memory");
    const m = (this.users = world.users);
    this.sites = world.sites.count;
    L.powerMw.set(world.powerMw);
    L.userCpuHz.set(world.cpuHz);
    this.serviceAtPlacement = new Int32Array(0);
    this.extraOffS = new Float64Array(m);
    this.metrics = new KernelMetrics(k.machine);
    // Deciders get the decision arrays only: the physical state reaches them through the twin.
    this.decisions = {} as Decisions;
    k.machine.bind(() => Object.assign(this.decisions, { theta: L.theta.subarray(0, m), server: L.server.subarray(0, m), migrateTo: L.migrateTo.subarray(0, m), beta: L.beta.subarray(0, m) }));
    this.start();
  }

  /** The control units of the episode (the task log's, and the migration unit's, event codes read them). */
  get migration(): MigrationControl | undefined {
    return this.control.migration;
  }

  get auth(): AuthControl | undefined {
    return this.control.auth;
  }

  /**
   * A new episode of seed `seed` in the same buffers: world re-seeded, twin and metric sums
   * cleared, fresh control units; `taskLog` (or none) records its tasks.
   */
  reset(seed: number | string, taskLog?: TaskLog): void {
    this.world.reset(seed);
    this.o.seed = seed;
    this.o.taskLog = taskLog;
    this.start();
  }

  private start(): void {
    const { L, world } = this, n = this.sites;
    L.siteX.set(world.sites.xM.subarray(0, n));
    L.siteY.set(world.sites.yM.subarray(0, n));
    L.siteCpuHz.set(world.sites.cpuHz.subarray(0, n));
    this.twin.reset();
    this.metrics.reset();
    this.control = this.o.units(this.o.seed);
    this.units = [this.control.migration, this.control.auth].filter((u): u is MigrationControl | AuthControl => u !== undefined && u.enabled);
    this.counts.clear();
    if (this.o.taskLog && this.serviceAtPlacement.length !== this.users) this.serviceAtPlacement = new Int32Array(this.users);
    this.obs = undefined;
  }

  /** Moves the world to `slot` and returns the twin's observation; decisions default to all-local. */
  prepare(slot: number): Observation {
    const { world, L } = this;
    world.advance(slot);
    L.userX.set(world.motion.xM);
    L.userY.set(world.motion.yM);
    world.traffic.prepare(L);
    const obs = (this.obs = this.twin.sync(slot));
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
    this.twin.record();
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

  /** Adds the slot's tasks to the metric sums (unless a warm-up slot) and removes them from the queues. */
  finish(counted: boolean): void {
    const { L, world, o, obs } = this;
    const slot = obs!.slot;
    if (counted) {
      const c = this.control;
      this.metrics.addSlot(this.counts.get(c.migration!) as MigrationCounts | undefined, this.counts.get(c.auth!) as AuthCounts | undefined);
      this.metrics.addTasks(this.users, { active: L.active.byteOffset, tProcS: L.tProcS.byteOffset, deadlineMet: L.deadlineMet.byteOffset, theta: L.theta.byteOffset,
        refused: L.refused.byteOffset, rateBps: L.rateBps.byteOffset, arrivalSlot: L.arrivalSlot.byteOffset }, slot, o.slotS);
      if (o.taskLog) {
        for (let i = 0; i < this.users; i++) {
          if (L.active[i]) o.taskLog.add(slot, i, L, world.serving[i], this.serviceAtPlacement[i], L.refused[i] ? REFUSED : c.migration?.event[i] ?? 0);
        }
      }
    }
    world.traffic.complete(L.active);
  }
}

/** A decider's bug must fail loudly, not corrupt the kernels' memory or the results (one kernel call). */
function checkDecisions(k: Kernels, L: SlotLayout, m: number, n: number, who: string, slot: number): void {
  const i = k.machine.fns.firstInvalidDecision(m, n, L.active.byteOffset, L.theta.byteOffset, L.server.byteOffset, L.migrateTo.byteOffset, L.beta.byteOffset);
  if (i < 0) return;
  throw new Error(`policy ${who} made an invalid decision for user ${i} in slot ${slot}: theta=${L.theta[i]} server=${L.server[i]} migrateTo=${L.migrateTo[i]} beta=${L.beta[i]}`);
}
