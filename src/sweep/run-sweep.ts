// `twinedge run`: the trials of a scenario (or of one shard of it) into a result folder.
// Finished trials are committed one file each; a rerun into the same folder reuses every
// record computed by the same code, WASM and backend, and computes only the rest.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Backend } from "../kernels/types.js";
import { wasmSha256 } from "../kernels/module.js";
import { codeHash } from "../run/code-hash.js";
import type { TrialRecord } from "../contracts/record.js";
import type { FigureSize } from "../results/figures/size.js";
import { referencesOf } from "../results/folder-plan.js";
import { provenance } from "../results/manifest.js";
import { REPORT_FILE } from "../results/report/page.js";
import { defaultResultDir, json, refuseOtherScenario, ResultSet } from "../results/result-set.js";
import { topologyCsvs, TOPOLOGY_FILES, type TopologyData } from "../results/topology.js";
import type { TrialSpec } from "../contracts/trial-spec.js";
import type { Limits } from "../scenario/limits.js";
import { contentHash } from "./hash.js";
import { loadScenario, type LoadedScenario } from "./load.js";
import { checkPlugins } from "./plugins.js";
import { policyNames } from "../scenario/plugin-entry.js";
import { misplacedAgainstSpec } from "./point-check.js";
import { runTrials } from "./pool.js";
import { Progress } from "./progress.js";
import { inShard, shardLabel, WHOLE, type Shard } from "./shard.js";
import { topologyData } from "./topology.js";

export interface SweepOptions {
  /** Result folder; default a new folder under results/. */
  out?: string;
  backend: Backend;
  /** Worker threads; default the core count. 1 runs in this thread. */
  threads?: number;
  shard?: Shard;
  /** Progress on stderr (default on). */
  progress?: boolean;
  /** Draw the figures at the end (default on). */
  figures?: boolean;
  /** Write report.html at the end (`--report`; default off, but a report.html already in the folder is rewritten). */
  report?: boolean;
  /** Figure size (`--figure-size`): "screen" (default), IEEE "single" or "double" column. */
  figureSize?: FigureSize;
  /** Replaces the scenario's auth.mode (`--auth`). */
  auth?: "off" | "crypto" | "modeled";
  /** Caps on trials and per-trial memory (default DEFAULT_LIMITS). */
  limits?: Limits;
  /** The scenario at `path`, already loaded (with `auth` and `limits`): the CLI checks it before loading this module. */
  loaded?: LoadedScenario;
}

export interface SweepOutcome {
  dir: string;
  records: TrialRecord[];
  reused: number;
  computed: number;
  failed: number;
}

/** A committed record computed by this code, WASM and backend, without failure. */
function reusable(r: TrialRecord | undefined, backend: Backend): r is TrialRecord {
  return r !== undefined && r.status === "ok" && r.backend === backend && r.codeHash === codeHash()
    && r.wasmSha256 === (backend === "wasm" ? wasmSha256() : null);
}

/** The manifest's record of the plug-in policies: name, module as written, absolute path, SHA-256, options. */
function pluginsOf(loaded: LoadedScenario): Record<string, unknown>[] {
  return loaded.scenario.policies.flatMap((p) => (typeof p === "string" ? [] : [{
    name: p.name, module: p.module, path: loaded.baseDir === null ? null : resolve(loaded.baseDir, p.module), sha256: p.sha256, options: p.options,
  }]));
}

/** The hash trial ids and record digests are made with. */
export const recordHash = (value: unknown, hexChars: number): string => contentHash(value, hexChars);

/** The WASM build's hash for the manifest, or null when there is none (a JS-only checkout). */
export function wasmHashOrNull(): string | null {
  try {
    return wasmSha256();
  } catch {
    return null;
  }
}

export async function runSweep(path: string, o: SweepOptions): Promise<SweepOutcome> {
  // Everything is validated (and the kernels found) before the first byte is written.
  const loaded = o.loaded ?? loadScenario(path, { authMode: o.auth }, o.limits);
  if (o.backend === "wasm") wasmSha256();
  await checkPlugins(loaded.scenario.policies, loaded.baseDir, path);
  const { name, scenario, trials } = loaded;
  const shard = o.shard ?? WHOLE;
  const threads = o.threads ?? availableParallelism();
  const mine = trials.filter((_, k) => inShard(k, shard));
  const started = new Date();
  const t0 = performance.now();
  const sameScenario = (stored: unknown) => contentHash(stored, 64) === contentHash(scenario, 64);
  if (o.out !== undefined) refuseOtherScenario(o.out, sameScenario);
  const rs = ResultSet.open(o.out ?? defaultResultDir(shard.count > 1 ? `${name}-shard${shard.index}of${shard.count}` : name, started), recordHash);
  try {
    // Checked again under the lock: another writer may have written the folder meanwhile.
    refuseOtherScenario(rs.dir, sameScenario);
    return await sweepInto(rs, path, o, loaded, { mine, shard, threads, started, t0 });
  } finally {
    rs.close();
  }
}

/** sites.csv, layouts.csv and users-snapshot.csv of the run's scenario, each atomically (merge copies a shard's). */
function writeTopology(rs: ResultSet, data: TopologyData): void {
  const texts = topologyCsvs(data);
  for (const k of Object.keys(TOPOLOGY_FILES) as (keyof typeof TOPOLOGY_FILES)[]) rs.write(TOPOLOGY_FILES[k], texts[k]);
}

/** A committed record this run may reuse; a record that fails its checks is reported and recomputed. */
function reusableRecord(rs: ResultSet, spec: TrialSpec, backend: Backend): boolean {
  const r = rs.readTrial(spec.id);
  if ("problem" in r) process.stderr.write(`${join(rs.dir, "trials", `${spec.id}.json`)}: ${r.problem}; recomputing\n`);
  if (!("record" in r)) return false;
  const misplaced = misplacedAgainstSpec(r.record, spec);
  if (misplaced !== null) process.stderr.write(`${join(rs.dir, "trials", `${spec.id}.json`)}: ${misplaced}; recomputing\n`);
  if (misplaced !== null || !reusable(r.record, backend)) return false;
  return !spec.config.output.taskRecords || rs.readTaskCsv(spec.id) !== undefined;
}

interface SweepPlan {
  mine: TrialSpec[];
  shard: Shard;
  threads: number;
  started: Date;
  t0: number;
}

async function sweepInto(rs: ResultSet, path: string, o: SweepOptions, loaded: LoadedScenario, p: SweepPlan): Promise<SweepOutcome> {
  const { name, scenario, trials } = loaded;
  const { mine, shard, threads, started, t0 } = p;
  rs.write("scenario.json", json(scenario));
  const todo = mine.filter((spec) => !reusableRecord(rs, spec, o.backend));
  const progress = o.progress === false ? undefined : new Progress({ total: mine.length, reused: mine.length - todo.length });
  await runTrials(todo, o.backend, threads, ({ record, taskCsv }) => {
    rs.writeTrial(record, taskCsv);
    progress?.tick(record.status === "failed");
  });
  progress?.finish();

  // Read back: what the aggregates summarise is exactly what is committed.
  const records = mine.map((spec) => {
    const r = rs.readTrial(spec.id);
    if (!("record" in r)) throw new Error(`${join(rs.dir, "trials", `${spec.id}.json`)}: committed in this run but does not read back (${"problem" in r ? r.problem : "missing"})`);
    return r.record;
  });
  const failed = records.filter((r) => r.status === "failed").length;
  const names = policyNames(scenario.policies);
  const references = referencesOf(scenario.reference, names);
  rs.writeAggregates(records, Object.keys(scenario.sweep), references);
  writeTopology(rs, topologyData(loaded, o.backend));
  rs.write("manifest.json", json({
    scenario: name,
    source: path,
    configHash: contentHash(scenario, 64),
    codeHash: codeHash(),
    seeds: scenario.seeds,
    policies: names,
    // Each plug-in's module as the scenario names it, where it was read, and its file's SHA-256.
    ...(scenario.policies.some((p) => typeof p !== "string") ? { plugins: pluginsOf(loaded) } : {}),
    axes: Object.keys(scenario.sweep),
    points: loaded.points.length,
    shard: shardLabel(shard),
    threads,
    trials: { total: trials.length, expected: mine.length, reused: mine.length - todo.length, computed: todo.length, done: records.length - failed, failed },
    // Memory of the largest learner's Q-tables and beliefs, if any learner ran.
    learnerTableBytes: Math.max(0, ...records.map((r) => (r.status === "ok" ? r.training?.tableBytes ?? 0 : 0))) || null,
    ...provenance(o.backend, wasmHashOrNull()),
    command: process.argv.slice(1),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    wallTimeS: (performance.now() - t0) / 1000,
  }));
  // Last, so results are complete on disk even if drawing fails.
  if (o.figures !== false) {
    // Loaded here, not at the top: vega, resvg, pdfkit and fontkit cost about a second to
    // load, and a run without figures (or a worker) must not pay it.
    const { drawFigures } = await import("../results/figures/index.js");
    const { drawRewardCurves } = await import("../results/figures/curve.js");
    const { drawTopology } = await import("../results/figures/topology.js");
    await drawFigures(rs.dir, records, Object.keys(scenario.sweep), names, references, { size: o.figureSize });
    await drawRewardCurves(rs.dir, records, names, { size: o.figureSize });
    await drawTopology(rs.dir, { size: o.figureSize });
  }
  // Asked for, or already there (a resumed folder's page would show the old results).
  if (o.report || existsSync(join(rs.dir, REPORT_FILE))) {
    // Loaded here: run's start-up stays lean (the report reads the folder as written above).
    const { writeReport } = await import("../results/report/index.js");
    writeReport(rs.dir);
  }
  return { dir: rs.dir, records, reused: mine.length - todo.length, computed: todo.length, failed };
}
