// `twinedge merge`: shard folders of one scenario into one result folder, equal byte for
// byte (summary.csv, trials.jsonl, trials/) to what a single process would have written.
// The records are read from the folders themselves (each checked as run checks it), not
// re-expanded from scenario.json, so folders written before a schema change still merge.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrialRecord } from "../contracts/record.js";
import { folderPlan, inExpansionOrder, type FolderPlan } from "../results/folder-plan.js";
import { provenance } from "../results/manifest.js";
import { json, readResultJson, refuseOtherScenario, ResultReader, ResultSet } from "../results/result-set.js";
import { TOPOLOGY_FILES } from "../results/topology.js";
import { readRegularFile } from "../io/safe-read.js";
import { InputError } from "../validation.js";
import { axisValues } from "./expand.js";
import { misplacedAgainstConfig } from "./point-check.js";
import { contentHash } from "./hash.js";
import { recordHash, wasmHashOrNull } from "./run-sweep.js";

export interface MergeOutcome {
  dir: string;
  records: TrialRecord[];
  failed: number;
}

/** How many points the stored sweep expands to (the product of its axes' lengths). */
function pointCount(plan: FolderPlan, source: string): number {
  let n = 1;
  for (const axis of plan.axes) {
    const v = plan.sweep[axis];
    const ok = Array.isArray(v) || (v !== null && typeof v === "object" && ["min", "max", "step"].every((k) => typeof (v as Record<string, unknown>)[k] === "number"));
    if (!ok) throw new InputError(source, [`sweep.${axis}: expected a list or {min, max, step} (as twinedge writes it)`]);
    n *= axisValues(v as Parameters<typeof axisValues>[0]).length;
  }
  return n;
}

interface Found {
  record: TrialRecord;
  text: string;
  reader: ResultReader;
}

/**
 * One record per trial id from all folders: an ok record wins over a failed one; two ok
 * records of one id that differ in any byte are a conflict, refused.
 */
function gather(readers: readonly ResultReader[], say: (line: string) => void): Map<string, Found> {
  const byId = new Map<string, Found>();
  const conflicts: string[] = [];
  for (const reader of readers) {
    const { found, problems } = reader.allTrials();
    for (const p of problems) say(`${join(reader.dir, p)}; left out`);
    for (const f of found) {
      const have = byId.get(f.record.id);
      if (!have || (have.record.status === "failed" && f.record.status === "ok")) byId.set(f.record.id, { ...f, reader });
      else if (f.record.status === "ok" && have.text !== f.text) {
        conflicts.push(`${join(have.reader.dir, "trials", `${f.record.id}.json`)} and ${join(reader.dir, "trials", `${f.record.id}.json`)} differ`);
      }
    }
  }
  if (conflicts.length) throw new InputError("merge", [`${conflicts.length} trial(s) have conflicting records, e.g. ${conflicts.slice(0, 3).join("; ")}`]);
  return byId;
}

/** The most a shard's topology file may hold (a planted file's bound). */
const TOPOLOGY_MAX_BYTES = 512 * 1024 * 1024;

/**
 * sites.csv, layouts.csv and users-snapshot.csv of the merged folder, read and checked before
 * anything is written: every shard computed them for the whole scenario (src/sweep/topology.ts),
 * so they must agree byte for byte. A file every shard lacks (shards written before these files
 * existed) is left out, and a note says so; a file some shards have and others lack is refused
 * (the shards came from different twinedge versions: rerun the older ones, or delete the file
 * from every shard to merge without it), as are shards whose files differ.
 */
function shardTopology(dirs: readonly string[], say: (line: string) => void): [string, string][] {
  const out: [string, string][] = [];
  for (const file of Object.values(TOPOLOGY_FILES)) {
    let text: string | null = null;
    let from = "";
    const lacking: string[] = [];
    for (const d of dirs) {
      const r = readRegularFile(join(d, file), TOPOLOGY_MAX_BYTES);
      if ("missing" in r) {
        lacking.push(d);
        continue;
      }
      if ("problem" in r) throw new InputError(join(d, file), [r.problem]);
      if (text === null) [text, from] = [r.text, join(d, file)];
      else if (r.text !== text) throw new InputError("merge", [`${from} and ${join(d, file)} differ: the shards did not run the same worlds`]);
    }
    if (text === null) say(`merge: no shard has ${file} (written by an older twinedge); the merged folder has none`);
    else if (lacking.length) {
      throw new InputError("merge", [`${from} exists but ${lacking.map((d) => join(d, file)).join(", ")} does not: the shards were written by different ` +
        `twinedge versions; rerun the shards without it, or delete ${file} from every shard to merge without it`]);
    } else out.push([file, text]);
  }
  return out;
}

export function mergeResults(out: string, dirs: readonly string[], say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): MergeOutcome {
  if (dirs.length === 0) throw new InputError("merge", ["expected at least one shard folder"]);
  const scenarios = dirs.map((d) => readResultJson(d, "scenario.json"));
  const hashes = scenarios.map((s) => contentHash(s, 64));
  dirs.forEach((d, k) => {
    if (hashes[k] !== hashes[0]) throw new InputError(join(d, "scenario.json"), [`a different scenario from ${join(dirs[0], "scenario.json")}: shards of different sweeps cannot be merged`]);
  });
  const source = join(dirs[0], "scenario.json");
  const plan = folderPlan(scenarios[0], source);
  const total = pointCount(plan, source) * plan.policies.length * plan.seeds.length;

  const points = pointCount(plan, source);
  const byId = gather(dirs.map((d) => new ResultReader(d, recordHash)), say);
  for (const [id, f] of byId) {
    const r = f.record;
    const misplaced = misplacedAgainstConfig(r, plan);
    if (misplaced !== null) {
      say(`${join(f.reader.dir, "trials", `${id}.json`)}: ${misplaced}; left out`);
      byId.delete(id);
      continue;
    }
    if (r.pointIndex < points && plan.policies.includes(r.policy) && plan.seeds.includes(r.seed)) continue;
    say(`${join(f.reader.dir, "trials", `${id}.json`)}: not a trial of this scenario (point ${r.pointIndex}, ${r.policy}, seed ${r.seed}); left out`);
    byId.delete(id);
  }
  const records = inExpansionOrder([...byId.values()].map((f) => f.record), plan);
  if (records.length < total) {
    const have = new Set(records.map((r) => JSON.stringify([r.pointIndex, r.policy, r.seed])));
    const missing: string[] = [];
    for (let p = 0; p < points && missing.length < 3; p++) {
      for (const policy of plan.policies) for (const seed of plan.seeds) if (!have.has(JSON.stringify([p, policy, seed]))) missing.push(`point ${p}, ${policy}, seed ${seed}`);
    }
    throw new InputError("merge", [`${total - records.length} of ${total} trials are in none of the folders, e.g. ${missing.slice(0, 3).join("; ")}`]);
  }
  if (records.length > total) throw new InputError("merge", [`the folders hold ${records.length} distinct trials, more than the ${total} their scenario expands to`]);
  const makers = new Set(records.map((r) => `${r.backend}/${r.codeHash}/${r.wasmSha256}`));
  if (makers.size > 1) throw new InputError("merge", [`the shards were computed by different code, WASM or backends: ${[...makers].join(", ")}`]);

  // Everything read from the shards is read (and checked) before the first write: a refusal leaves no half-written folder.
  const topology = shardTopology(dirs, say);
  const shardManifests = dirs.map((d) => {
    const m = existsSync(join(d, "manifest.json")) ? readResultJson(d, "manifest.json") : {};
    const o = (m && typeof m === "object" && !Array.isArray(m) ? m : {}) as Record<string, unknown>;
    return { dir: d, shard: o.shard ?? null, startedAt: o.startedAt ?? null, finishedAt: o.finishedAt ?? null, wallTimeS: o.wallTimeS ?? null, cpu: o.cpu ?? null };
  });
  refuseOtherScenario(out, (stored) => contentHash(stored, 64) === hashes[0]);
  const rs = ResultSet.open(out, recordHash);
  try {
    refuseOtherScenario(out, (stored) => contentHash(stored, 64) === hashes[0]);
    rs.write("scenario.json", json(scenarios[0]));
    for (const r of records) rs.writeTrial(r, byId.get(r.id)!.reader.readTaskCsv(r.id));
    rs.writeAggregates(records, plan.axes, plan.references);
    for (const [file, text] of topology) rs.write(file, text);
    const failed = records.filter((r) => r.status === "failed").length;
    rs.write("manifest.json", json({
      scenario: plan.name,
      configHash: hashes[0],
      codeHash: records[0]?.codeHash ?? null,
      seeds: plan.seeds,
      policies: plan.policies,
      axes: plan.axes,
      mergedFrom: shardManifests,
      trials: { total, expected: total, done: records.length - failed, failed },
      ...provenance(records[0]?.backend ?? "wasm", wasmHashOrNull()),
      command: process.argv.slice(1),
      mergedAt: new Date().toISOString(),
    }));
    return { dir: rs.dir, records, failed };
  } finally {
    rs.close();
  }
}
