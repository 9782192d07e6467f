import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { expandPoints, expandTrials, type SweepPoint } from "../sweep/expand.js";
import type { TrialSpec } from "../contracts/trial-spec.js";
import { InputError, parseWith, readJsonFile } from "../validation.js";
import { parseTrace, traceSha256 } from "../world/trace.js";
import { userCount } from "../world/world.js";
import { scenarioSchema, type Scenario } from "./schema.js";

export interface LoadedScenario {
  name: string;
  /** The scenario with every default filled in. */
  scenario: Scenario;
  points: SweepPoint[];
  trials: TrialSpec[];
}

export interface ResolveOptions {
  fallbackName?: string;
  /**
   * The scenario file's folder: trace files are read from there, checked and hashed into the
   * config (so a changed trace is a different trial). Without it (re-reading a result
   * folder's scenario.json), the recorded hashes are trusted.
   */
  baseDir?: string;
}

/** Validates a parsed scenario completely (sweep points and trace files included): nothing runs on bad input. */
export function resolveScenario(raw: unknown, source: string, o: ResolveOptions = {}): LoadedScenario {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(source, ["(root): expected a JSON object"]);
  let input = raw as Record<string, unknown>;
  const trace = o.baseDir !== undefined ? readTrace(input, o.baseDir, source) : undefined;
  if (trace) input = { ...input, mobility: { ...(input.mobility as object), sha256: trace.sha256 } };
  const scenario = parseWith(scenarioSchema, input, source);
  const name = scenario.name ?? o.fallbackName ?? "scenario";
  const points = expandPoints(input, scenario, source);
  if (trace) {
    const checked = new Set<string>();
    for (const p of points) {
      const key = JSON.stringify([userCount(p.config), p.config.area]);
      if (!checked.has(key)) parseTrace(trace.text, trace.path, userCount(p.config), p.config.area);
      checked.add(key);
    }
  }
  return { name, scenario: { ...scenario, name }, points, trials: expandTrials(name, points, scenario.policies, scenario.seeds, o.baseDir ?? null) };
}

function readTrace(raw: Record<string, unknown>, baseDir: string, source: string): { text: string; path: string; sha256: string } | undefined {
  const m = raw.mobility as { model?: unknown; file?: unknown; sha256?: unknown } | undefined;
  if (!m || m.model !== "trace" || typeof m.file !== "string") return undefined;
  const path = resolve(baseDir, m.file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(source, [`mobility.file: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  const sha256 = traceSha256(text);
  if (m.sha256 !== undefined && m.sha256 !== sha256) throw new InputError(source, [`mobility.sha256: ${path} has changed since (its SHA-256 is ${sha256})`]);
  return { text, path, sha256 };
}

/** Command-line settings that replace the file's (they change the trials, so their ids too). */
export interface ScenarioOverrides {
  /** `--auth`: the authentication mode. */
  authMode?: "off" | "crypto" | "modeled";
}

export function loadScenario(path: string, overrides: ScenarioOverrides = {}): LoadedScenario {
  let raw = readJsonFile(path);
  if (overrides.authMode !== undefined && raw && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    raw = { ...r, auth: { ...(r.auth as object | undefined), mode: overrides.authMode } };
  }
  return resolveScenario(raw, path, { fallbackName: basename(path).replace(/\.json$/i, ""), baseDir: dirname(resolve(path)) });
}
