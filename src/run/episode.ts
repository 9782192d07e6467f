// One episode: slots of move -> associate -> arrivals -> twin sync -> policy -> migration
// control -> kernels (with the sites refusing uploads below the minimum rate) -> settle
// migrations -> metrics.
import type { SlotLayout } from "../layout.js";
import type { Kernels, SlotParams } from "../kernels/types.js";
import type { Decisions, Policy } from "../policy/policy.js";
import { MigrationControl } from "../twin/migration.js";
import type { TwinLayer } from "../twin/twin-layer.js";
import type { World } from "../world/world.js";
import { admitUploads } from "./admission.js";
import { MetricAccumulator, type Metrics, type TwinTotals } from "./metrics.js";
import type { TaskLog } from "./task-log.js";

export interface EpisodeOptions {
  slots: number;
  warmupSlots: number;
  slotS: number;
  params: SlotParams;
  /** Service placement; absent or mode "off": tasks run where the policy sends them. */
  migration?: MigrationControl;
  /** Per-task records, if the scenario asks for them. */
  taskLog?: TaskLog;
}

const REFUSED = 3;

function twinTotals(twin: TwinLayer, predictor: keyof TwinLayer["predictors"]["score"]): TwinTotals {
  const p = twin.predictors.score;
  const d = twin.dedup;
  return {
    predHits: p[predictor].hits, predTotal: p[predictor].total, stayHits: p.stay.hits, stayTotal: p.stay.total,
    positionErrorM: twin.predictors.positionScore.errorM, positionTotal: twin.predictors.positionScore.total,
    requests: d.requests, fetches: d.fetches, bitsRequested: d.bitsRequested, bitsFetched: d.bitsFetched,
  };
}

export function runEpisode(world: World, twin: TwinLayer, policy: Policy, k: Kernels, L: SlotLayout, o: EpisodeOptions): Metrics {
  const m = world.users, n = world.sites.count;
  L.siteX.set(world.sites.xM);
  L.siteY.set(world.sites.yM);
  L.siteCpuHz.set(world.sites.cpuHz);
  L.powerMw.set(world.powerMw);
  L.userCpuHz.set(world.cpuHz);
  const acc = new MetricAccumulator();
  const refused = new Uint8Array(m);
  const taskType = new Int32Array(m);
  const serviceAtPlacement = new Int32Array(m);
  const predictor = world.config.twin.predictor;
  let atWarmupEnd: TwinTotals = twinTotals(twin, predictor);
  // Policies get the decision arrays only: the physical state reaches them through the twin.
  const decisions: Decisions = { theta: L.theta.subarray(0, m), server: L.server.subarray(0, m), migrateTo: L.migrateTo.subarray(0, m), beta: L.beta.subarray(0, m) };
  for (let slot = 0; slot < o.slots; slot++) {
    if (slot === o.warmupSlots) atWarmupEnd = twinTotals(twin, predictor);
    world.advance(slot);
    L.userX.set(world.pos.xM);
    L.userY.set(world.pos.yM);
    for (let i = 0; i < m; i++) {
      const task = world.traffic.head(i);
      L.active[i] = task ? 1 : 0;
      L.bits[i] = task ? task.bits : 0;
      L.cyclesPerBit[i] = task ? task.cyclesPerBit : 0;
      L.deadlineS[i] = task ? task.deadlineS : 0;
      taskType[i] = task ? task.type : -1;
      // Default decision, which the policy overwrites where it decides otherwise.
      L.theta[i] = 1;
      L.server[i] = world.serving[i];
      L.migrateTo[i] = -1;
      L.beta[i] = 0;
    }
    const obs = twin.sync(slot, world, L, taskType);
    policy.act(obs, decisions);
    checkDecisions(L, m, n, policy.name, slot);
    o.migration?.apply(obs, decisions);
    serviceAtPlacement.set(obs.serviceSite);
    admitUploads(k, L, m, n, o.params, refused);
    k.latency(L, m, n, o.params);
    const moved = o.migration?.settle(L, refused, obs);
    twin.record(L);
    const counted = slot >= o.warmupSlots;
    if (counted) acc.addSlot(moved);
    for (let i = 0; i < m; i++) {
      if (!L.active[i]) continue;
      if (counted) {
        const waitS = (slot - world.traffic.head(i)!.arrivalSlot) * o.slotS;
        acc.addTask(L.tProcS[i], L.deadlineMet[i] === 1, L.theta[i], refused[i] === 1, L.rateBps[i], waitS);
        o.taskLog?.add(slot, i, L, world.serving[i], serviceAtPlacement[i], refused[i] ? REFUSED : o.migration?.event[i] ?? 0);
      }
      world.traffic.complete(i);
    }
  }
  const end = twinTotals(twin, predictor);
  const counted = Object.fromEntries(Object.entries(end).map(([key, v]) => [key, v - atWarmupEnd[key as keyof TwinTotals]])) as unknown as TwinTotals;
  const metrics = acc.result(m, o.slotS, counted);
  if (!o.migration?.enabled) {
    for (const key of ["migrationsPerUserHour", "relaysPerUserHour", "interruptionsPerUserHour", "migrationDelayS", "relayDelayS"] as const) metrics[key] = null;
  }
  return metrics;
}

/** A policy bug must fail loudly, not corrupt the kernels' memory or the results. */
function checkDecisions(L: SlotLayout, m: number, n: number, policy: string, slot: number): void {
  for (let i = 0; i < m; i++) {
    if (!L.active[i]) continue;
    const th = L.theta[i], j = L.server[i], t = L.migrateTo[i], b = L.beta[i];
    const ok = th >= 0 && th <= 1 && j >= 0 && j < n && (t === -1 || (t >= 0 && t < n && t !== j))
      && b >= 0 && b <= 1 - th + 1e-12 && (t !== -1 || b === 0);
    if (!ok) throw new Error(`policy ${policy} made an invalid decision for user ${i} in slot ${slot}: theta=${th} server=${j} migrateTo=${t} beta=${b}`);
  }
}
