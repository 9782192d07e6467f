// Vega-Lite specs for the figures. The data file keeps summary.csv's (a difference figure:
// paired.csv's) columns and raw numbers; the spec's transforms derive the plotted fields (x,
// panel labels, scaled values, the drawn interval clipped to the metric's range), so the
// .vl.json plus its .data.csv fully describe a figure and can be restyled by hand.
import type { TopLevelSpec } from "vega-lite";
import type { AxisInfo, MetricTable, PairedTable } from "./data.js";
import { axisLabel, metricLabel, siScale, titleOf, type Bounds } from "./labels.js";
import type { Layout } from "./size.js";
import { BAND_OPACITY, configFor, PALETTE, RULE_COLOR, SHAPES } from "./style.js";

type Json = Record<string, unknown>;

const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Ticks go on the swept values themselves, unless there are too many to label. */
const MAX_EXPLICIT_TICKS = 12;

const STAT_PARSE = { n: "number", mean: "number", sd: "number", ci95Low: "number", ci95High: "number" } as const;
const PAIRED_PARSE = { n: "number", meanDiff: "number", sdDiff: "number", ci95Low: "number", ci95High: "number", shareLower: "number" } as const;

export interface FigureInput {
  /** File base name; the spec points at `<name>.data.csv`. */
  name: string;
  /** summary.csv's rows of one metric; for a difference figure, paired.csv's rows against one reference. */
  table: MetricTable | PairedTable;
  /** Every policy of the scenario, in its order: they fix colours and shapes. */
  policies: readonly string[];
  /** The swept axis on x, or null for one bar per policy (a scenario without sweep). */
  x: AxisInfo | null;
  /** The other sweep axes: one panel per combination of their values. */
  facets: readonly AxisInfo[];
  layout: Layout;
}

/** [low, high] of a drawn interval; null: no bound on that side. */
type Range = [number | null, number | null];

/** The reference of a difference figure, null for a figure of means. */
function referenceOf(input: FigureInput): string | null {
  return "reference" in input.table ? input.table.reference : null;
}

/**
 * What the drawn interval is clipped to: the metric's range for a mean; for a difference of
 * two shares, [−1, 1]; a difference of non-negative quantities can take any sign and size.
 */
function drawnRange(bounds: Bounds, paired: boolean): Range {
  if (bounds === "share") return paired ? [-1, 1] : [0, 1];
  if (bounds === "nonNegative" && !paired) return [0, null];
  return [null, null];
}

/** A vega-lite expression reading a CSV column, whatever characters its name has. */
function column(path: string): string {
  return `datum[${JSON.stringify(path)}]`;
}

/** `expr / divisor`, keeping an empty cell empty (null / 1e6 would be 0 and draw a false point). */
function divided(expr: string, divisor: number): string {
  return divisor === 1 ? expr : `isValid(${expr}) ? ${expr} / ${divisor} : null`;
}

function numericValues(axis: AxisInfo): number[] {
  return axis.kind === "quantitative" ? (axis.values as number[]) : [];
}

/**
 * Colours and shapes follow the caller's policy order (`all`), so a policy looks the same in
 * every figure, a difference figure (which leaves the reference out) included.
 */
function policyScale(shown: readonly string[], all: readonly string[], range: readonly string[]): Json {
  return { domain: [...shown], range: shown.map((p) => range[Math.max(0, all.indexOf(p)) % range.length]) };
}

/** The policies a figure draws: all of them, or for a difference figure all but its reference. */
function shownPolicies(input: FigureInput): string[] {
  const reference = referenceOf(input);
  return input.policies.filter((p) => p !== reference);
}

/** `expr` clipped to `range`, keeping an empty cell empty. */
function clipped(expr: string, [low, high]: Range): string {
  if (low !== null && high !== null) return `isValid(${expr}) ? clamp(${expr}, ${low}, ${high}) : null`;
  if (low !== null) return `isValid(${expr}) ? max(${expr}, ${low}) : null`;
  if (high !== null) return `isValid(${expr}) ? min(${expr}, ${high}) : null`;
  return expr;
}

interface MetricFields {
  transform: Json[];
  mean: string;
  /** The drawn interval's ends: scaled like the mean, clipped to the metric's range. */
  low: string;
  high: string;
  title: string;
  hasCi: boolean;
  /**
   * Every finite mean and interval end is exactly 0: a difference no seed shows (tasks per
   * trial, fixed by the seed's world). The y scale then gets [−1, 1], not vega's empty domain.
   */
  flat: boolean;
  bounds: Bounds;
  /** What the drawn interval is clipped to. */
  range: Range;
}

/**
 * y fields and title; large bit/s or Hz values are divided down to a prefixed unit (Mbit/s).
 * The interval's ends are clipped to the metric's range (a share's to [0, 1], a delay's at
 * 0; a difference of shares to [−1, 1]) in the fields the marks read; the data keep the raw
 * Student-t interval. A difference figure plots meanDiff, titled "<metric> − <reference> (paired)".
 */
function metricFields(input: FigureInput): MetricFields {
  const { table } = input;
  const reference = referenceOf(input);
  const label = metricLabel(table.metric);
  const { prefix, divisor } = siScale(label.unit, table.rows.flatMap((r) => [r.stats.mean, r.stats.ci95Low, r.stats.ci95High]));
  const title = reference === null ? titleOf(label, prefix) : `${titleOf(label, prefix)} − ${reference} (paired)`;
  // With one seed there is no interval anywhere, and an all-empty band only makes vega warn.
  const hasCi = table.rows.some((r) => Number.isFinite(r.stats.ci95Low) && Number.isFinite(r.stats.ci95High));
  const flat = reference !== null && table.rows.every((r) => [r.stats.mean, r.stats.ci95Low, r.stats.ci95High].every((v) => !Number.isFinite(v) || v === 0));
  const range = drawnRange(label.bounds, reference !== null);
  const transform: Json[] = [];
  let mean = reference === null ? "mean" : "meanDiff";
  let low = "ci95Low";
  let high = "ci95High";
  if (divisor !== 1) {
    transform.push(
      { calculate: divided(`datum.${mean}`, divisor), as: `${mean}Scaled` },
      { calculate: divided("datum.ci95Low", divisor), as: "ci95LowScaled" },
      { calculate: divided("datum.ci95High", divisor), as: "ci95HighScaled" },
    );
    [mean, low, high] = [`${mean}Scaled`, "ci95LowScaled", "ci95HighScaled"];
  }
  if (range[0] !== null || range[1] !== null) {
    transform.push(
      { calculate: clipped(`datum[${JSON.stringify(low)}]`, range), as: "ci95LowDrawn" },
      { calculate: clipped(`datum[${JSON.stringify(high)}]`, range), as: "ci95HighDrawn" },
    );
    [low, high] = ["ci95LowDrawn", "ci95HighDrawn"];
  }
  return { transform, mean, low, high, title, hasCi, flat, bounds: label.bounds, range };
}

/** The sentence of a description that says how the interval is drawn. */
function intervalText(y: MetricFields, shape: string): string {
  const base = `with its two-sided 95% Student-t confidence interval as ${shape}`;
  const [low, high] = y.range;
  if (low === -1 && high === 1) return `${base}, clipped to [-1, 1] (a difference of shares cannot leave it; the data file keeps the raw interval)`;
  if (low === 0 && high === 1) return `${base}, clipped to [0, 1] (a share cannot leave it; the data file keeps the raw interval)`;
  if (low === 0 && high === null) return `${base}, clipped at 0 (the quantity cannot be negative; the data file keeps the raw interval)`;
  return base;
}

/**
 * The description of a difference figure: `what` is plotted, drawn as `mark`, its interval
 * as `shape`, `series` per policy.
 */
function pairedDescription(reference: string, y: MetricFields, what: string, mark: string, shape: string, series: string): string {
  return `${what}: the mean over seeds of the paired difference policy − ${reference} (taken seed by seed: a seed is the same world ` +
    `for every policy)${mark}, ${intervalText(y, shape)}; ${series} per policy other than ${reference}; the rule at 0 is no difference. ` +
    `Same numbers as paired.csv.`;
}

/** Machine-readable notes vega ignores: the size drawn at, the reference of a difference, how the interval was clipped. */
function usermeta(input: FigureInput, y: MetricFields): Json {
  const [low, high] = y.range;
  const reference = referenceOf(input);
  return {
    twinedge: {
      figureSize: input.layout.size,
      ...(input.layout.pageWidthPt !== null ? { widthPt: input.layout.pageWidthPt } : {}),
      metric: input.table.metric,
      ...(reference !== null ? { pairedAgainst: reference } : {}),
      bounds: y.bounds,
      intervalDrawnWithin: { low, high },
    },
  };
}

/** The y scale of a flat difference (MetricFields.flat), to spread into the y encodings; else nothing. */
function flatScale(y: MetricFields): Json {
  return y.flat ? { scale: { domain: [-1, 1] } } : {};
}

/**
 * A difference figure's horizontal rule at 0 (no difference), drawn first so the data lie on
 * top of it. It has one datum of its own, so it is one line per panel, not one per data row;
 * the x encodings it would inherit (`drop`) are unset.
 */
function zeroRule(input: FigureInput, drop: readonly string[]): Json[] {
  if (referenceOf(input) === null) return [];
  return [{
    data: { values: [{}] },
    mark: { type: "rule", color: RULE_COLOR, strokeWidth: input.layout.lineWidth, strokeDash: [4, 3] },
    encoding: { ...Object.fromEntries(drop.map((k) => [k, null])), y: { datum: 0 } },
  }];
}

/** The x field of a quantitative axis: numbers parsed and scaled. */
function xField(axis: AxisInfo): { transform: Json; encoding: Json } {
  const label = axisLabel(axis.path);
  const values = numericValues(axis);
  const { prefix, divisor } = siScale(label.unit, values);
  const ticks = values.length <= MAX_EXPLICIT_TICKS ? { values: values.map((v) => v / divisor) } : {};
  return {
    transform: { calculate: divided(`toNumber(${column(axis.path)})`, divisor), as: "x" },
    encoding: {
      field: "x", type: "quantitative", title: titleOf(label, prefix),
      // Padding keeps the end points and their bands off the y axis line.
      scale: { zero: false, nice: false, padding: 14 },
      axis: { ...ticks, labelOverlap: true },
    },
  };
}

/** The x field of a categorical axis: the CSV's text, or a number (scaled) written as text; categories in `axis.values` order. */
function categoryField(axis: AxisInfo): { transform: Json; encoding: Json } {
  const label = axisLabel(axis.path);
  const numbers = axis.values.every((v) => typeof v === "number");
  const { prefix, divisor } = numbers ? siScale(label.unit, axis.values as number[]) : { prefix: "", divisor: 1 };
  const expr = numbers ? `'' + (${divided(`toNumber(${column(axis.path)})`, divisor)})` : `'' + ${column(axis.path)}`;
  const domain = axis.values.map((v) => (numbers ? String((v as number) / divisor) : String(v)));
  return {
    transform: { calculate: expr, as: "x" },
    encoding: {
      field: "x", type: "ordinal", title: titleOf(label, prefix),
      scale: { domain, paddingInner: 0.25, paddingOuter: 0.15 },
      axis: { labelAngle: 0, grid: false },
    },
  };
}

/**
 * One panel label per combination of the facet axes: "Users per site: 30", one line per
 * axis. The same text is built here (for the panel order) and in the spec's expression
 * (to label the data), with the same number-to-string rules on both sides.
 */
function panelField(facets: readonly AxisInfo[]): { transform: Json; order: string[] } {
  const parts = facets.map((axis) => {
    const label = axisLabel(axis.path);
    const head = `${label.name}: `;
    if (axis.kind === "categorical" && !axis.values.every((v) => typeof v === "number")) {
      return {
        expr: `${JSON.stringify(head)} + ${column(axis.path)}`,
        texts: axis.values.map((v) => head + String(v)),
      };
    }
    const values = numericValues(axis);
    const { prefix, divisor } = siScale(label.unit, values);
    const tail = label.unit ? ` ${prefix}${label.unit}` : "";
    // Numbers in ascending order, whatever order the sweep listed them in.
    const sorted = [...values].sort((a, b) => a - b);
    return {
      expr: `${JSON.stringify(head)} + (${divided(`toNumber(${column(axis.path)})`, divisor)}) + ${JSON.stringify(tail)}`,
      texts: sorted.map((v) => head + String(v / divisor) + tail),
    };
  });
  // Every combination, first axis slowest: the order a reader scans the grid in.
  let order = [""];
  parts.forEach((p, i) => {
    order = order.flatMap((prefix) => p.texts.map((t) => (i === 0 ? t : `${prefix}\n${t}`)));
  });
  const expr = parts.map((p) => p.expr).join(" + '\\n' + ");
  return { transform: { calculate: expr, as: "panel" }, order };
}

function dataBlock(input: FigureInput): Json {
  const parse = referenceOf(input) === null ? STAT_PARSE : PAIRED_PARSE;
  return { url: `${input.name}.data.csv`, format: { type: "csv", parse: { ...parse } } };
}

function colorOf(input: FigureInput, legend: boolean): Json {
  return { field: "policy", type: "nominal", scale: policyScale(shownPolicies(input), input.policies, PALETTE), legend: legend ? { title: "Policy" } : null };
}

function shapeOf(input: FigureInput): Json {
  return { field: "policy", type: "nominal", scale: policyScale(shownPolicies(input), input.policies, SHAPES), legend: { title: "Policy" } };
}

/** One view, or one panel per combination of the facet axes, around the same layers. */
function compose(input: FigureInput, description: string, y: MetricFields, transform: Json[], encoding: Json, layers: Json[]): TopLevelSpec {
  const { layout, facets } = input;
  const head = { $schema: VEGA_LITE_SCHEMA, description, usermeta: usermeta(input, y), data: dataBlock(input) };
  if (facets.length === 0) {
    return {
      ...head, transform, width: layout.width, height: layout.height, encoding, layer: layers, config: configFor(layout),
    } as unknown as TopLevelSpec;
  }
  const panel = panelField(facets);
  return {
    ...head,
    transform: [...transform, panel.transform],
    facet: {
      field: "panel", type: "ordinal", sort: panel.order, title: null,
      header: { labelExpr: "split(datum.value, '\\n')", labelPadding: layout.pageWidthPt === null ? 6 : 3 },
    },
    columns: Math.min(layout.maxFacetColumns, panel.order.length),
    spec: { width: layout.panelWidth, height: layout.panelHeight, encoding, layer: layers },
    config: configFor(layout),
  } as unknown as TopLevelSpec;
}

/** A quantitative axis: one line per policy through its means (or mean differences), the interval as a band. */
function lineSpec(input: FigureInput, x: AxisInfo): TopLevelSpec {
  const y = metricFields(input);
  const xf = xField(x);
  const color = colorOf(input, true);
  const yMean = { field: y.mean, type: "quantitative", title: y.title, scale: y.flat ? { domain: [-1, 1] } : { zero: false, nice: true } };
  // A difference figure's zero rule has its own datum: a y shared by every layer would make
  // vega-lite filter that datum on the y field, which it lacks, so there y goes in each layer.
  const shared = referenceOf(input) === null;
  const own = (encoding: Json): Json => (shared ? encoding : { y: yMean, ...encoding });
  const band = {
    mark: { type: "area", opacity: BAND_OPACITY },
    encoding: { y: { field: y.low, type: "quantitative", ...(shared ? {} : { title: y.title }) }, y2: { field: y.high }, color },
  };
  const layers: Json[] = [
    ...zeroRule(input, ["x"]),
    ...(y.hasCi ? [band] : []),
    { mark: { type: "line" }, encoding: own({ color }) },
    { mark: { type: "point" }, encoding: own({ color, shape: shapeOf(input) }) },
  ];
  const encoding = shared ? { x: xf.encoding, y: yMean } : { x: xf.encoding };
  const what = `${y.title} against ${String(xf.encoding.title)}`;
  const reference = referenceOf(input);
  const description = reference !== null
    ? pairedDescription(reference, y, what, "", "a band", "one line")
    : `${what}: mean over seeds, ${intervalText(y, "a band")}; one line per policy. Same numbers as summary.csv.`;
  return compose(input, description, y, [xf.transform, ...y.transform], encoding, layers);
}

/**
 * A categorical axis (strings, booleans, or fewer than three numbers): per category one
 * point per policy, side by side, each with its interval as an error bar. No line joins the
 * categories and no band spans them: there is nothing between "grid" and "random".
 */
function pointSpec(input: FigureInput, x: AxisInfo): TopLevelSpec {
  const { layout } = input;
  const y = metricFields(input);
  const xf = categoryField(x);
  const color = colorOf(input, true);
  const layers: Json[] = [
    ...zeroRule(input, ["x", "xOffset"]),
    ...(y.hasCi
      ? [{
        mark: { type: "errorbar", ticks: { size: layout.capSize }, thickness: layout.lineWidth },
        encoding: { y: { field: y.low, type: "quantitative", title: y.title, ...flatScale(y) }, y2: { field: y.high }, color },
      }]
      : []),
    { mark: { type: "point" }, encoding: { y: { field: y.mean, type: "quantitative", title: y.title, ...flatScale(y) }, color, shape: shapeOf(input) } },
  ];
  const encoding = {
    x: xf.encoding,
    xOffset: { field: "policy", type: "nominal", scale: { domain: shownPolicies(input) } },
  };
  const what = `${y.title} for each ${String(xf.encoding.title)}`;
  const reference = referenceOf(input);
  const description = reference !== null
    ? pairedDescription(reference, y, what, " as a point", "an error bar", "one point")
    : `${what}: mean over seeds as a point, ${intervalText(y, "an error bar")}; one point per policy. Same numbers as summary.csv.`;
  return compose(input, description, y, [xf.transform, ...y.transform], encoding, layers);
}

/** No sweep axis: one bar per policy (a difference: from 0) with its error bar. */
function barSpec(input: FigureInput): TopLevelSpec {
  const { layout } = input;
  const y = metricFields(input);
  const reference = referenceOf(input);
  const description = reference !== null
    ? pairedDescription(reference, y, `${y.title} per policy`, " as a bar from 0", "an error bar", "one bar")
    : `${y.title} per policy: mean over seeds as a bar, ${intervalText(y, "an error bar")}. Same numbers as summary.csv.`;
  const layers: Json[] = [
    ...zeroRule(input, ["x"]),
    {
      mark: { type: "bar", width: { band: 0.6 } },
      encoding: { y: { field: y.mean, type: "quantitative", title: y.title, ...flatScale(y) }, color: colorOf(input, false) },
    },
    ...(y.hasCi
      ? [{
        mark: { type: "errorbar", ticks: { size: layout.capSize }, color: "#222222", thickness: layout.pageWidthPt === null ? 1.5 : 1 },
        encoding: { y: { field: y.low, type: "quantitative", title: y.title, ...flatScale(y) }, y2: { field: y.high } },
      }]
      : []),
  ];
  const encoding = { x: { field: "policy", type: "nominal", title: "Policy", sort: shownPolicies(input), axis: { labelAngle: 0 } } };
  return compose(input, description, y, y.transform, encoding, layers);
}

export function figureSpec(input: FigureInput): TopLevelSpec {
  if (!input.x) return barSpec(input);
  return input.x.kind === "quantitative" ? lineSpec(input, input.x) : pointSpec(input, input.x);
}

/**
 * The same spec with its data inline, for rendering without a file loader. A hand-edited
 * spec may have dropped the format; the data file is CSV, whose numbers vega then guesses.
 */
export function withInlineData(spec: TopLevelSpec, csv: string): TopLevelSpec {
  const s = spec as unknown as { data?: { format?: Json } };
  const format = s.data?.format ?? { type: "csv" };
  return { ...spec, data: { values: csv, format } } as unknown as TopLevelSpec;
}
