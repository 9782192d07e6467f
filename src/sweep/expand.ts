// A sweep is a pure expansion: scenario -> points (the cartesian product of the axes) ->
// plain trial specs (point x policy x seed), each with a stable id: the hash of its content.
import { scenarioSchema, type PolicyName, type Scenario, type TrialConfig } from "../scenario/schema.js";
import { formatIssues, InputError } from "../validation.js";
import type { AxisValue, TrialSpec } from "../contracts/trial-spec.js";
import { contentHash } from "./hash.js";

export interface SweepPoint {
  /** Axis path -> value at this point, in the scenario's axis order. */
  values: Record<string, AxisValue>;
  config: TrialConfig;
}

const NOT_SWEEPABLE = new Set(["$schema", "name", "description", "seeds", "policies", "sweep", "mobility.file", "mobility.sha256"]);

/** The values of one axis: a list as given, or min..max by step (rounded to 12 digits). */
export function axisValues(axis: Scenario["sweep"][string]): AxisValue[] {
  if (Array.isArray(axis)) return axis;
  const out: number[] = [];
  const count = Math.floor((axis.max - axis.min) / axis.step + 1e-9);
  for (let k = 0; k <= count; k++) out.push(Number((axis.min + k * axis.step).toPrecision(12)));
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let obj = target;
  for (const key of path.slice(0, -1)) {
    const next = obj[key];
    obj = obj[key] = next && typeof next === "object" && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  obj[path[path.length - 1]] = value;
}

function trialConfig(s: Scenario): TrialConfig {
  const { $schema: _s, name: _n, description: _d, seeds: _seeds, policies: _p, sweep: _sw, ...config } = s;
  return config;
}

/**
 * Applies each combination of axis values to the raw scenario and validates the result, so
 * a value that makes a bad scenario is reported with its axis and the field it breaks.
 */
export function expandPoints(raw: Record<string, unknown>, scenario: Scenario, source: string): SweepPoint[] {
  const axes = Object.entries(scenario.sweep);
  const problems: string[] = [];
  for (const [key] of axes) {
    const head = key.split(".")[0];
    // A trace file is read and hashed once, at load: it cannot vary across points.
    if (NOT_SWEEPABLE.has(head) || NOT_SWEEPABLE.has(key) || key.split(".").some((p) => p === "")) problems.push(`sweep.${key}: not a sweepable field`);
  }
  if (problems.length) throw new InputError(source, problems);

  let combos: Record<string, AxisValue>[] = [{}];
  for (const [key, axis] of axes) {
    combos = combos.flatMap((c) => axisValues(axis).map((v) => ({ ...c, [key]: v })));
  }
  return combos.map((values) => {
    if (axes.length === 0) return { values, config: trialConfig(scenario) };
    const copy: Record<string, unknown> = { ...raw, sweep: {} };
    for (const [key, v] of Object.entries(values)) setPath(copy, key.split("."), v);
    const r = scenarioSchema.safeParse(copy);
    if (!r.success) {
      const at = Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
      throw new InputError(source, formatIssues(r.error).map((m) => `sweep point (${at}): ${m}`));
    }
    return { values, config: trialConfig(r.data) };
  });
}

/** Every point x policy x seed, in that nesting order; ids hash the resolved trial content. */
export function expandTrials(name: string, points: SweepPoint[], policies: readonly PolicyName[], seeds: readonly number[], baseDir: string | null = null): TrialSpec[] {
  const specs: TrialSpec[] = [];
  points.forEach((p, pointIndex) => {
    for (const policy of policies) {
      for (const seed of seeds) {
        specs.push({ id: contentHash({ config: p.config, policy, seed }), scenario: name, pointIndex, point: p.values, policy, seed, config: p.config, baseDir });
      }
    }
  });
  return specs;
}
