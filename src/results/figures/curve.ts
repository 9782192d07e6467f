// The training curve of the learners (the paper's Fig. 4): mean reward per training episode,
// one line per learner with its 95% band over seeds, one figure per sweep point.
import { join } from "node:path";
import type { TrialRecord } from "../../run/trial.js";
import { csvLine } from "../csv.js";
import { summarize } from "../stats.js";
import { writeFigure } from "./index.js";
import { BAND_OPACITY, CONFIG, HEIGHT, PALETTE, WIDTH } from "./style.js";

export async function drawRewardCurves(dir: string, records: readonly TrialRecord[], policies: readonly string[]): Promise<string[]> {
  const trained = records.filter((r): r is Extract<TrialRecord, { status: "ok" }> => r.status === "ok" && r.training !== undefined);
  const points = [...new Set(trained.map((r) => JSON.stringify(r.point)))];
  const written: string[] = [];
  for (const [k, point] of points.entries()) {
    const here = trained.filter((r) => JSON.stringify(r.point) === point);
    const learners = policies.filter((p) => here.some((r) => r.policy === p));
    let csv = csvLine(["policy", "episode", "n", "mean", "ci95Low", "ci95High"]);
    for (const policy of learners) {
      const runs = here.filter((r) => r.policy === policy).map((r) => r.training!.rewardByEpisode);
      const episodes = Math.max(...runs.map((c) => c.length));
      for (let e = 0; e < episodes; e++) {
        const s = summarize(runs.map((c) => c[e]).filter((x): x is number => x !== null && x !== undefined));
        csv += csvLine([policy, e + 1, s.n, s.mean, s.ci95Low, s.ci95High]);
      }
    }
    const name = points.length > 1 ? `rewardByEpisode-${k + 1}` : "rewardByEpisode";
    const color = { field: "policy", type: "nominal", title: "Policy", scale: { domain: learners, range: PALETTE.slice(0, learners.length) } };
    const x = { field: "episode", type: "quantitative", title: "Training episode" };
    const title = points.length > 1 ? Object.entries(JSON.parse(point)).map(([a, v]) => `${a} = ${v}`).join(", ") : undefined;
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      ...(title ? { title } : {}),
      width: WIDTH,
      height: HEIGHT,
      data: { url: `${name}.data.csv`, format: { type: "csv", parse: { episode: "number", n: "number", mean: "number", ci95Low: "number", ci95High: "number" } } },
      layer: [
        { mark: { type: "area", opacity: BAND_OPACITY }, encoding: { x, y: { field: "ci95Low", type: "quantitative" }, y2: { field: "ci95High" }, color } },
        { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "mean", type: "quantitative", title: "Average reward per agent-step (1/s)" }, color } },
      ],
      config: CONFIG,
    };
    written.push(...(await writeFigure(join(dir, "figures", name), spec, csv, name)));
  }
  return written;
}
