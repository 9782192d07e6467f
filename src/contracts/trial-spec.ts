// A trial as the sweep hands it to a runner: plain data, the unit that workers, shards and
// resumes move around. Its id is the content hash of its resolved config, policy and seed.
import type { PolicyName, TrialConfig } from "../scenario/schema.js";

export type AxisValue = number | string | boolean;

/** One trial: sweep point x policy x seed. */
export interface TrialSpec {
  id: string;
  scenario: string;
  pointIndex: number;
  point: Record<string, AxisValue>;
  policy: PolicyName;
  seed: number;
  config: TrialConfig;
  /** The scenario file's folder, where trace files are read; not part of the id. */
  baseDir: string | null;
}
