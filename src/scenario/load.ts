// Pure parsing of a scenario: the raw JSON value to a Scenario with every default filled,
// after the limits that can be checked without listing anything (src/scenario/limits.ts).
// Reading files (the scenario's, its trace) and expanding the sweep happen a layer up, in
// src/sweep/load.ts.
import { InputError, parseWith } from "../validation.js";
import { checkTrialCount, DEFAULT_LIMITS, type Limits } from "./limits.js";
import { scenarioSchema, type Scenario } from "./schema.js";

/** Command-line settings that replace the file's (they change the trials, so their ids too). */
export interface ScenarioOverrides {
  /** `--auth`: the authentication mode. */
  authMode?: "off" | "crypto" | "modeled";
}

/** The raw scenario as a JSON object, or an InputError. */
export function scenarioObject(raw: unknown, source: string): Record<string, unknown> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(source, ["(root): expected a JSON object"]);
  return raw as Record<string, unknown>;
}

/** The raw scenario with the command line's overrides applied (a new object; `raw` is untouched). */
export function applyOverrides(raw: Record<string, unknown>, o: ScenarioOverrides): Record<string, unknown> {
  if (o.authMode === undefined) return raw;
  return { ...raw, auth: { ...(raw.auth as object | undefined), mode: o.authMode } };
}

/**
 * Checks the trial count arithmetically (so `seeds: 1e9` is never listed), then parses with
 * the schema. Throws an InputError naming every bad field.
 */
export function parseScenario(raw: Record<string, unknown>, source: string, limits: Limits = DEFAULT_LIMITS): Scenario {
  checkTrialCount(raw, source, limits);
  return parseWith(scenarioSchema, raw, source);
}
