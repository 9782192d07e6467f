// A trial is a pure function of its spec (and the backend): the unit that sweeps,
// workers, shards and resumes move around.
import { wasmSha256, type Backend } from "../kernels/index.js";
import { createPolicy, QLearner } from "../policy/index.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { TrialSpec } from "../contracts/trial-spec.js";
import { stream } from "../world/rng.js";
import { userCount } from "../scenario/users.js";
import { buildSimulation, kernelsFor } from "./build-simulation.js";
import { codeHash } from "./code-hash.js";
import { runEpisode } from "./episode.js";
import type { Simulation } from "./simulation.js";
import { TaskLog } from "./task-log.js";
import type { TrainingRecord, TrialRecord, TrialRecordBase } from "../contracts/record.js";

// The record types live in the contract that results reads them by.

export interface TrialOutput {
  /** The sweep commits it with a digest. */
  record: TrialRecord;
  /** Per-task records (tasks/<id>.csv), when the scenario asks for them. */
  taskCsv?: string;
}

/** Runs one trial; a thrown error becomes a failed record (the sweep goes on). */
export function runTrial(spec: TrialSpec, backend: Backend): TrialOutput {
  const base: TrialRecordBase = {
    id: spec.id, scenario: spec.scenario, pointIndex: spec.pointIndex, point: spec.point, policy: spec.policy, seed: spec.seed, config: spec.config, backend,
    codeHash: codeHash(), wasmSha256: backend === "wasm" ? wasmSha256() : null,
  };
  try {
    const c = spec.config;
    // One simulation for the trial, reset for each episode: its layout, world, twin, metric sums
    // and the policy's buffers and tables all live in one kernel memory, allocated once.
    const kernels = kernelsFor(backend, userCount(c), c.sites.count);
    const sim = buildSimulation(c, { seed: spec.seed, backend, baseDir: spec.baseDir, authSeed: spec.seed, kernels });
    const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy"), seed: spec.seed };
    const policy = createPolicy(spec.policy, ctx, { config: c, users: sim.users, backend: kernels.k.machine, layout: kernels.L });
    const training = policy instanceof QLearner ? train(policy, c, spec, sim) : undefined;
    const taskLog = c.output.taskRecords ? new TaskLog() : undefined;
    sim.reset(spec.seed, taskLog);
    const metrics = runEpisode(sim, policy, { slots: c.slots, warmupSlots: c.warmupSlots });
    const record: TrialRecord = { ...base, status: "ok", users: sim.users, sites: sim.sites, slots: c.slots - c.warmupSlots, metrics, ...(training ? { training } : {}) };
    return taskLog ? { record, taskCsv: taskLog.csv() } : { record };
  } catch (e) {
    return { record: { ...base, status: "failed", error: e instanceof Error ? e.message : String(e) } };
  }
}

/**
 * Trains a learner for the scenario's episodes, each the simulation reset to a world of the
 * trial's seed and the episode's number (so training never sees the evaluation world), then
 * leaves it greedy and frozen for the evaluation episode.
 */
function train(learner: QLearner, c: TrialConfig, spec: TrialSpec, sim: Simulation): TrainingRecord {
  const l = c.learning;
  const rewardByEpisode: (number | null)[] = [];
  for (let e = 0; e < l.episodes; e++) {
    learner.training = true;
    learner.epsilon = learner.epsilonAt(e);
    sim.reset(`${spec.seed}/train${e}`);
    runEpisode(sim, learner, { slots: l.slotsPerEpisode, warmupSlots: 0 });
    learner.endEpisode();
    rewardByEpisode.push(learner.takeMeanReward());
  }
  learner.training = false;
  learner.takeMeanReward();
  return { episodes: l.episodes, slotsPerEpisode: l.slotsPerEpisode, tableBytes: learner.t.tableBytes, rewardByEpisode };
}
