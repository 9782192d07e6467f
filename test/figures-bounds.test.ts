// The drawn interval stays in the metric's range: a share's within [0, 1], a delay's at or
// above 0, even for n = 2 seeds with a large sd (t = 12.7), while the data file keeps the
// raw Student-t interval, as summary.csv does. A paired difference of shares stays within
// [−1, 1]; one of delays can take any sign and is drawn as computed.
import { describe, expect, it } from "vitest";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { figureCsv, planFigures } from "../src/results/figures/index.js";
import { metricLabel } from "../src/results/figures/labels.js";
import { figureSpec, withInlineData } from "../src/results/figures/spec.js";
import { METRICS } from "../src/contracts/record.js";
import { trialRecords, type Point } from "./figures-fixtures.js";

const POLICIES = ["local", "greedy"];

/** Two seeds far apart: the 95% interval of the mean is about ±6 times their spread. */
const recsFor = (points: Point[]) =>
  trialRecords(points, POLICIES, [1, 2], (_pt, policy, seed) => ({
    deadlineMissRate: seed === 1 ? 0.02 : 0.98 - 0.1 * POLICIES.indexOf(policy),
    latencyS: seed === 1 ? 0.001 : 2 + POLICIES.indexOf(policy),
  }));

interface Item { y?: number; y2?: number; items?: Item[]; marktype?: string; role?: string }

/** y and y2 (in data units) of every item of the area and rule data marks: the bands and error bars (not the axes). */
async function drawnIntervals(spec: TopLevelSpec): Promise<number[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  await view.runAsync();
  const y = view.scale("y") as unknown as { invert: (px: number) => number };
  const out: number[] = [];
  const walk = (node: Item): void => {
    if ((node.marktype === "area" || node.marktype === "rule") && node.role === "mark") {
      for (const it of node.items ?? []) {
        // Axis ticks and grid lines are rules too, but they carry no y2.
        if (it.y !== undefined && it.y2 !== undefined && it.y2 !== it.y) out.push(y.invert(it.y), y.invert(it.y2));
      }
      return;
    }
    for (const child of node.items ?? []) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: Item }).root);
  view.finalize();
  return out;
}

const CASES: [string, Point[], string[]][] = [
  ["a band (three numbers on x)", [10, 20, 30].map((u) => ({ "users.perSite": u })), ["users.perSite"]],
  ["error bars (a boolean on x)", [false, true].map((t) => ({ "auth.trustTransfer": t })), ["auth.trustTransfer"]],
  ["error bars on bars (no axis)", [{}], []],
];

describe.each(CASES)("%s", (_name, points, axes) => {
  const recs = recsFor(points);
  const plans = planFigures(recs, axes, POLICIES, []);

  it.each(["deadlineMissRate", "latencyS"] as const)("%s: drawn within its range, data left raw", async (metric) => {
    const plan = plans.find((p) => p.table.metric === metric)!;
    const csv = figureCsv(plan, axes);
    // The data keep the raw interval, which leaves the range.
    const lows = plan.table.rows.map((r) => r.stats.ci95Low);
    expect(Math.min(...lows)).toBeLessThan(-1);
    expect(csv).toContain(String(lows[0]));
    const spec = figureSpec(plan);
    const ys = await drawnIntervals(withInlineData(spec, csv));
    expect(ys.length).toBeGreaterThanOrEqual(2 * plan.table.rows.length);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(-1e-9);
    if (metric === "deadlineMissRate") expect(Math.max(...ys)).toBeLessThanOrEqual(1 + 1e-9);
    // The spec says so, for a reader and for a program.
    const meta = (spec as unknown as { usermeta: { twinedge: { intervalDrawnWithin: unknown } }; description: string });
    expect(meta.usermeta.twinedge.intervalDrawnWithin).toEqual(metric === "deadlineMissRate" ? { low: 0, high: 1 } : { low: 0, high: null });
    expect(meta.description).toMatch(metric === "deadlineMissRate" ? /clipped to \[0, 1\]/ : /clipped at 0/);
  });
});

/** Paired differences greedy − local of ±0.9 (a share) and ±3 s (a delay) over two seeds: intervals of about ±11 and ±38. */
const swingFor = (points: Point[]) =>
  trialRecords(points, POLICIES, [1, 2], (_pt, policy, seed) => {
    const sign = policy === "local" ? 0 : seed === 1 ? 1 : -1;
    return { deadlineMissRate: 0.05 + 0.9 * Math.max(sign, 0) + (seed === 2 && policy === "local" ? 0.9 : 0), latencyS: 4 + 3 * sign };
  });

describe.each(CASES)("paired difference, %s", (_name, points, axes) => {
  const recs = swingFor(points);
  const plans = planFigures(recs, axes, POLICIES, ["local"]).filter((p) => p.name.includes("-diff-local"));

  it.each(["deadlineMissRate", "latencyS"] as const)("%s: a share's within [-1, 1], a delay's as computed, data left raw", async (metric) => {
    const plan = plans.find((p) => p.table.metric === metric)!;
    const csv = figureCsv(plan, axes);
    const lows = plan.table.rows.map((r) => r.stats.ci95Low);
    expect(Math.min(...lows)).toBeLessThan(-5);
    expect(csv).toContain(String(lows[0]));
    const spec = figureSpec(plan);
    const ys = await drawnIntervals(withInlineData(spec, csv));
    // Bands or error bars: two ends per row, besides the zero rule (which has no y2).
    expect(ys.length).toBeGreaterThanOrEqual(2 * plan.table.rows.length);
    if (metric === "deadlineMissRate") {
      expect(Math.min(...ys)).toBeGreaterThanOrEqual(-1 - 1e-9);
      expect(Math.max(...ys)).toBeLessThanOrEqual(1 + 1e-9);
    } else {
      expect(Math.min(...ys)).toBeCloseTo(Math.min(...lows), 6);
    }
    const meta = (spec as unknown as { usermeta: { twinedge: { intervalDrawnWithin: unknown; pairedAgainst: string } }; description: string });
    expect(meta.usermeta.twinedge.pairedAgainst).toBe("local");
    expect(meta.usermeta.twinedge.intervalDrawnWithin).toEqual(metric === "deadlineMissRate" ? { low: -1, high: 1 } : { low: null, high: null });
    if (metric === "deadlineMissRate") expect(meta.description).toMatch(/clipped to \[-1, 1\]/);
    else expect(meta.description).not.toMatch(/clipped/);
  });
});

describe("the bounds table", () => {
  it("gives every metric a range, and shares are the rates, ratios and accuracies", () => {
    for (const m of METRICS) expect(["share", "nonNegative", "unbounded"]).toContain(metricLabel(m).bounds);
    const shares = METRICS.filter((m) => metricLabel(m).bounds === "share");
    expect(shares).toEqual(["deadlineMissRate", "offloadRatio", "infeasibleRate", "nextCellAccuracy", "nextCellAccuracyStay", "fetchSavedShare"]);
    expect(metricLabel("someNewMetric").bounds).toBe("unbounded");
  });
});
