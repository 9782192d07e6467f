// A trial as the sweep hands it to a runner: plain data, the unit that workers, shards and
// resumes move around. Its id is the content hash of its resolved config, policy and seed
// (and a plug-in's module hash and options: idContent in record.ts).
import type { TrialConfig } from "../scenario/schema.js";
import type { PluginRef } from "./record.js";

export type AxisValue = number | string | boolean;

/** One trial: sweep point x policy x seed. */
export interface TrialSpec {
  id: string;
  scenario: string;
  pointIndex: number;
  point: Record<string, AxisValue>;
  /** A built-in's name (PolicyName) or a plug-in's. */
  policy: string;
  seed: number;
  /** A plug-in policy's module (relative to baseDir), hash and options; absent for a built-in. */
  plugin?: PluginRef;
  config: TrialConfig;
  /** The scenario file's folder, where trace files and plug-in modules are read; not part of the id. */
  baseDir: string | null;
}
