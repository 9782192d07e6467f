// `twinedge merge`: shard folders of one scenario into one result folder, equal byte for
// byte (summary.csv, trials.jsonl, trials/) to what a single process would have written.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrialRecord } from "../run/trial.js";
import { provenance } from "../results/manifest.js";
import { json, readResultJson, ResultSet } from "../results/result-set.js";
import { UNLIMITED } from "../scenario/limits.js";
import { InputError } from "../validation.js";
import { contentHash } from "./hash.js";
import { resolveScenario } from "./load.js";

export interface MergeOutcome {
  dir: string;
  records: TrialRecord[];
  failed: number;
}


export function mergeResults(out: string, dirs: readonly string[]): MergeOutcome {
  if (dirs.length === 0) throw new InputError("merge", ["expected at least one shard folder"]);
  const scenarios = dirs.map((d) => readResultJson(d, "scenario.json"));
  const hashes = scenarios.map((s) => contentHash(s, 64));
  dirs.forEach((d, k) => {
    if (hashes[k] !== hashes[0]) throw new InputError(join(d, "scenario.json"), [`a different scenario from ${join(dirs[0], "scenario.json")}: shards of different sweeps cannot be merged`]);
  });
  const { name, scenario, trials } = resolveScenario(scenarios[0], join(dirs[0], "scenario.json"), { limits: UNLIMITED });
  const shards = dirs.map((d) => new ResultSet(d));

  const records: TrialRecord[] = [];
  const taskCsv = new Map<string, string>();
  const missing: string[] = [];
  for (const spec of trials) {
    // Prefer a successful record if one shard failed a trial another completed.
    const found = shards.map((s) => ({ s, r: s.readTrial(spec.id) })).filter((x) => x.r !== undefined);
    const hit = found.find((x) => x.r!.status === "ok") ?? found[0];
    if (hit) {
      records.push(hit.r!);
      const csv = hit.s.readTaskCsv(spec.id);
      if (csv !== undefined) taskCsv.set(spec.id, csv);
    }
    else missing.push(`${spec.id} (${spec.policy}, seed ${spec.seed}${Object.entries(spec.point).map(([a, v]) => `, ${a}=${v}`).join("")})`);
  }
  if (missing.length) {
    throw new InputError("merge", [`${missing.length} of ${trials.length} trials are in none of the folders, e.g. ${missing.slice(0, 3).join("; ")}`]);
  }
  const makers = new Set(records.map((r) => `${r.backend}/${r.codeHash}/${r.wasmSha256}`));
  if (makers.size > 1) throw new InputError("merge", [`the shards were computed by different code, WASM or backends: ${[...makers].join(", ")}`]);

  const rs = new ResultSet(out);
  rs.write("scenario.json", readFileSync(join(dirs[0], "scenario.json"), "utf8"));
  for (const r of records) rs.writeTrial(r, taskCsv.get(r.id));
  rs.writeAggregates(records, Object.keys(scenario.sweep));
  const failed = records.filter((r) => r.status === "failed").length;
  const shardManifests = dirs.map((d) => {
    const m = existsSync(join(d, "manifest.json")) ? (readResultJson(d, "manifest.json") as Record<string, unknown>) : {};
    return { dir: d, shard: m.shard ?? null, startedAt: m.startedAt ?? null, finishedAt: m.finishedAt ?? null, wallTimeS: m.wallTimeS ?? null, cpu: m.cpu ?? null };
  });
  rs.write("manifest.json", json({
    scenario: name,
    configHash: hashes[0],
    codeHash: records[0]?.codeHash ?? null,
    seeds: scenario.seeds,
    policies: scenario.policies,
    axes: Object.keys(scenario.sweep),
    mergedFrom: shardManifests,
    trials: { total: trials.length, expected: trials.length, done: records.length - failed, failed },
    ...provenance(records[0]?.backend ?? "wasm"),
    command: process.argv.slice(1),
    mergedAt: new Date().toISOString(),
  }));
  return { dir: rs.dir, records, failed };
}
