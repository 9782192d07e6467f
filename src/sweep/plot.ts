// Figures of a result folder, redrawn from its per-trial files (`twinedge plot`, and the
// last step of run and merge).
import { join } from "node:path";
import type { TrialRecord } from "../run/trial.js";
import { drawRewardCurves } from "../results/figures/curve.js";
import { drawFigures, type FigureSize } from "../results/figures/index.js";
import { readResultJson, ResultSet } from "../results/result-set.js";
import { resolveScenario } from "../scenario/load.js";
import { InputError } from "../validation.js";

/** Draws the figures of every trial record present in `dir` (a shard holds only its share). */
export async function plotResultDir(dir: string, options: { size?: FigureSize } = {}): Promise<string[]> {
  const path = join(dir, "scenario.json");
  const raw = readResultJson(dir, "scenario.json");
  const { scenario, trials } = resolveScenario(raw, path);
  const rs = new ResultSet(dir);
  const records = trials.map((t) => rs.readTrial(t.id)).filter((r): r is TrialRecord => r !== undefined);
  if (records.length === 0) throw new InputError(dir, ["holds no trial records (trials/*.json)"]);
  return [
    ...(await drawFigures(dir, records, Object.keys(scenario.sweep), scenario.policies, options)),
    ...(await drawRewardCurves(dir, records, scenario.policies, options)),
  ];
}
