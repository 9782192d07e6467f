// Vega-Lite specs for the figures. The data file keeps summary.csv's columns and raw
// numbers; the spec's transforms derive the plotted fields (x, panel labels, scaled values,
// the drawn interval clipped to the metric's range), so the .vl.json plus its .data.csv fully
// describe a figure and can be restyled by hand.
import type { TopLevelSpec } from "vega-lite";
import type { AxisInfo, MetricTable } from "./data.js";
import { axisLabel, metricLabel, siScale, titleOf, type Bounds } from "./labels.js";
import type { Layout } from "./size.js";
import { BAND_OPACITY, configFor, PALETTE, SHAPES } from "./style.js";

type Json = Record<string, unknown>;

const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Ticks go on the swept values themselves, unless there are too many to label. */
const MAX_EXPLICIT_TICKS = 12;

const STAT_PARSE = { n: "number", mean: "number", sd: "number", ci95Low: "number", ci95High: "number" } as const;

export interface FigureInput {
  /** File base name; the spec points at `<name>.data.csv`. */
  name: string;
  table: MetricTable;
  policies: readonly string[];
  /** The swept axis on x, or null for one bar per policy (a scenario without sweep). */
  x: AxisInfo | null;
  /** The other sweep axes: one panel per combination of their values. */
  facets: readonly AxisInfo[];
  layout: Layout;
}

/** What the drawn interval is clipped to, as [low, high] (null: no bound on that side). */
function boundsRange(bounds: Bounds): [number | null, number | null] {
  if (bounds === "share") return [0, 1];
  if (bounds === "nonNegative") return [0, null];
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

/** Colours and shapes follow the caller's policy order, so a policy looks the same in every figure. */
function policyScale(policies: readonly string[], range: readonly string[]): Json {
  return { domain: [...policies], range: policies.map((_, i) => range[i % range.length]) };
}

/** `expr` clipped to the metric's range, keeping an empty cell empty. */
function clipped(expr: string, bounds: Bounds): string {
  if (bounds === "share") return `isValid(${expr}) ? clamp(${expr}, 0, 1) : null`;
  if (bounds === "nonNegative") return `isValid(${expr}) ? max(${expr}, 0) : null`;
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
  bounds: Bounds;
}

/**
 * y fields and title; large bit/s or Hz values are divided down to a prefixed unit (Mbit/s).
 * The interval's ends are clipped to the metric's range (a share's to [0, 1], a delay's at
 * 0) in the fields the marks read; the data keep the raw Student-t interval.
 */
function metricFields(table: MetricTable): MetricFields {
  const label = metricLabel(table.metric);
  const { prefix, divisor } = siScale(label.unit, table.rows.flatMap((r) => [r.stats.mean, r.stats.ci95Low, r.stats.ci95High]));
  const title = titleOf(label, prefix);
  // With one seed there is no interval anywhere, and an all-empty band only makes vega warn.
  const hasCi = table.rows.some((r) => Number.isFinite(r.stats.ci95Low) && Number.isFinite(r.stats.ci95High));
  const transform: Json[] = [];
  let mean = "mean";
  let low = "ci95Low";
  let high = "ci95High";
  if (divisor !== 1) {
    transform.push(
      { calculate: divided("datum.mean", divisor), as: "meanScaled" },
      { calculate: divided("datum.ci95Low", divisor), as: "ci95LowScaled" },
      { calculate: divided("datum.ci95High", divisor), as: "ci95HighScaled" },
    );
    [mean, low, high] = ["meanScaled", "ci95LowScaled", "ci95HighScaled"];
  }
  if (label.bounds !== "unbounded") {
    transform.push(
      { calculate: clipped(`datum[${JSON.stringify(low)}]`, label.bounds), as: "ci95LowDrawn" },
      { calculate: clipped(`datum[${JSON.stringify(high)}]`, label.bounds), as: "ci95HighDrawn" },
    );
    [low, high] = ["ci95LowDrawn", "ci95HighDrawn"];
  }
  return { transform, mean, low, high, title, hasCi, bounds: label.bounds };
}

/** The sentence of a description that says how the interval is drawn. */
function intervalText(bounds: Bounds, shape: string): string {
  const base = `with its two-sided 95% Student-t confidence interval as ${shape}`;
  if (bounds === "share") return `${base}, clipped to [0, 1] (a share cannot leave it; the data file keeps the raw interval)`;
  if (bounds === "nonNegative") return `${base}, clipped at 0 (the quantity cannot be negative; the data file keeps the raw interval)`;
  return base;
}

/** Machine-readable notes vega ignores: the size drawn at and how the interval was clipped. */
function usermeta(input: FigureInput, y: MetricFields): Json {
  const [low, high] = boundsRange(y.bounds);
  return {
    twinedge: {
      figureSize: input.layout.size,
      ...(input.layout.pageWidthPt !== null ? { widthPt: input.layout.pageWidthPt } : {}),
      metric: input.table.metric,
      bounds: y.bounds,
      intervalDrawnWithin: { low, high },
    },
  };
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

function dataBlock(name: string): Json {
  return { url: `${name}.data.csv`, format: { type: "csv", parse: { ...STAT_PARSE } } };
}

function colorOf(policies: readonly string[], legend: boolean): Json {
  return { field: "policy", type: "nominal", scale: policyScale(policies, PALETTE), legend: legend ? { title: "Policy" } : null };
}

function shapeOf(policies: readonly string[]): Json {
  return { field: "policy", type: "nominal", scale: policyScale(policies, SHAPES), legend: { title: "Policy" } };
}

/** One view, or one panel per combination of the facet axes, around the same layers. */
function compose(input: FigureInput, description: string, y: MetricFields, transform: Json[], encoding: Json, layers: Json[]): TopLevelSpec {
  const { layout, facets } = input;
  const head = { $schema: VEGA_LITE_SCHEMA, description, usermeta: usermeta(input, y), data: dataBlock(input.name) };
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

/** A quantitative axis: one line per policy through its means, the interval as a band. */
function lineSpec(input: FigureInput, x: AxisInfo): TopLevelSpec {
  const { table, policies } = input;
  const y = metricFields(table);
  const xf = xField(x);
  const color = colorOf(policies, true);
  const band = {
    mark: { type: "area", opacity: BAND_OPACITY },
    encoding: { y: { field: y.low, type: "quantitative" }, y2: { field: y.high }, color },
  };
  const layers: Json[] = [
    ...(y.hasCi ? [band] : []),
    { mark: { type: "line" }, encoding: { color } },
    { mark: { type: "point" }, encoding: { color, shape: shapeOf(policies) } },
  ];
  const encoding = {
    x: xf.encoding,
    y: { field: y.mean, type: "quantitative", title: y.title, scale: { zero: false, nice: true } },
  };
  const description =
    `${y.title} against ${String(xf.encoding.title)}: mean over seeds, ${intervalText(y.bounds, "a band")}; ` +
    `one line per policy. Same numbers as summary.csv.`;
  return compose(input, description, y, [xf.transform, ...y.transform], encoding, layers);
}

/**
 * A categorical axis (strings, booleans, or fewer than three numbers): per category one
 * point per policy, side by side, each with its interval as an error bar. No line joins the
 * categories and no band spans them: there is nothing between "grid" and "random".
 */
function pointSpec(input: FigureInput, x: AxisInfo): TopLevelSpec {
  const { table, policies, layout } = input;
  const y = metricFields(table);
  const xf = categoryField(x);
  const color = colorOf(policies, true);
  const layers: Json[] = [
    ...(y.hasCi
      ? [{
        mark: { type: "errorbar", ticks: { size: layout.capSize }, thickness: layout.lineWidth },
        encoding: { y: { field: y.low, type: "quantitative", title: y.title }, y2: { field: y.high }, color },
      }]
      : []),
    { mark: { type: "point" }, encoding: { y: { field: y.mean, type: "quantitative", title: y.title }, color, shape: shapeOf(policies) } },
  ];
  const encoding = {
    x: xf.encoding,
    xOffset: { field: "policy", type: "nominal", scale: { domain: [...policies] } },
  };
  const description =
    `${y.title} for each ${String(xf.encoding.title)}: mean over seeds as a point, ${intervalText(y.bounds, "an error bar")}; ` +
    `one point per policy. Same numbers as summary.csv.`;
  return compose(input, description, y, [xf.transform, ...y.transform], encoding, layers);
}

/** No sweep axis: one bar per policy with its error bar. */
function barSpec(input: FigureInput): TopLevelSpec {
  const { table, policies, layout } = input;
  const y = metricFields(table);
  const description =
    `${y.title} per policy: mean over seeds as a bar, ${intervalText(y.bounds, "an error bar")}. Same numbers as summary.csv.`;
  const layers: Json[] = [
    {
      mark: { type: "bar", width: { band: 0.6 } },
      encoding: { y: { field: y.mean, type: "quantitative", title: y.title }, color: colorOf(policies, false) },
    },
    ...(y.hasCi
      ? [{
        mark: { type: "errorbar", ticks: { size: layout.capSize }, color: "#222222", thickness: layout.pageWidthPt === null ? 1.5 : 1 },
        encoding: { y: { field: y.low, type: "quantitative", title: y.title }, y2: { field: y.high } },
      }]
      : []),
  ];
  const encoding = { x: { field: "policy", type: "nominal", title: "Policy", sort: [...policies], axis: { labelAngle: 0 } } };
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
