// The numbers a figure plots: per (point, policy) group, `summarize` over the ok trials'
// finite values, grouped and formatted exactly as summary.csv does, so every row of a figure's
// data file is also a row of summary.csv. A difference figure plots paired.csv's rows
// (../paired.ts) for its reference and metric, computed by the same function.
import { METRICS, type MetricName } from "../../contracts/record.js";
import type { TrialRecord } from "../../contracts/record.js";
import { csvLine } from "../csv.js";
import { pairedRows, type PairedRow } from "../paired.js";
import { summarize, type Summary } from "../stats.js";
import { SUMMARY_STATS } from "../summary.js";

type AxisValue = TrialRecord["point"][string];

interface Row {
  point: TrialRecord["point"];
  policy: string;
  stats: Summary;
}

export interface MetricTable {
  metric: MetricName;
  /** Groups in order of first appearance in the records, as in summary.csv. */
  rows: Row[];
}

/** The paired differences policy − `reference` of one metric, as paired.csv has them. */
export interface PairedTable {
  metric: MetricName;
  reference: string;
  /** paired.csv's rows for this reference and metric, in its order, for the policies drawn. */
  rows: PairedRow[];
}

/**
 * How an axis is drawn. Quantitative: three or more distinct numbers, on a linear scale,
 * one line per policy with its band (a line claims the values between the swept ones).
 * Categorical: strings, booleans, a mix, or fewer than three distinct numbers (two values
 * say nothing about the shape between them), one point per policy and category with an
 * error bar, and nothing drawn between categories.
 */
export interface AxisInfo {
  path: string;
  kind: "quantitative" | "categorical";
  /** Distinct values: numbers ascending, anything else in order of first appearance. */
  values: AxisValue[];
}

/** Fewer distinct numbers than this make an axis categorical. */
const MIN_QUANTITATIVE_VALUES = 3;

/** Records of policies not in `policies` are left out: the caller's list fixes lines and colours. */
export function metricTables(records: readonly TrialRecord[], axes: readonly string[], policies: readonly string[]): MetricTable[] {
  const wanted = new Set(policies);
  const groups = new Map<string, { point: TrialRecord["point"]; policy: string; trials: TrialRecord[] }>();
  for (const t of records) {
    if (!wanted.has(t.policy)) continue;
    const key = JSON.stringify([axes.map((a) => t.point[a]), t.policy]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { point: t.point, policy: t.policy, trials: [] }));
    g.trials.push(t);
  }
  return METRICS.map((metric) => ({
    metric,
    rows: [...groups.values()].map((g) => {
      const xs: number[] = [];
      for (const t of g.trials) {
        if (t.status !== "ok") continue;
        const v = t.metrics[metric];
        if (v !== null && Number.isFinite(v)) xs.push(v);
      }
      return { point: g.point, policy: g.policy, stats: summarize(xs) };
    }),
  }));
}

/**
 * The paired tables against `reference`, one per metric in METRICS order (planFigures calls
 * it): the rows of `pairedRows` (paired.csv's) for that reference and the policies in
 * `policies`, so every row of a difference figure's data file is a row of paired.csv.
 */
export function pairedTables(records: readonly TrialRecord[], axes: readonly string[], policies: readonly string[], reference: string): PairedTable[] {
  const wanted = new Set(policies);
  const rows = pairedRows(records, axes, [reference]).filter((r) => wanted.has(r.policy));
  return METRICS.map((metric) => ({ metric, reference, rows: rows.filter((r) => r.metric === metric) }));
}

/** Whether a table has a finite mean (difference) anywhere: planFigures draws no figure without one. */
export function hasFiniteValues(table: MetricTable | PairedTable): boolean {
  return table.rows.some((r) => Number.isFinite(r.stats.mean));
}

export function axisInfo(records: readonly TrialRecord[], path: string): AxisInfo {
  const seen = new Map<string, AxisValue>();
  for (const t of records) {
    const v = t.point[path];
    const key = JSON.stringify(v);
    if (!seen.has(key)) seen.set(key, v);
  }
  const values = [...seen.values()];
  const numeric = values.length > 0 && values.every((v) => typeof v === "number" && Number.isFinite(v));
  if (!numeric) return { path, kind: "categorical", values };
  const sorted = (values as number[]).slice().sort((a, b) => a - b);
  return { path, kind: sorted.length >= MIN_QUANTITATIVE_VALUES ? "quantitative" : "categorical", values: sorted };
}

/** The tidy CSV of one metric: summary.csv's columns and row format, this metric's rows only. */
export function tableCsv(table: MetricTable, axes: readonly string[]): string {
  let out = csvLine([...axes, "policy", "metric", ...SUMMARY_STATS]);
  for (const r of table.rows) {
    const s = r.stats;
    out += csvLine([...axes.map((a) => r.point[a]), r.policy, table.metric, s.n, s.mean, s.sd, s.ci95Low, s.ci95High]);
  }
  return out;
}
