// Where a record says it belongs in the sweep must follow from what its id hashes (its config):
// a record moved to another point (its point, pointIndex or scenario edited, its digest
// recomputed) would otherwise be counted there. Run checks a record against the trial it
// stands for; merge and plot, which have no trial specs, against its own config.
import type { TrialRecord } from "../contracts/record.js";
import type { FolderPlan } from "../results/folder-plan.js";
import { axisValues } from "./expand.js";

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Why `r` is not the record of the trial with this scenario, point index and point, or null. */
export function misplacedAgainstSpec(r: TrialRecord, spec: { scenario: string; pointIndex: number; point: Record<string, unknown> }): string | null {
  if (r.scenario !== spec.scenario) return `claims scenario ${JSON.stringify(r.scenario)}, not ${JSON.stringify(spec.scenario)}`;
  if (r.pointIndex !== spec.pointIndex || !same(r.point, spec.point)) return `claims sweep point ${r.pointIndex} ${JSON.stringify(r.point)}, not ${spec.pointIndex} ${JSON.stringify(spec.point)}`;
  return null;
}

function valueAt(config: unknown, path: string): unknown {
  let v: unknown = config;
  for (const key of path.split(".")) v = v && typeof v === "object" && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Why `r`'s point or point index does not follow from its config under `plan`, or null. */
export function misplacedAgainstConfig(r: TrialRecord, plan: FolderPlan): string | null {
  let index = 0;
  for (const axis of plan.axes) {
    const value = valueAt(r.config, axis);
    if (!same(r.point[axis], value)) return `claims ${axis}=${JSON.stringify(r.point[axis])} while its config has ${JSON.stringify(value)}`;
    const values = axisValues(plan.sweep[axis] as Parameters<typeof axisValues>[0]);
    const k = values.findIndex((v) => same(v, value));
    if (k < 0) return `its config's ${axis}=${JSON.stringify(value)} is no value of the sweep`;
    index = index * values.length + k;
  }
  if (r.pointIndex !== index) return `claims sweep point ${r.pointIndex}, while its config is point ${index}`;
  if (r.scenario !== plan.name) return `claims scenario ${JSON.stringify(r.scenario)}, not ${JSON.stringify(plan.name)}`;
  return null;
}
