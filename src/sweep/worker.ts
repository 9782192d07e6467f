// Piscina worker: runs trials in its thread. Kernels (and so the WASM module) are created
// once per thread by runTrial's cache, then reused for every trial the thread receives; so is
// a plug-in policy's module.
import type { Backend } from "../kernels/types.js";
import { runTrialLoaded, type TrialOutput } from "../run/trial.js";
import type { TrialSpec } from "../contracts/trial-spec.js";

export interface TrialTask {
  spec: TrialSpec;
  backend: Backend;
}

/** One trial (a plug-in's module imported first, once per thread). */
export default function run(task: TrialTask): Promise<TrialOutput> {
  return runTrialLoaded(task.spec, task.backend);
}
