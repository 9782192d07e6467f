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
    // One kernel memory for the trial: its layout, every episode's buffers and the learner's tables.
    const kernels = kernelsFor(backend, userCount(c), c.sites.count);
    const build = (seed: number | string, taskLog?: TaskLog): Simulation =>
      buildSimulation(c, { seed, backend, baseDir: spec.baseDir, taskLog, authSeed: spec.seed, kernels });
    const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy"), seed: spec.seed };
    const policy = createPolicy(spec.policy, ctx, { config: c, users: userCount(c), backend: kernels.k.machine });
    const training = policy instanceof QLearner ? train(policy, c, spec, build) : undefined;
    const taskLog = c.output.taskRecords ? new TaskLog() : undefined;
    const sim = build(spec.seed, taskLog);
    const metrics = runEpisode(sim, policy, { slots: c.slots, warmupSlots: c.warmupSlots });
    const record: TrialRecord = { ...base, status: "ok", users: sim.users, sites: sim.sites, slots: c.slots - c.warmupSlots, metrics, ...(training ? { training } : {}) };
    return taskLog ? { record, taskCsv: taskLog.csv() } : { record };
  } catch (e) {
    return { record: { ...base, status: "failed", error: e instanceof Error ? e.message : String(e) } };
  }
}

/**
 * Trains a learner for the scenario's episodes, each a fresh world from the trial's seed and
 * the episode's number (so training never sees the evaluation world), then leaves it greedy
 * and frozen for the evaluation episode.
 */
function train(learner: QLearner, c: TrialConfig, spec: TrialSpec, build: (seed: string) => Simulation): TrainingRecord {
  const l = c.learning;
  const rewardByEpisode: (number | null)[] = [];
  for (let e = 0; e < l.episodes; e++) {
    learner.training = true;
    learner.epsilon = learner.epsilonAt(e);
    runEpisode(build(`${spec.seed}/train${e}`), learner, { slots: l.slotsPerEpisode, warmupSlots: 0 });
    learner.endEpisode();
    rewardByEpisode.push(learner.takeMeanReward());
  }
  learner.training = false;
  learner.takeMeanReward();
  return { episodes: l.episodes, slotsPerEpisode: l.slotsPerEpisode, tableBytes: learner.t.tableBytes, rewardByEpisode };
}
