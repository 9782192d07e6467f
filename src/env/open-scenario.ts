// The environment's scenario: a scenario file or object, with field overrides and the choice
// of one sweep point, validated exactly as `twinedge run` validates a scenario (the same
// schema, limits and sweep expansion, src/sweep/load.ts), so a bad field is an InputError
// naming its path. Overrides set a dotted path's value whole (`{"users.perSite": 50}`).
import { basename, dirname, resolve } from "node:path";
import { resolveScenario } from "../sweep/load.js";
import { setPath, type SweepPoint } from "../sweep/expand.js";
import { InputError, quote, readJsonFile } from "../validation.js";

export interface ScenarioRequest {
  /** A scenario file (resolved against the working directory) ... */
  path?: string;
  /** ... or a scenario object (trace files then resolve against the working directory). */
  object?: unknown;
  /** Dotted field path -> value, set whole, in order. */
  overrides?: Record<string, unknown>;
  /** The sweep point: its index in expansion order, or axis path -> value (a subset of the axes that picks one point). */
  point?: number | Record<string, unknown> | null;
}

export interface OpenedScenario {
  name: string;
  point: SweepPoint;
  pointIndex: number;
  points: number;
  baseDir: string;
}

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** The scenario the request names, with its overrides, at its one chosen point; InputError otherwise. */
export function openScenario(r: ScenarioRequest): OpenedScenario {
  const source = r.path ?? "<scenario>";
  const raw = r.path !== undefined ? readJsonFile(r.path) : r.object;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(source, ["(root): expected a JSON object"]);
  const copy = structuredClone(raw) as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(r.overrides ?? {})) {
    const path = key.split(".");
    if (path.some((p) => p === "" || FORBIDDEN_SEGMENTS.has(p))) problems.push(`${key}: not a field path (override)`);
    else setPath(copy, path, value);
  }
  if (problems.length) throw new InputError(source, problems);
  const baseDir = r.path !== undefined ? dirname(resolve(r.path)) : process.cwd();
  const loaded = resolveScenario(copy, source, { fallbackName: r.path !== undefined ? basename(r.path).replace(/\.json$/i, "") : "scenario", baseDir });
  const pointIndex = choosePoint(loaded.points, r.point ?? null, source);
  return { name: loaded.name, point: loaded.points[pointIndex], pointIndex, points: loaded.points.length, baseDir };
}

function choosePoint(points: SweepPoint[], point: number | Record<string, unknown> | null, source: string): number {
  const axes = Object.keys(points[0].values);
  const how = axes.length ? `: choose one with point=<index 0..${points.length - 1}> or point={${axes.map((a) => `${quote(a)}: value`).join(", ")}}` : "";
  if (point === null) {
    if (points.length === 1) return 0;
    throw new InputError(source, [`point: the scenario sweeps ${axes.join(", ")} (${points.length} points)${how}`]);
  }
  if (typeof point === "number") {
    if (Number.isInteger(point) && point >= 0 && point < points.length) return point;
    throw new InputError(source, [`point: expected an index in 0..${points.length - 1}, got ${quote(point)}`]);
  }
  const unknown = Object.keys(point).filter((k) => !axes.includes(k));
  if (unknown.length) throw new InputError(source, unknown.map((k) => `point.${k}: not a sweep axis of the scenario (its axes: ${axes.join(", ") || "none"})`));
  const match = points.flatMap((p, k) => (Object.entries(point).every(([a, v]) => p.values[a] === v) ? [k] : []));
  if (match.length === 1) return match[0];
  const asked = Object.entries(point).map(([a, v]) => `${a}=${quote(v)}`).join(", ");
  throw new InputError(source, [`point: (${asked}) matches ${match.length} of the ${points.length} points${how}`]);
}
