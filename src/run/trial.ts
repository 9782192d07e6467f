// A trial is a pure function of its spec (and the backend): the unit that sweeps,
// workers, shards and resumes move around.
import { wasmSha256, type Backend } from "../kernels/index.js";
import { createPolicy, QLearner, type Policy, type PolicyContext, type PolicyHost } from "../policy/index.js";
import { loadedPluginFactory, loadPluginFactory, pluginPath } from "../policy/plugin-load.js";
import { createPluginPolicy } from "../policy/plugin-policy.js";
import type { PolicyName, TrialConfig } from "../scenario/schema.js";
import type { TrialSpec } from "../contracts/trial-spec.js";
import { stream } from "../world/rng.js";
import { userCount } from "../scenario/users.js";
import { buildSimulation, kernelsFor } from "./build-simulation.js";
import { codeHash } from "./code-hash.js";
import { runEpisode } from "./episode.js";
import type { Simulation } from "./simulation.js";
import { TaskLog } from "./task-log.js";
import type { HeldOutRecord, TrainingRecord, TrialRecord, TrialRecordBase } from "../contracts/record.js";
import { heldOutEvery } from "../scenario/held-out.js";

// The record types live in the contract that results reads them by.

export interface TrialOutput {
  /** The sweep commits it with a digest. */
  record: TrialRecord;
  /** Per-task records (tasks/<id>.csv), when the scenario asks for them. */
  taskCsv?: string;
}

/** What every record of `spec` starts with: what the trial is (its plug-in's module too) and who computed it (runTrial; the pool for a worker that died). */
export function recordBase(spec: TrialSpec, backend: Backend): TrialRecordBase {
  return {
    id: spec.id, scenario: spec.scenario, pointIndex: spec.pointIndex, point: spec.point, policy: spec.policy, seed: spec.seed,
    ...(spec.plugin ? { plugin: spec.plugin } : {}), config: spec.config, backend,
    codeHash: codeHash(), wasmSha256: backend === "wasm" ? wasmSha256() : null,
  };
}

/**
 * runTrial after loading the trial's plug-in module in this thread, if it has one (the sweep's
 * workers and its in-process loop call it): a module that does not load fails the trial.
 */
export async function runTrialLoaded(spec: TrialSpec, backend: Backend): Promise<TrialOutput> {
  if (spec.plugin) {
    try {
      await loadPluginFactory(pluginPath(spec.baseDir, spec.plugin.module), spec.plugin.sha256);
    } catch (e) {
      return { record: { ...recordBase(spec, backend), status: "failed", error: `policy ${spec.policy}: ${spec.plugin.module}: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }
  return runTrial(spec, backend);
}

/** The trial's policy: a built-in by name, or its plug-in (loaded in this thread by runTrialLoaded). */
function trialPolicy(spec: Pick<TrialSpec, "policy" | "plugin" | "baseDir">, ctx: PolicyContext, host: PolicyHost): Policy {
  if (!spec.plugin) return createPolicy(spec.policy as PolicyName, ctx, host);
  const factory = loadedPluginFactory(pluginPath(spec.baseDir, spec.plugin.module), spec.plugin.sha256);
  return createPluginPolicy(spec.policy, spec.plugin, factory, ctx, host);
}

/** Runs one trial; a thrown error becomes a failed record (the sweep goes on). A plug-in's module must be loaded first (runTrialLoaded). */
export function runTrial(spec: TrialSpec, backend: Backend): TrialOutput {
  const base = recordBase(spec, backend);
  try {
    const c = spec.config;
    const { sim, policy, policyMemory } = startTrial(spec, backend);
    const training = policy instanceof QLearner ? train(policy, c, spec, sim, policyMemory) : undefined;
    const taskLog = c.output.taskRecords ? new TaskLog() : undefined;
    sim.reset(spec.seed, taskLog);
    const metrics = runEpisode(sim, policy, { slots: c.slots, warmupSlots: c.warmupSlots });
    const record: TrialRecord = { ...base, status: "ok", users: sim.users, sites: sim.sites, slots: c.slots - c.warmupSlots, metrics, ...(training ? { training } : {}) };
    return taskLog ? { record, taskCsv: taskLog.csv() } : { record };
  } catch (e) {
    return { record: { ...base, status: "failed", error: e instanceof Error ? e.message : String(e) } };
  }
}


/** A trial's simulation and policy before its first episode: runTrial's, and the browser view's live lanes (web/worker.ts). */
export function startTrial(spec: Pick<TrialSpec, "config" | "policy" | "plugin" | "seed" | "baseDir">, backend: Backend): { sim: Simulation; policy: Policy; policyMemory: PolicyMemory } {
  const c = spec.config;
  // One simulation for the trial, reset for each episode: its layout, world, twin, metric sums
  // and the policy's buffers and tables all live in one kernel memory, allocated once.
  const kernels = kernelsFor(backend, userCount(c), c.sites.count);
  const sim = buildSimulation(c, { seed: spec.seed, backend, baseDir: spec.baseDir, authSeed: spec.seed, kernels });
  const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy"), seed: spec.seed };
  const policyStart = kernels.k.machine.mark();
  const policy = trialPolicy(spec, ctx, { config: c, users: sim.users, backend: kernels.k.machine, layout: kernels.L });
  return { sim, policy, policyMemory: { start: policyStart, end: kernels.k.machine.mark() } };
}
/**
 * Trains a learner for the scenario's episodes, each the simulation reset to a world of the
 * trial's seed and the episode's number (so training never sees the evaluation world), then
 * leaves it greedy and frozen for the evaluation episode. Every `learning.heldOut.every`
 * episodes, and after the last, it is evaluated on the held-out worlds (heldOutEvaluation).
 */
function train(learner: QLearner, c: TrialConfig, spec: TrialSpec, sim: Simulation, memory: PolicyMemory): TrainingRecord {
  const l = c.learning, every = heldOutEvery(l);
  const rewardByEpisode: (number | null)[] = [];
  const heldOut: HeldOutRecord = { worlds: l.heldOut.worlds, slots: l.heldOut.slots, episode: [], latencyS: [], responseS: [] };
  for (let e = 0; e < l.episodes; e++) {
    learner.training = true;
    learner.epsilon = learner.epsilonAt(e);
    sim.reset(`${spec.seed}/train${e}`);
    runEpisode(sim, learner, { slots: l.slotsPerEpisode, warmupSlots: 0 });
    learner.endEpisode();
    rewardByEpisode.push(learner.takeMeanReward());
    if (every > 0 && ((e + 1) % every === 0 || e === l.episodes - 1)) heldOutEvaluation(learner, c, spec, sim, memory, e + 1, heldOut);
  }
  learner.training = false;
  learner.takeMeanReward();
  return { episodes: l.episodes, slotsPerEpisode: l.slotsPerEpisode, tableBytes: learner.t.tableBytes, rewardByEpisode, ...(every > 0 ? { heldOut } : {}) };
}

/** Where the policy's buffers and tables lie in the trial's kernel memory: [start, end); `saved` holds their copy during a held-out evaluation. */
interface PolicyMemory { start: number; end: number; saved?: Uint8Array }

/**
 * The learner, greedy and frozen, on the held-out worlds `<seed>/heldout<w>` (no training
 * episode's `<seed>/train<e>`, nor the evaluation's `<seed>`): their tasks' mean latencyS and
 * responseS, appended to `out`. The policy's kernel memory (tables, visit counts, pending
 * transitions, its random stream) is copied before and put back after, so the training goes
 * on exactly as without the evaluation (test/held-out.test.ts); the simulation is reset by the
 * next episode anyway.
 */
function heldOutEvaluation(learner: QLearner, c: TrialConfig, spec: TrialSpec, sim: Simulation, memory: PolicyMemory, episode: number, out: HeldOutRecord): void {
  const machine = sim.k.machine;
  const saved = (memory.saved ??= new Uint8Array(memory.end - memory.start)); // one buffer for all of a trial's evaluations
  saved.set(machine.heap.u8.subarray(memory.start, memory.end));
  const { training, epsilon } = learner;
  learner.training = false;
  learner.epsilon = 0;
  let tasks = 0, latency = 0, response = 0;
  for (let w = 0; w < c.learning.heldOut.worlds; w++) {
    sim.reset(`${spec.seed}/heldout${w}`);
    const m = runEpisode(sim, learner, { slots: c.learning.heldOut.slots, warmupSlots: 0 });
    if (!m.tasks || m.latencyS === null || m.responseS === null) continue;
    tasks += m.tasks;
    latency += m.latencyS * m.tasks;
    response += m.responseS * m.tasks;
  }
  learner.takeMeanReward(); // the evaluation's rewards are not the training curve's
  machine.heap.u8.set(saved, memory.start);
  learner.training = training;
  learner.epsilon = epsilon;
  out.episode.push(episode);
  out.latencyS.push(tasks > 0 ? latency / tasks : null);
  out.responseS.push(tasks > 0 ? response / tasks : null);
}
