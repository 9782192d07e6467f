// Figures of a result folder, redrawn from its per-trial files (`twinedge plot`, and the
// last step of merge). The records are read from trials/ (each checked as run checks it)
// and ordered by what they and the raw scenario.json say, without re-validating the
// scenario under today's schema: a folder written before a field was added still plots.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { drawRewardCurves } from "../results/figures/curve.js";
import { drawFigures, type FigureSize } from "../results/figures/index.js";
import { drawTopology } from "../results/figures/topology.js";
import { folderPlan, inExpansionOrder } from "../results/folder-plan.js";
import { REPORT_FILE } from "../results/report/page.js";
import { readResultJson, ResultSet } from "../results/result-set.js";
import { InputError } from "../validation.js";
import { misplacedAgainstConfig } from "./point-check.js";
import { recordHash } from "./run-sweep.js";

/** Draws the figures of every trial record present in `dir` (a shard holds only its share), and rewrites its report.html if it has one. */
export async function plotResultDir(dir: string, options: { size?: FigureSize } = {}, say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string[]> {
  const plan = folderPlan(readResultJson(dir, "scenario.json"), join(dir, "scenario.json"));
  const rs = ResultSet.open(dir, recordHash);
  try {
    const { found, problems } = rs.allTrials();
    for (const p of problems) say(`${join(dir, p)}; left out`);
    const placed = found.filter(({ record: r }) => {
      const misplaced = misplacedAgainstConfig(r, plan);
      if (misplaced !== null) say(`${join(dir, "trials", `${r.id}.json`)}: ${misplaced}; left out`);
      return misplaced === null;
    });
    const records = inExpansionOrder(placed.map((f) => f.record), plan);
    if (records.length === 0) throw new InputError(dir, ["holds no usable trial records (trials/*.json)"]);
    const files = [
      ...(await drawFigures(dir, records, plan.axes, plan.policies, plan.references, options)),
      ...(await drawRewardCurves(dir, records, plan.policies, options)),
      ...(await drawTopology(dir, options)),
    ];
    // A report.html already there would show the old figures: it is rewritten with the new ones.
    if (existsSync(join(dir, REPORT_FILE))) {
      const { writeReport } = await import("../results/report/index.js");
      files.push(writeReport(dir));
    }
    return files;
  } finally {
    rs.close();
  }
}
