// One episode of a policy: slots of prepare (world, twin) -> policy -> commit (migration
// control, kernels) -> finish (metrics).
import type { Policy } from "../policy/policy.js";
import type { TwinLayer } from "../twin/twin-layer.js";
import type { Metrics } from "../contracts/record.js";
import { AUTH_METRICS, MetricAccumulator, MIGRATION_METRICS, type TwinTotals } from "./metrics.js";
import type { Simulation } from "./simulation.js";

export interface EpisodeOptions {
  slots: number;
  warmupSlots: number;
}

function twinTotals(twin: TwinLayer, predictor: keyof TwinLayer["predictors"]["score"]): TwinTotals {
  const p = twin.predictors.score;
  const d = twin.dedup;
  return {
    predHits: p[predictor].hits, predTotal: p[predictor].total, stayHits: p.stay.hits, stayTotal: p.stay.total,
    positionErrorM: twin.predictors.positionScore.errorM, positionTotal: twin.predictors.positionScore.total,
    requests: d.requests, fetches: d.fetches, bitsRequested: d.bitsRequested, bitsFetched: d.bitsFetched,
  };
}

export function runEpisode(sim: Simulation, policy: Policy, o: EpisodeOptions): Metrics {
  const { twin, world } = sim;
  const predictor = world.config.twin.predictor;
  const acc = new MetricAccumulator();
  let atWarmupEnd = twinTotals(twin, predictor);
  for (let slot = 0; slot < o.slots; slot++) {
    if (slot === o.warmupSlots) atWarmupEnd = twinTotals(twin, predictor);
    const obs = sim.prepare(slot);
    policy.act(obs, sim.decisions);
    sim.commit(policy.name);
    policy.feedback?.(obs, sim.L);
    sim.finish(slot >= o.warmupSlots ? acc : undefined);
  }
  const end = twinTotals(twin, predictor);
  const counted = Object.fromEntries(Object.entries(end).map(([key, v]) => [key, v - atWarmupEnd[key as keyof TwinTotals]])) as unknown as TwinTotals;
  const auth = sim.o.auth?.enabled ? sim.o.auth : undefined;
  const metrics = acc.result(world.users, sim.o.slotS, counted, auth && { refusedUsers: auth.refusedUsers.size, maliciousUsers: auth.maliciousUsers });
  if (!sim.o.migration?.enabled) for (const key of MIGRATION_METRICS) metrics[key] = null;
  if (!auth) for (const key of AUTH_METRICS) metrics[key] = null;
  return metrics;
}
