// The tidy summary: one row per sweep point x policy x metric, with a column per axis,
// built only from per-trial records so it can always be rebuilt.
import { METRICS, type TrialRecord } from "../contracts/record.js";
import { csvLine } from "./csv.js";
import { summarize } from "./stats.js";

export const SUMMARY_STATS = ["n", "mean", "sd", "ci95Low", "ci95High"] as const;

/** summary.csv's header for sweep axes `axes` (summaryCsv writes it; the report checks the file against it). */
export function summaryHeader(axes: readonly string[]): string[] {
  return [...axes, "policy", "metric", ...SUMMARY_STATS];
}

/**
 * `axes` fixes the axis columns; rows follow the order of first appearance of each
 * (point, policy) in `trials` (callers pass them in expansion order), metrics in METRICS order.
 * Failed trials and null (or, in records older than a metric, absent) values are left out of n.
 */
export function summaryCsv(trials: readonly TrialRecord[], axes: readonly string[]): string {
  const groups = new Map<string, { point: TrialRecord["point"]; policy: string; trials: TrialRecord[] }>();
  for (const t of trials) {
    const key = JSON.stringify([axes.map((a) => t.point[a]), t.policy]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { point: t.point, policy: t.policy, trials: [] }));
    g.trials.push(t);
  }
  let out = csvLine(summaryHeader(axes));
  for (const g of groups.values()) {
    for (const metric of METRICS) {
      const xs: number[] = [];
      for (const t of g.trials) {
        if (t.status !== "ok") continue;
        const v = t.metrics[metric];
        if (typeof v === "number" && Number.isFinite(v)) xs.push(v);
      }
      const s = summarize(xs);
      out += csvLine([...axes.map((a) => g.point[a]), g.policy, metric, s.n, s.mean, s.sd, s.ci95Low, s.ci95High]);
    }
  }
  return out;
}
