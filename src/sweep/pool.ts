// Runs trial specs on worker threads (Piscina), or in this thread for --threads 1: the
// same trial function either way. Each record is handed to `onRecord` as it finishes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import type { Backend } from "../kernels/types.js";
import { ROOT } from "../paths.js";
import { runTrial, type TrialRecord } from "../run/trial.js";
import type { TrialSpec } from "./expand.js";
import type { TrialTask } from "./worker.js";

/** Workers run the compiled code (dist/), also when the caller runs from src/ under vitest. */
export const WORKER_PATH = join(ROOT, "dist", "src", "sweep", "worker.js");

export async function runTrials(
  specs: readonly TrialSpec[], backend: Backend, threads: number, onRecord: (r: TrialRecord, spec: TrialSpec) => void,
): Promise<void> {
  if (threads <= 1 || specs.length <= 1) {
    for (const spec of specs) {
      onRecord(runTrial(spec, backend), spec);
      // Yield so signals and progress timers get a turn between trials.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  if (!existsSync(WORKER_PATH)) throw new Error(`worker not built: ${WORKER_PATH} is missing (run 'npm run build')`);
  const pool = new Piscina<TrialTask, TrialRecord>({
    filename: pathToFileURL(WORKER_PATH).href,
    minThreads: Math.min(threads, specs.length),
    maxThreads: Math.min(threads, specs.length),
    idleTimeout: 1000,
  });
  try {
    await Promise.all(specs.map(async (spec) => {
      let r: TrialRecord;
      try {
        r = await pool.run({ spec, backend });
      } catch (e) {
        // A worker that dies (not a trial that throws, which runTrial records) fails its trial.
        r = {
          id: spec.id, scenario: spec.scenario, point: spec.point, policy: spec.policy, seed: spec.seed, backend,
          codeHash: "", wasmSha256: null, status: "failed", error: `worker: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
      onRecord(r, spec);
    }));
  } finally {
    await pool.destroy();
  }
}
