import { basename } from "node:path";
import { expandPoints, expandTrials, type SweepPoint, type TrialSpec } from "../sweep/expand.js";
import { InputError, parseWith, readJsonFile } from "../validation.js";
import { scenarioSchema, type Scenario } from "./schema.js";

export interface LoadedScenario {
  name: string;
  /** The scenario with every default filled in. */
  scenario: Scenario;
  points: SweepPoint[];
  trials: TrialSpec[];
}

/** Validates a parsed scenario completely (sweep points included): nothing runs on bad input. */
export function resolveScenario(raw: unknown, source: string, fallbackName = "scenario"): LoadedScenario {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(source, ["(root): expected a JSON object"]);
  const scenario = parseWith(scenarioSchema, raw, source);
  const name = scenario.name ?? fallbackName;
  const points = expandPoints(raw as Record<string, unknown>, scenario, source);
  return { name, scenario: { ...scenario, name }, points, trials: expandTrials(name, points, scenario.policies, scenario.seeds) };
}

export function loadScenario(path: string): LoadedScenario {
  return resolveScenario(readJsonFile(path), path, basename(path).replace(/\.json$/i, ""));
}
