// `twinedge run`: every point x policy x seed of a scenario into a result folder.
import type { Backend } from "../kernels/types.js";
import { provenance } from "../results/manifest.js";
import { defaultResultDir, json, ResultSet } from "../results/result-set.js";
import { loadScenario } from "../scenario/load.js";
import { contentHash } from "../sweep/hash.js";
import { runTrial, type TrialRecord } from "./trial.js";

export interface RunOptions {
  /** Result folder; default a new folder under results/. */
  out?: string;
  backend: Backend;
  /** Progress lines (the CLI sends them to stderr). */
  log?: (line: string) => void;
}

export interface RunOutcome {
  dir: string;
  records: TrialRecord[];
  failed: number;
}

export function runScenarioFile(path: string, opts: RunOptions): RunOutcome {
  const log = opts.log ?? (() => {});
  // Everything is validated before the first byte is written.
  const loaded = loadScenario(path);
  const { name, scenario, trials } = loaded;
  const axes = Object.keys(scenario.sweep);
  const started = new Date();
  const t0 = performance.now();
  const rs = new ResultSet(opts.out ?? defaultResultDir(name, started));
  rs.write("scenario.json", json(scenario));

  const records: TrialRecord[] = [];
  let failed = 0;
  trials.forEach((spec, k) => {
    const r = runTrial(spec, opts.backend);
    rs.writeTrial(r);
    records.push(r);
    const at = Object.entries(spec.point).map(([a, v]) => ` ${a}=${v}`).join("");
    if (r.status === "failed") {
      failed++;
      log(`[${k + 1}/${trials.length}] ${spec.policy} seed=${spec.seed}${at} FAILED: ${r.error}`);
    } else {
      const lat = r.metrics.latencyS;
      log(`[${k + 1}/${trials.length}] ${spec.policy} seed=${spec.seed}${at} latencyS=${lat === null ? "-" : lat.toFixed(4)}`);
    }
  });
  rs.writeAggregates(records, axes);
  const finished = new Date();
  rs.write("manifest.json", json({
    scenario: name,
    source: path,
    configHash: contentHash(scenario, 64),
    seeds: scenario.seeds,
    policies: scenario.policies,
    axes,
    points: loaded.points.length,
    trials: { expected: trials.length, done: records.length - failed, failed },
    ...provenance(opts.backend),
    command: process.argv.slice(1),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallTimeS: (performance.now() - t0) / 1000,
  }));
  return { dir: rs.dir, records, failed };
}
