// Runs trial specs on worker threads (Piscina), or in this thread for --threads 1: the
// same trial function either way. Each output is handed to `onOutput` as it finishes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Piscina } from "piscina";
import type { Backend } from "../kernels/types.js";
import { ROOT } from "../paths.js";
import { recordBase, runTrialLoaded, type TrialOutput } from "../run/trial.js";
import type { TrialSpec } from "../contracts/trial-spec.js";
import { longestFirst } from "./cost.js";
import type { TrialTask } from "./worker.js";

/** Workers run the compiled code (dist/), also when the caller runs from src/ under vitest. */
const WORKER_PATH = join(ROOT, "dist", "src", "sweep", "worker.js");

/** A worker that dies (not a trial that throws, which runTrial records) fails its trial. */
function crashed(spec: TrialSpec, backend: Backend, e: unknown): TrialOutput {
  // No code ran to completion for it: no code or WASM hash vouches for the record.
  return { record: { ...recordBase(spec, backend), codeHash: "", wasmSha256: null, status: "failed", error: `worker: ${e instanceof Error ? e.message : String(e)}` } };
}

export async function runTrials(
  specs: readonly TrialSpec[], backend: Backend, threads: number, onOutput: (r: TrialOutput, spec: TrialSpec) => void,
): Promise<void> {
  if (threads <= 1 || specs.length <= 1) {
    for (const spec of specs) {
      onOutput(await runTrialLoaded(spec, backend), spec);
      // Yield so signals and progress timers get a turn between trials.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  if (!existsSync(WORKER_PATH)) throw new Error(`worker not built: ${WORKER_PATH} is missing (run 'npm run build')`);
  const size = Math.min(threads, specs.length);
  // Loaded only when threads are used: --threads 1 (and a one-trial run) never loads it.
  const { Piscina: Pool } = await import("piscina");
  const pool: Piscina<TrialTask, TrialOutput> = new Pool<TrialTask, TrialOutput>({ filename: pathToFileURL(WORKER_PATH).href, minThreads: size, maxThreads: size, idleTimeout: 1000 });
  // Longest first (a learner's training counted), so the last trials to finish are short and the threads end together.
  const order = longestFirst(specs);
  try {
    await Promise.all(order.map(async (spec) => {
      let r: TrialOutput;
      try {
        r = await pool.run({ spec, backend });
      } catch (e) {
        r = crashed(spec, backend, e);
      }
      onOutput(r, spec);
    }));
  } finally {
    await pool.destroy();
  }
}
