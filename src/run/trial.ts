// A trial is a pure function of its spec (and the backend): the unit that sweeps,
// workers, shards and resumes move around.
import type { SlotLayout } from "../layout.js";
import { createKernels, wasmSha256, type Backend, type Kernels } from "../kernels/index.js";
import { createPolicy } from "../policy/index.js";
import type { TrialSpec } from "../sweep/expand.js";
import { TwinLayer } from "../twin/twin-layer.js";
import { stream } from "../world/rng.js";
import { World } from "../world/world.js";
import { codeHash } from "./code-hash.js";
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
export type TrialRecord =
  | (TrialRecordBase & { status: "ok"; users: number; sites: number; slots: number; metrics: Metrics })
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
    const twin = new TwinLayer(world, c.twin);
    const { k, L } = kernelsFor(backend, world.users, world.sites.count);
    const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy") };
    const policy = createPolicy(spec.policy, ctx);
    const taskLog = c.output.taskRecords ? new TaskLog() : undefined;
    const migration = new MigrationControl(c.migration, { ...ctx, slotS: c.slotS, backhaulRateBps: c.channel.backhaulRateBps }, world.users);
    const sim = new Simulation(world, twin, k, L, { params: c.channel, slotS: c.slotS, migration, taskLog });
    const metrics = runEpisode(sim, policy, { slots: c.slots, warmupSlots: c.warmupSlots });
    const record: TrialRecord = { ...base, status: "ok", users: world.users, sites: world.sites.count, slots: c.slots - c.warmupSlots, metrics };
    return taskLog ? { record, taskCsv: taskLog.csv() } : { record };
  } catch (e) {
    return { record: { ...base, status: "failed", error: e instanceof Error ? e.message : String(e) } };
  }
}
