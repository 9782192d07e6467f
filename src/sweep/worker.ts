// Piscina worker: runs trials in its thread. Kernels (and so the WASM module) are created
// once per thread by runTrial's cache, then reused for every trial the thread receives.
import type { Backend } from "../kernels/types.js";
import { runTrial, type TrialOutput } from "../run/trial.js";
import type { TrialSpec } from "../contracts/trial-spec.js";

export interface TrialTask {
  spec: TrialSpec;
  backend: Backend;
}

export default function run(task: TrialTask): TrialOutput {
  return runTrial(task.spec, task.backend);
}
