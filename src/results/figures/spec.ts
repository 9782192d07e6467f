// Vega-Lite specs for the figures. The data file keeps summary.csv's columns and raw
// numbers; the spec's transforms derive the plotted fields (x, panel labels, scaled values),
// so the .vl.json plus its .data.csv fully describe a figure and can be restyled by hand.
import type { TopLevelSpec } from "vega-lite";
import type { AxisInfo, MetricTable } from "./data.js";
import { axisLabel, metricLabel, siScale, titleOf } from "./labels.js";
import {
  BAND_OPACITY, CONFIG, HEIGHT, MAX_FACET_COLUMNS, PALETTE, PANEL_HEIGHT, PANEL_WIDTH, SHAPES, WIDTH,
} from "./style.js";

type Json = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

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

/** y fields and title; large bit/s or Hz values are divided down to a prefixed unit (Mbit/s). */
function metricFields(table: MetricTable): { transform: Json[]; mean: string; low: string; high: string; title: string; hasCi: boolean } {
  const label = metricLabel(table.metric);
  const { prefix, divisor } = siScale(label.unit, table.rows.flatMap((r) => [r.stats.mean, r.stats.ci95Low, r.stats.ci95High]));
  const title = titleOf(label, prefix);
  // With one seed there is no interval anywhere, and an all-empty band only makes vega warn.
  const hasCi = table.rows.some((r) => Number.isFinite(r.stats.ci95Low) && Number.isFinite(r.stats.ci95High));
  if (divisor === 1) return { transform: [], mean: "mean", low: "ci95Low", high: "ci95High", title, hasCi };
  return {
    hasCi,
    transform: [
      { calculate: divided("datum.mean", divisor), as: "meanScaled" },
      { calculate: divided("datum.ci95Low", divisor), as: "ci95LowScaled" },
      { calculate: divided("datum.ci95High", divisor), as: "ci95HighScaled" },
    ],
    mean: "meanScaled", low: "ci95LowScaled", high: "ci95HighScaled", title,
  };
}

/** The x field: numbers parsed (and scaled), anything else kept as the CSV's text. */
function xField(axis: AxisInfo): { transform: Json; encoding: Json } {
  const label = axisLabel(axis.path);
  if (axis.kind === "ordinal") {
    return {
      transform: { calculate: `'' + ${column(axis.path)}`, as: "x" },
      encoding: {
        field: "x", type: "ordinal", title: titleOf(label),
        scale: { domain: axis.values.map(String) },
        axis: { labelAngle: 0 },
      },
    };
  }
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

/**
 * One panel label per combination of the facet axes: "Users per site: 30", one line per
 * axis. The same text is built here (for the panel order) and in the spec's expression
 * (to label the data), with the same number-to-string rules on both sides.
 */
function panelField(facets: readonly AxisInfo[]): { transform: Json; order: string[] } {
  const parts = facets.map((axis) => {
    const label = axisLabel(axis.path);
    const head = `${label.name}: `;
    if (axis.kind === "ordinal") {
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

function lineSpec(input: FigureInput, x: AxisInfo): TopLevelSpec {
  const { table, policies, facets } = input;
  const y = metricFields(table);
  const xf = xField(x);
  const color = { field: "policy", type: "nominal", scale: policyScale(policies, PALETTE), legend: { title: "Policy" } };
  const shape = { field: "policy", type: "nominal", scale: policyScale(policies, SHAPES), legend: { title: "Policy" } };
  const band = {
    mark: { type: "area", opacity: BAND_OPACITY },
    encoding: { y: { field: y.low, type: "quantitative" }, y2: { field: y.high }, color },
  };
  const layers: Json[] = [
    ...(y.hasCi ? [band] : []),
    { mark: { type: "line" }, encoding: { color } },
    { mark: { type: "point" }, encoding: { color, shape } },
  ];
  const encoding = {
    x: xf.encoding,
    y: { field: y.mean, type: "quantitative", title: y.title, scale: { zero: false, nice: true } },
  };
  const transform = [xf.transform, ...y.transform];
  const description =
    `${y.title} against ${String(xf.encoding.title)}: mean over seeds, with its two-sided 95% Student-t ` +
    `confidence interval as a band; one line per policy. Same numbers as summary.csv.`;
  if (facets.length === 0) {
    return {
      $schema: VEGA_LITE_SCHEMA, description, data: dataBlock(input.name), transform,
      width: WIDTH, height: HEIGHT, encoding, layer: layers, config: CONFIG,
    } as unknown as TopLevelSpec;
  }
  const panel = panelField(facets);
  return {
    $schema: VEGA_LITE_SCHEMA, description, data: dataBlock(input.name),
    transform: [...transform, panel.transform],
    facet: {
      field: "panel", type: "ordinal", sort: panel.order, title: null,
      header: { labelExpr: "split(datum.value, '\\n')", labelPadding: 6 },
    },
    columns: Math.min(MAX_FACET_COLUMNS, panel.order.length),
    spec: { width: PANEL_WIDTH, height: PANEL_HEIGHT, encoding, layer: layers },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

function barSpec(input: FigureInput): TopLevelSpec {
  const { table, policies } = input;
  const y = metricFields(table);
  const description =
    `${y.title} per policy: mean over seeds, with its two-sided 95% Student-t confidence interval ` +
    `as an error bar. Same numbers as summary.csv.`;
  return {
    $schema: VEGA_LITE_SCHEMA, description, data: dataBlock(input.name), transform: y.transform,
    width: WIDTH, height: HEIGHT,
    encoding: { x: { field: "policy", type: "nominal", title: "Policy", sort: [...policies], axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: "bar", width: { band: 0.6 } },
        encoding: {
          y: { field: y.mean, type: "quantitative", title: y.title },
          color: { field: "policy", type: "nominal", scale: policyScale(policies, PALETTE), legend: null },
        },
      },
      ...(y.hasCi
        ? [{
          mark: { type: "errorbar", ticks: { size: 14 }, color: "#222222", thickness: 1.5 },
          encoding: { y: { field: y.low, type: "quantitative", title: y.title }, y2: { field: y.high } },
        }]
        : []),
    ],
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

export function figureSpec(input: FigureInput): TopLevelSpec {
  return input.x ? lineSpec(input, input.x) : barSpec(input);
}

/** The same spec with its data inline, for rendering without a file loader. */
export function withInlineData(spec: TopLevelSpec, csv: string): TopLevelSpec {
  const s = spec as unknown as { data: { format: Json } };
  return { ...spec, data: { values: csv, format: s.data.format } } as unknown as TopLevelSpec;
}
