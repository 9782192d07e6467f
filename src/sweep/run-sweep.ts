// `twinedge run`: the trials of a scenario (or of one shard of it) into a result folder.
// Finished trials are committed one file each; a rerun into the same folder reuses every
// record computed by the same code, WASM and backend, and computes only the rest.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Backend } from "../kernels/types.js";
import { wasmSha256 } from "../kernels/wasm.js";
import { codeHash } from "../run/code-hash.js";
import type { TrialRecord } from "../run/trial.js";
import { drawRewardCurves } from "../results/figures/curve.js";
import { drawFigures, type FigureSize } from "../results/figures/index.js";
import { provenance } from "../results/manifest.js";
import { defaultResultDir, json, readResultJson, ResultSet } from "../results/result-set.js";
import { loadScenario } from "../scenario/load.js";
import { InputError } from "../validation.js";
import { contentHash } from "./hash.js";
import { runTrials } from "./pool.js";
import { Progress } from "./progress.js";
import { inShard, shardLabel, WHOLE, type Shard } from "./shard.js";

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
  /** Figure size (`--figure-size`): "screen" (default), IEEE "single" or "double" column. */
  figureSize?: FigureSize;
  /** Replaces the scenario's auth.mode (`--auth`). */
  auth?: "off" | "crypto" | "modeled";
}

export interface SweepOutcome {
  dir: string;
  records: TrialRecord[];
  reused: number;
  computed: number;
  failed: number;
}

/** A committed record computed by this code, WASM and backend, without failure. */
export function reusable(r: TrialRecord | undefined, backend: Backend): r is TrialRecord {
  return r !== undefined && r.status === "ok" && r.backend === backend && r.codeHash === codeHash()
    && r.wasmSha256 === (backend === "wasm" ? wasmSha256() : null);
}

/** A folder is resumed only by the scenario that wrote it: mixing two would corrupt both. */
function refuseOtherScenario(dir: string, scenario: object): void {
  if (!existsSync(join(dir, "scenario.json"))) return;
  if (contentHash(readResultJson(dir, "scenario.json"), 64) !== contentHash(scenario, 64)) {
    throw new InputError(dir, ["holds the results of a different scenario (its scenario.json differs); choose another --out"]);
  }
}

export async function runSweep(path: string, o: SweepOptions): Promise<SweepOutcome> {
  // Everything is validated (and the kernels found) before the first byte is written.
  const loaded = loadScenario(path, { authMode: o.auth });
  if (o.backend === "wasm") wasmSha256();
  const { name, scenario, trials } = loaded;
  const shard = o.shard ?? WHOLE;
  const threads = o.threads ?? availableParallelism();
  const mine = trials.filter((_, k) => inShard(k, shard));
  const started = new Date();
  const t0 = performance.now();
  if (o.out !== undefined) refuseOtherScenario(o.out, scenario);
  const rs = new ResultSet(o.out ?? defaultResultDir(shard.count > 1 ? `${name}-shard${shard.index}of${shard.count}` : name, started));
  rs.write("scenario.json", json(scenario));
  rs.removeTemporaries();

  const todo = mine.filter((spec) => !reusable(rs.readTrial(spec.id), o.backend)
    || (spec.config.output.taskRecords && rs.readTaskCsv(spec.id) === undefined));
  const progress = o.progress === false ? undefined : new Progress({ total: mine.length, reused: mine.length - todo.length });
  await runTrials(todo, o.backend, threads, ({ record, taskCsv }) => {
    rs.writeTrial(record, taskCsv);
    progress?.tick(record.status === "failed");
  });
  progress?.finish();

  const records = mine.map((spec) => rs.readTrial(spec.id)!);
  const failed = records.filter((r) => r.status === "failed").length;
  rs.writeAggregates(records, Object.keys(scenario.sweep));
  rs.write("manifest.json", json({
    scenario: name,
    source: path,
    configHash: contentHash(scenario, 64),
    codeHash: codeHash(),
    seeds: scenario.seeds,
    policies: scenario.policies,
    axes: Object.keys(scenario.sweep),
    points: loaded.points.length,
    shard: shardLabel(shard),
    threads,
    trials: { total: trials.length, expected: mine.length, reused: mine.length - todo.length, computed: todo.length, done: records.length - failed, failed },
    // Memory of the largest learner's Q-tables and beliefs, if any learner ran.
    learnerTableBytes: Math.max(0, ...records.map((r) => (r.status === "ok" ? r.training?.tableBytes ?? 0 : 0))) || null,
    ...provenance(o.backend),
    command: process.argv.slice(1),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    wallTimeS: (performance.now() - t0) / 1000,
  }));
  // Last, so results are complete on disk even if drawing fails.
  if (o.figures !== false) {
    await drawFigures(rs.dir, records, Object.keys(scenario.sweep), scenario.policies, { size: o.figureSize });
    await drawRewardCurves(rs.dir, records, scenario.policies, { size: o.figureSize });
  }
  return { dir: rs.dir, records, reused: mine.length - todo.length, computed: todo.length, failed };
}
