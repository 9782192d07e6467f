// The training curve of the learners (the paper's Fig. 4): mean reward per training episode,
// one line per learner with its 95% band over seeds, one figure per sweep point.
import type { TrialRecord } from "../../contracts/record.js";
import { csvLine } from "../csv.js";
import { summarize } from "../stats.js";
import { openFigureSet, writeFigures, type DrawOptions } from "./index.js";
import type { Layout } from "./size.js";
import { BAND_OPACITY, configFor, PALETTE } from "./style.js";

/**
 * The training reward has no bound (a learner's reward may include penalties), so its band
 * is drawn as computed; the episode axis has one value per episode, so a line fits it.
 */
export async function drawRewardCurves(dir: string, records: readonly TrialRecord[], policies: readonly string[], options: DrawOptions = {}): Promise<string[]> {
  const set = openFigureSet(dir, options);
  const { layout } = set;
  const figures: { name: string; spec: Record<string, unknown>; csv: string }[] = [];
  const trained = records.filter((r): r is Extract<TrialRecord, { status: "ok" }> => r.status === "ok" && r.training !== undefined);
  const points = [...new Set(trained.map((r) => JSON.stringify(r.point)))];
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
    const title = points.length > 1 ? Object.entries(JSON.parse(point)).map(([a, v]) => `${a} = ${v}`).join(", ") : undefined;
    const spec = curveSpec({ name, title, layout, learners, xTitle: "Training episode", yTitle: rewardTitle(here), bounds: "unbounded", points: false });
    figures.push({ name, spec, csv });
    const heldOut = heldOutFigure(here, learners, points.length > 1 ? `heldOutLatencyS-${k + 1}` : "heldOutLatencyS", title, layout);
    if (heldOut) figures.push(heldOut);
  }
  return writeFigures(set, figures);
}

/**
 * Beside the training curve, the held-out greedy evaluation (learning.heldOut): mean latency
 * of the frozen learner on worlds no training episode sees, after every so many episodes, one
 * line per learner with its 95% band over seeds. Convergence is read here, not on the
 * on-policy curve, which also shows the exploration schedule. None without held-out records.
 */
function heldOutFigure(here: readonly Extract<TrialRecord, { status: "ok" }>[], learners: readonly string[], name: string, title: string | undefined, layout: Layout): { name: string; spec: Record<string, unknown>; csv: string } | null {
  let csv = csvLine(["policy", "episode", "n", "mean", "ci95Low", "ci95High"]);
  let rows = 0;
  for (const policy of learners) {
    const runs = here.filter((r) => r.policy === policy && r.training?.heldOut).map((r) => r.training!.heldOut!);
    const episodes = [...new Set(runs.flatMap((h) => h.episode))].sort((a, b) => a - b);
    for (const e of episodes) {
      const s = summarize(runs.map((h) => h.latencyS[h.episode.indexOf(e)]).filter((x): x is number => typeof x === "number"));
      csv += csvLine([policy, e, s.n, s.mean, s.ci95Low, s.ci95High]);
      rows++;
    }
  }
  if (rows === 0) return null;
  const spec = curveSpec({ name, title, layout, learners, xTitle: "Training episodes before the evaluation", yTitle: "Held-out latency, greedy (s)", bounds: "nonNegative", points: true });
  return { name, spec, csv };
}

/** A curve against training episodes (data file `<name>.data.csv`: policy, episode, n, mean, ci95Low, ci95High): a line per learner and its 95% band. */
function curveSpec(o: { name: string; title: string | undefined; layout: Layout; learners: readonly string[]; xTitle: string; yTitle: string; bounds: "unbounded" | "nonNegative"; points: boolean }): Record<string, unknown> {
  const { layout } = o;
  const color = { field: "policy", type: "nominal", title: "Policy", scale: { domain: o.learners, range: PALETTE.slice(0, o.learners.length) } };
  const x = { field: "episode", type: "quantitative", title: o.xTitle };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(o.title ? { title: o.title } : {}),
    usermeta: { twinedge: { figureSize: layout.size, ...(layout.pageWidthPt !== null ? { widthPt: layout.pageWidthPt } : {}), bounds: o.bounds } },
    width: layout.width,
    height: layout.height,
    data: { url: `${o.name}.data.csv`, format: { type: "csv", parse: { episode: "number", n: "number", mean: "number", ci95Low: "number", ci95High: "number" } } },
    layer: [
      { mark: { type: "area", opacity: BAND_OPACITY }, encoding: { x, y: { field: "ci95Low", type: "quantitative" }, y2: { field: "ci95High" }, color } },
      { mark: { type: "line", ...(o.points ? { point: true } : {}), strokeWidth: layout.pageWidthPt === null ? 1.5 : layout.lineWidth }, encoding: { x, y: { field: "mean", type: "quantitative", title: o.yTitle }, color } },
    ],
    config: configFor(layout),
  };
}

/** The training reward's axis title, in the learners' reward form (learning.rewardForm: -T_proc in s, or the paper's 1/T_proc in 1/s). */
function rewardTitle(records: readonly TrialRecord[]): string {
  const forms = new Set(records.map((r) => ((r.config.learning as { rewardForm?: string } | undefined)?.rewardForm ?? "inverseLatency")));
  if (forms.size !== 1) return "Average reward per agent-step";
  return forms.has("negLatency") ? "Average reward per agent-step, −T_proc (s)" : "Average reward per agent-step, 1/T_proc (1/s)";
}
