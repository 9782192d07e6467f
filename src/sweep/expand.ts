// A sweep is a pure expansion: scenario -> points (the cartesian product of the axes) ->
// plain trial specs (point x policy x seed), each with a stable id: the hash of its content.
// Every point must be a different configuration and every trial id unique: a sweep value
// that changes nothing would count one trial several times and fake a confidence interval.
import { axisLength } from "../scenario/limits.js";
import { scenarioSchema, type Scenario, type TrialConfig } from "../scenario/schema.js";
import { policyNameOf, type PolicyEntry } from "../scenario/plugin-entry.js";
import { idContent, type PluginRef } from "../contracts/record.js";
import { formatIssues, InputError, quote } from "../validation.js";
import type { AxisValue, TrialSpec } from "../contracts/trial-spec.js";
import { contentHash } from "./hash.js";

export interface SweepPoint {
  /** Axis path -> value at this point, in the scenario's axis order. */
  values: Record<string, AxisValue>;
  config: TrialConfig;
}

const NOT_SWEEPABLE = new Set(["$schema", "name", "description", "seeds", "policies", "reference", "sweep", "mobility.file", "mobility.sha256"]);
/** Path segments that would reach an object's prototype instead of a field. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** The values of one axis: a list as given, or min..max by step (rounded to 12 digits). */
export function axisValues(axis: Scenario["sweep"][string]): AxisValue[] {
  if (Array.isArray(axis)) return axis;
  const out: number[] = [];
  const count = axisLength(axis)!;
  for (let k = 0; k < count; k++) out.push(Number((axis.min + k * axis.step).toPrecision(12)));
  return out;
}

/** Why a sweep key cannot be an axis, or undefined if it can. */
function notAnAxis(key: string): string | undefined {
  const segments = key.split(".");
  const bad = segments.find((p) => FORBIDDEN_SEGMENTS.has(p));
  if (bad !== undefined) return `${quote(bad)} is not a field name`;
  // A trace file is read and hashed once, at load: it cannot vary across points.
  if (NOT_SWEEPABLE.has(segments[0]) || NOT_SWEEPABLE.has(key) || segments.some((p) => p === "")) return "not a sweepable field";
  return undefined;
}

const describePoint = (values: Record<string, AxisValue>): string =>
  Object.entries(values).map(([k, v]) => `${k}=${quote(v)}`).join(", ");

/** Sets `path` in `target`, copying the objects on the way (a sweep point's config; the Python environment's overrides, src/env/open-scenario.ts). */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let obj = target;
  for (const key of path.slice(0, -1)) {
    const next = obj[key];
    obj = obj[key] = next && typeof next === "object" && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  obj[path[path.length - 1]] = value;
}

function trialConfig(s: Scenario): TrialConfig {
  const { $schema: _s, name: _n, description: _d, seeds: _seeds, policies: _p, reference: _r, sweep: _sw, ...config } = s;
  return config;
}

/**
 * Applies each combination of axis values to the raw scenario and validates the result, so
 * a value that makes a bad scenario is reported with its axis and the field it breaks.
 */
export function expandPoints(raw: Record<string, unknown>, scenario: Scenario, source: string): SweepPoint[] {
  const axes = Object.entries(scenario.sweep);
  const problems: string[] = [];
  // The raw keys too: a parser may drop "__proto__" from the parsed record.
  const rawKeys = raw.sweep && typeof raw.sweep === "object" ? Object.keys(raw.sweep) : [];
  for (const key of new Set([...rawKeys, ...axes.map(([k]) => k)])) {
    const why = notAnAxis(key);
    if (why) problems.push(`sweep.${key}: ${why}`);
  }
  if (problems.length) throw new InputError(source, problems);

  const values = axes.map(([key, axis]) => [key, axisValues(axis)] as const);
  for (const [key, vs] of values) {
    // A range's values are rounded to 12 digits: a step below that precision repeats them.
    const repeated = vs.find((v, k) => vs.indexOf(v) !== k);
    if (repeated !== undefined) problems.push(`sweep.${key}: the value ${quote(repeated)} comes twice (rounded to 12 significant digits): use a larger step`);
  }
  if (problems.length) throw new InputError(source, problems);

  let combos: Record<string, AxisValue>[] = [{}];
  for (const [key, vs] of values) {
    combos = combos.flatMap((c) => vs.map((v) => ({ ...c, [key]: v })));
  }
  const points = combos.map((values) => {
    if (axes.length === 0) return { values, config: trialConfig(scenario) };
    const copy: Record<string, unknown> = { ...raw, sweep: {} };
    for (const [key, v] of Object.entries(values)) setPath(copy, key.split("."), v);
    const r = scenarioSchema.safeParse(copy);
    if (!r.success) throw new InputError(source, formatIssues(r.error).map((m) => `sweep point (${describePoint(values)}): ${m}`));
    return { values, config: trialConfig(r.data) };
  });
  refuseSameConfigs(points, source);
  return points;
}

/** Two points with one configuration: the axes whose values differ between them change nothing. */
export function refuseSameConfigs(points: SweepPoint[], source: string): void {
  const seen = new Map<string, SweepPoint>();
  const problems: string[] = [];
  for (const p of points) {
    const hash = contentHash(p.config, 64);
    const first = seen.get(hash);
    if (!first) {
      seen.set(hash, p);
      continue;
    }
    const axes = Object.keys(p.values).filter((k) => p.values[k] !== first.values[k]);
    problems.push(`sweep.${axes.join(", sweep.")}: points (${describePoint(first.values)}) and (${describePoint(p.values)}) give the same configuration; `
      + "each value of an axis must change the scenario");
  }
  if (problems.length) throw new InputError(source, problems);
}

/** A plug-in entry's module, hash and options for its trials (its sha256 filled in at load: src/sweep/load.ts). */
function pluginRef(entry: PolicyEntry): PluginRef | undefined {
  if (typeof entry === "string") return undefined;
  if (entry.sha256 === undefined) throw new Error(`sweep: plug-in ${entry.name} has no module hash (the scenario was not loaded from its folder)`);
  return { module: entry.module, sha256: entry.sha256, options: entry.options };
}

/** Every point x policy x seed, in that nesting order; ids hash the resolved trial content (idContent). */
export function expandTrials(name: string, points: SweepPoint[], policies: readonly PolicyEntry[], seeds: readonly number[], baseDir: string | null = null): TrialSpec[] {
  const specs: TrialSpec[] = [];
  points.forEach((p, pointIndex) => {
    for (const entry of policies) {
      const policy = policyNameOf(entry), plugin = pluginRef(entry);
      for (const seed of seeds) {
        const id = contentHash(idContent({ config: p.config, policy, seed, plugin }));
        specs.push({ id, scenario: name, pointIndex, point: p.values, policy, seed, ...(plugin ? { plugin } : {}), config: p.config, baseDir });
      }
    }
  });
  // Points, policies and seeds are each distinct, so a repeated id is a hash collision or a bug:
  // never let it merge two trials' records.
  const ids = new Set<string>();
  for (const t of specs) {
    if (ids.has(t.id)) throw new Error(`sweep: two trials share the id ${t.id} (point ${describePoint(t.point)}, ${t.policy}, seed ${t.seed})`);
    ids.add(t.id);
  }
  return specs;
}
