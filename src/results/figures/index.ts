// Figures of a result folder: for each metric, its mean with the 95% interval against each
// sweep axis, one line per policy, in five files (spec, data, SVG, PNG, PDF) per figure.
import { join } from "node:path";
import type { TrialRecord } from "../../run/trial.js";
import { writeFileAtomic } from "../../io/atomic.js";
import { writeBytesAtomic } from "./atomic.js";
import { axisInfo, hasFiniteValues, metricTables, tableCsv } from "./data.js";
import { renderPdf } from "./render-pdf.js";
import { renderPng } from "./render-png.js";
import { renderSvg } from "./render-svg.js";
import { figureSpec, withInlineData, type FigureInput } from "./spec.js";

export const FIGURE_EXTENSIONS = [".vl.json", ".data.csv", ".svg", ".png", ".pdf"] as const;

/** Axis paths are dotted names ("users.perSite"); anything else a file name should not hold becomes "_". */
function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

/**
 * The figures to draw: with sweep axes, `<metric>-vs-<axis>` for each metric and axis (the
 * other axes become panels); without, `<metric>-by-policy` bar charts. A metric with no
 * finite value anywhere (uploadRateBps when no task ever uploads) gets no figure.
 */
export function planFigures(records: readonly TrialRecord[], axes: readonly string[], policies: readonly string[]): FigureInput[] {
  const infos = axes.map((a) => axisInfo(records, a));
  const plans: FigureInput[] = [];
  for (const table of metricTables(records, axes, policies)) {
    if (!hasFiniteValues(table)) continue;
    if (infos.length === 0) {
      plans.push({ name: `${table.metric}-by-policy`, table, policies, x: null, facets: [] });
      continue;
    }
    for (const x of infos) {
      plans.push({ name: `${table.metric}-vs-${fileSafe(x.path)}`, table, policies, x, facets: infos.filter((i) => i !== x) });
    }
  }
  return plans;
}

function svgSize(svg: string): { width: number; height: number } {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(open)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(open)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("drawFigures: the SVG has no width and height");
  return { width, height };
}

/** Renders a vega-lite spec (its data inlined from `csv`) and writes the five files of a figure at `base`. */
export async function writeFigure(base: string, spec: Record<string, unknown>, csv: string, title: string): Promise<string[]> {
  // Rendered from the very CSV text written next to it, parsed by vega as a reader's would be.
  const svg = await renderSvg(withInlineData(spec as never, csv));
  const { width, height } = svgSize(svg);
  const png = renderPng(svg);
  const pdf = await renderPdf(svg, width, height, title);
  writeFileAtomic(`${base}.data.csv`, csv);
  writeFileAtomic(`${base}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
  writeFileAtomic(`${base}.svg`, svg);
  writeBytesAtomic(`${base}.png`, png);
  writeBytesAtomic(`${base}.pdf`, pdf);
  return FIGURE_EXTENSIONS.map((ext) => `${base}${ext}`);
}

async function drawFigure(outDir: string, plan: FigureInput, axes: readonly string[]): Promise<string[]> {
  return writeFigure(join(outDir, plan.name), figureSpec(plan) as unknown as Record<string, unknown>, tableCsv(plan.table, axes), plan.name);
}

/**
 * Draws every figure of a result set into `<dir>/figures/` and returns the paths written.
 * `axes` and `policies` are the manifest's: axes fix the data columns and the figures,
 * policies the lines and their colours (records of other policies are left out).
 * Each file is written atomically; the same records give byte-identical files.
 */
export async function drawFigures(
  dir: string,
  records: readonly TrialRecord[],
  axes: readonly string[],
  policies: readonly string[],
): Promise<string[]> {
  const outDir = join(dir, "figures");
  const written: string[] = [];
  // One at a time: vega numbers SVG clip-path ids with a global counter.
  for (const plan of planFigures(records, axes, policies)) written.push(...(await drawFigure(outDir, plan, axes)));
  return written;
}
