// A trial is a pure function of its spec (and the backend): the unit that sweeps,
// workers, shards and resumes move around.
import type { SlotLayout } from "../layout.js";
import { createKernels, wasmSha256, type Backend, type Kernels } from "../kernels/index.js";
import { createPolicy, QLearner } from "../policy/index.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { TrialSpec } from "../sweep/expand.js";
import { TwinLayer } from "../twin/twin-layer.js";
import { stream } from "../world/rng.js";
import { World } from "../world/world.js";
import { codeHash } from "./code-hash.js";
import { AuthControl } from "../auth/auth-control.js";
import { MigrationControl } from "../twin/migration.js";
import { runEpisode } from "./episode.js";
import { Simulation } from "./simulation.js";
import { TaskLog } from "./task-log.js";
import type { Metrics } from "./metrics.js";

export interface TrialRecordBase {
  id: string;
  scenario: string;
  point: TrialSpec["point"];
  policy: string;
  seed: number;
  backend: Backend;
  /** What computed it: a record is reused only when both still match. */
  codeHash: string;
  wasmSha256: string | null;
}
/** What a learner's training produced: the Fig. 4 curve and the size of its tables. */
export interface TrainingRecord {
  episodes: number;
  slotsPerEpisode: number;
  tableBytes: number;
  /** Mean reward per agent-step of each training episode (null: no task in it). */
  rewardByEpisode: (number | null)[];
}

export type TrialRecord =
  | (TrialRecordBase & { status: "ok"; users: number; sites: number; slots: number; metrics: Metrics; training?: TrainingRecord })
  | (TrialRecordBase & { status: "failed"; error: string });

/** Kernels and a layout reused across the trials one process runs; replaced when too small. */
const cache = new Map<Backend, { k: Kernels; L: SlotLayout }>();
function kernelsFor(backend: Backend, users: number, sites: number): { k: Kernels; L: SlotLayout } {
  let c = cache.get(backend);
  if (!c || c.L.maxUsers < users || c.L.maxSites < sites) {
    const k = createKernels(backend);
    c = { k, L: k.createLayout(users, sites) };
    cache.set(backend, c);
  }
  return c;
}

export interface TrialOutput {
  record: TrialRecord;
  /** Per-task records (tasks/<id>.csv), when the scenario asks for them. */
  taskCsv?: string;
}

/** Runs one trial; a thrown error becomes a failed record (the sweep goes on). */
export function runTrial(spec: TrialSpec, backend: Backend): TrialOutput {
  const base: TrialRecordBase = {
    id: spec.id, scenario: spec.scenario, point: spec.point, policy: spec.policy, seed: spec.seed, backend,
    codeHash: codeHash(), wasmSha256: backend === "wasm" ? wasmSha256() : null,
  };
  try {
    const c = spec.config;
    const world = new World(c, spec.seed, spec.baseDir);
    const { k, L } = kernelsFor(backend, world.users, world.sites.count);
    const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy") };
    const policy = createPolicy(spec.policy, ctx, { config: c, users: world.users, backend });
    const simulation = (w: World, taskLog?: TaskLog, authSeed: number | string = spec.seed): Simulation => {
      const migration = new MigrationControl(c.migration, { ...ctx, slotS: c.slotS, backhaulRateBps: c.channel.backhaulRateBps }, w.users);
      const auth = c.auth.mode === "off" ? undefined : new AuthControl(c.auth, { channel: c.channel, backhaulRateBps: c.channel.backhaulRateBps }, authSeed, w.users, w.sites.count);
      return new Simulation(w, new TwinLayer(w, c.twin), k, L, { params: c.channel, slotS: c.slotS, migration, auth, taskLog });
    };
    const training = policy instanceof QLearner ? train(policy, c, spec, simulation) : undefined;
    const taskLog = c.output.taskRecords ? new TaskLog() : undefined;
    const metrics = runEpisode(simulation(world, taskLog), policy, { slots: c.slots, warmupSlots: c.warmupSlots });
    const record: TrialRecord = { ...base, status: "ok", users: world.users, sites: world.sites.count, slots: c.slots - c.warmupSlots, metrics, ...(training ? { training } : {}) };
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
function train(learner: QLearner, c: TrialConfig, spec: TrialSpec, simulation: (w: World) => Simulation): TrainingRecord {
  const l = c.learning;
  const rewardByEpisode: (number | null)[] = [];
  for (let e = 0; e < l.episodes; e++) {
    learner.training = true;
    learner.epsilon = learner.epsilonAt(e);
    runEpisode(simulation(new World(c, `${spec.seed}/train${e}`, spec.baseDir)), learner, { slots: l.slotsPerEpisode, warmupSlots: 0 });
    learner.endEpisode();
    rewardByEpisode.push(learner.takeMeanReward());
  }
  learner.training = false;
  learner.takeMeanReward();
  return { episodes: l.episodes, slotsPerEpisode: l.slotsPerEpisode, tableBytes: learner.t.tableBytes, rewardByEpisode };
}
