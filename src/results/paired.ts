// The paired comparison: every policy of a sweep point sees the same worlds per seed (the
// world's streams depend on the seed, not on the policy), so its difference from a reference
// policy is taken seed by seed and summarised as one sample. One row per point x policy x
// reference x metric, built only from per-trial records, like summary.csv. The rows are data
// first: paired.csv writes them all, a difference figure (figures/data.ts) the ones it draws.
import { METRICS, type MetricName, type TrialRecord } from "../contracts/record.js";
import { csvLine } from "./csv.js";
import { summarize, type Summary } from "./stats.js";

const PAIRED_COLUMNS = ["n", "meanDiff", "sdDiff", "ci95Low", "ci95High", "shareLower"] as const;

/** One row of paired.csv: `stats` summarises the seed-by-seed differences policy − reference. */
export interface PairedRow {
  point: TrialRecord["point"];
  policy: string;
  reference: string;
  metric: MetricName;
  /** n, mean (meanDiff), sd (sdDiff) and the 95 % Student-t interval of the differences. */
  stats: Summary;
  /** Share of the n seeds where the policy's value is strictly lower; NaN when n = 0. */
  shareLower: number;
}

/**
 * The paired differences policy − reference of every metric (paired.csv and the difference
 * figures call it): n seeds where both trials are ok and the metric is a finite number for
 * both; meanDiff, sdDiff and the 95 % Student-t interval of the mean difference (stats.ts);
 * shareLower, the share of those seeds where the policy's value is strictly lower than the
 * reference's. Rows: points in the order of first appearance in `trials`, then policies in
 * that order, then `references` in their order (a policy is not paired with itself), then
 * METRICS.
 */
export function pairedRows(trials: readonly TrialRecord[], axes: readonly string[], references: readonly string[]): PairedRow[] {
  const points = new Map<string, { point: TrialRecord["point"]; byPolicy: Map<string, Map<number, TrialRecord>> }>();
  for (const t of trials) {
    const key = JSON.stringify(axes.map((a) => t.point[a]));
    let p = points.get(key);
    if (!p) points.set(key, (p = { point: t.point, byPolicy: new Map() }));
    let seeds = p.byPolicy.get(t.policy);
    if (!seeds) p.byPolicy.set(t.policy, (seeds = new Map()));
    seeds.set(t.seed, t);
  }
  const rows: PairedRow[] = [];
  for (const { point, byPolicy } of points.values()) {
    for (const [policy, mine] of byPolicy) {
      for (const reference of references) {
        const theirs = byPolicy.get(reference);
        if (reference === policy || !theirs) continue;
        for (const metric of METRICS) {
          const diffs: number[] = [];
          let lower = 0;
          for (const [seed, a] of mine) {
            const b = theirs.get(seed);
            if (!b || a.status !== "ok" || b.status !== "ok") continue;
            const x = a.metrics[metric], y = b.metrics[metric];
            if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) continue;
            diffs.push(x - y);
            if (x < y) lower++;
          }
          rows.push({ point, policy, reference, metric, stats: summarize(diffs), shareLower: diffs.length ? lower / diffs.length : NaN });
        }
      }
    }
  }
  return rows;
}

/** paired.csv's header for sweep axes `axes` (pairedRowsCsv writes it; the report checks the file against it). */
export function pairedHeader(axes: readonly string[]): string[] {
  return [...axes, "policy", "reference", "metric", ...PAIRED_COLUMNS];
}

/** `rows` as CSV with paired.csv's header and cell format (paired.csv and a difference figure's data file). */
export function pairedRowsCsv(rows: readonly PairedRow[], axes: readonly string[]): string {
  let out = csvLine(pairedHeader(axes));
  for (const r of rows) {
    const s = r.stats;
    out += csvLine([...axes.map((a) => r.point[a]), r.policy, r.reference, r.metric, s.n, s.mean, s.sd, s.ci95Low, s.ci95High, r.shareLower]);
  }
  return out;
}

/** paired.csv of a result folder (ResultSet.writeAggregates): every row of `pairedRows`. */
export function pairedCsv(trials: readonly TrialRecord[], axes: readonly string[], references: readonly string[]): string {
  return pairedRowsCsv(pairedRows(trials, axes, references), axes);
}
