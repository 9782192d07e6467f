// One episode of a policy: slots of prepare (world, twin) -> policy -> commit (control units,
// kernels) -> finish (metric sums). The simulation is reset by its owner before the episode.
import type { Policy } from "../policy/policy.js";
import type { TwinCounters } from "../twin/twin-layer.js";
import type { PredictorName } from "../twin/predictors.js";
import type { Metrics } from "../contracts/record.js";
import { AUTH_METRICS, MIGRATION_METRICS, type TwinTotals } from "./metrics.js";
import type { Simulation } from "./simulation.js";

export interface EpisodeOptions {
  slots: number;
  warmupSlots: number;
}

function twinTotals(twin: TwinCounters, predictor: PredictorName): TwinTotals {
  const used = twin.score(predictor), stay = twin.score("stay"), pos = twin.positionScore, d = twin.dedup;
  return {
    predHits: used.hits, predTotal: used.total, stayHits: stay.hits, stayTotal: stay.total,
    positionErrorM: pos.errorM, positionTotal: pos.total,
    requests: d.requests, fetches: d.fetches, bitsRequested: d.bitsRequested, bitsFetched: d.bitsFetched,
  };
}

/** One slot of a policy (prepare, act, commit, feedback, finish): runEpisode's step, and the browser view's (web/worker.ts). */
export function runSlot(sim: Simulation, policy: Policy, slot: number, counted: boolean): void {
  const obs = sim.prepare(slot);
  policy.act(obs, sim.decisions);
  sim.commit(policy.name);
  policy.feedback?.(obs, sim.L);
  sim.finish(counted);
}

/** The twin's counters now: runEpisode and the environment (src/env) mark them at the warm-up's end. */
export function twinMark(sim: Simulation): TwinTotals {
  return twinTotals(sim.twin.counters, sim.world.config.twin.predictor);
}

export function runEpisode(sim: Simulation, policy: Policy, o: EpisodeOptions): Metrics {
  let atWarmupEnd = twinMark(sim);
  for (let slot = 0; slot < o.slots; slot++) {
    if (slot === o.warmupSlots) atWarmupEnd = twinMark(sim);
    runSlot(sim, policy, slot, slot >= o.warmupSlots);
  }
  return episodeMetrics(sim, atWarmupEnd);
}

/** The episode's metrics record (trials/<id>.json "metrics"), its twin counters counted from `atWarmupEnd`: runEpisode's, and the environment's after its last step. */
export function episodeMetrics(sim: Simulation, atWarmupEnd: TwinTotals): Metrics {
  const { world } = sim;
  const end = twinMark(sim);
  const counted = Object.fromEntries(Object.entries(end).map(([key, v]) => [key, v - atWarmupEnd[key as keyof TwinTotals]])) as unknown as TwinTotals;
  const auth = sim.auth?.enabled ? sim.auth : undefined;
  const metrics = sim.metrics.result(world.users, sim.o.slotS, counted, auth && { refusedUsers: auth.refusedUsers.size, maliciousUsers: auth.maliciousUsers });
  if (!sim.migration?.enabled) for (const key of MIGRATION_METRICS) metrics[key] = null;
  if (!auth) for (const key of AUTH_METRICS) metrics[key] = null;
  return metrics;
}
