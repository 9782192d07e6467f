// Figures of a result folder: for each metric, its mean with the 95% interval against each
// sweep axis, one series per policy, and beside it the paired difference from the reference
// policy, in five files (spec, data, SVG, PNG, PDF) per figure, plus figures/figures.json,
// the record of what was drawn (sizes, hashes of the specs).
import { join } from "node:path";
import type { TrialRecord } from "../../contracts/record.js";
import { writeFileAtomic } from "../../io/atomic.js";
import { pairedRowsCsv } from "../paired.js";
import { writeBytesAtomic } from "./atomic.js";
import { readBook, sha256Hex, writeBook, type Book } from "./book.js";
import { axisInfo, hasFiniteValues, metricTables, pairedTables, tableCsv } from "./data.js";
import { checkEditedSpecs, editedSpec } from "./edited.js";
import { fitToWidth, svgSize } from "./fit.js";
import { renderPdf } from "./render-pdf.js";
import { renderPng } from "./render-png.js";
import { renderSvg } from "./render-svg.js";
import { layoutOf, type FigureSize, type Layout } from "./size.js";
import { figureSpec, withInlineData, type FigureInput } from "./spec.js";

export type { FigureSize } from "./size.js";

export const FIGURE_EXTENSIONS = [".vl.json", ".data.csv", ".svg", ".png", ".pdf"] as const;

export interface DrawOptions {
  /** "screen" (default, today's look), or an IEEE column width: "single" 3.5 in, "double" 7.16 in. */
  size?: FigureSize;
  /** Where notes go (a spec kept because it was edited, a figure too wide for its column); default stderr. */
  notify?: (message: string) => void;
}

/** Everything the figures of one drawing share. */
export interface FigureSet {
  figDir: string;
  layout: Layout;
  book: Book;
  notify: (message: string) => void;
}

const toStderr = (message: string): void => {
  process.stderr.write(`twinedge: ${message}\n`);
};

/** Opens the figures folder of `dir` for a drawing at `options.size`. */
export function openFigureSet(dir: string, options: DrawOptions = {}): FigureSet {
  const figDir = join(dir, "figures");
  return { figDir, layout: layoutOf(options.size ?? "screen"), book: readBook(figDir), notify: options.notify ?? toStderr };
}

/** Axis paths are dotted names ("users.perSite"); anything else a file name should not hold becomes "_". */
function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** A policy name longer than this (after fileSafe) is cut, and a hash of the whole name keeps it apart. */
const MAX_NAME_PART = 48;

/**
 * A policy name as part of a file name: fileSafe, and no longer than MAX_NAME_PART, so a
 * plug-in's long name cannot push a figure's name past what a file system takes.
 */
function policyPart(policy: string): string {
  const safe = fileSafe(policy);
  return safe.length <= MAX_NAME_PART ? safe : `${safe.slice(0, MAX_NAME_PART - 9)}-${sha256Hex(policy).slice(0, 8)}`;
}

/**
 * The figures to draw: with sweep axes, `<metric>-vs-<axis>` for each metric and axis (the
 * other axes become panels); without, `<metric>-by-policy` bar charts. A metric with no
 * finite value anywhere (uploadRateBps when no task ever uploads) gets no figure. After each,
 * its companion `<same name>-diff-<reference>`: the paired difference policy − reference of
 * every other policy, against `references[0]` (paired.csv's first reference); none when there
 * is no other policy or no finite pair.
 */
export function planFigures(
  records: readonly TrialRecord[],
  axes: readonly string[],
  policies: readonly string[],
  references: readonly string[],
  layout = layoutOf("screen"),
): FigureInput[] {
  const infos = axes.map((a) => axisInfo(records, a));
  const reference = references.length > 0 && policies.includes(references[0]) ? references[0] : null;
  const paired = reference !== null && policies.length > 1 ? pairedTables(records, axes, policies, reference) : null;
  const suffix = `-diff-${policyPart(reference ?? "")}`;
  const plans: FigureInput[] = [];
  for (const table of metricTables(records, axes, policies)) {
    if (!hasFiniteValues(table)) continue;
    const found = paired?.find((t) => t.metric === table.metric);
    const diff = found && hasFiniteValues(found) ? found : null;
    const add = (name: string, x: FigureInput["x"]) => {
      const facets = infos.filter((i) => i !== x);
      plans.push({ name, table, policies, x, facets, layout });
      if (diff) plans.push({ name: `${name}${suffix}`, table: diff, policies, x, facets, layout });
    };
    if (infos.length === 0) add(`${table.metric}-by-policy`, null);
    for (const x of infos) add(`${table.metric}-vs-${fileSafe(x.path)}`, x);
  }
  return plans;
}

/** A planned figure's data file (drawFigures writes it): summary.csv's rows of its metric, or paired.csv's of its reference and metric. */
export function figureCsv(plan: FigureInput, axes: readonly string[]): string {
  return "reference" in plan.table ? pairedRowsCsv(plan.table.rows, axes) : tableCsv(plan.table, axes);
}

function specText(spec: Record<string, unknown>): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/**
 * Renders a vega-lite spec (its data inlined from `csv`) and writes the five files of figure
 * `name`, fitted to the set's size. A .vl.json the user edited is never overwritten: the
 * figure is drawn from it, with the fresh data, and a note says so.
 */
async function writeFigure(set: FigureSet, name: string, spec: Record<string, unknown>, csv: string, title: string): Promise<string[]> {
  const base = join(set.figDir, name);
  const entry = set.book.figures[name];
  // Rendered from the very CSV text written next to it, parsed by vega as a reader's would be.
  const render = (s: Record<string, unknown>) => renderSvg(withInlineData(s as never, csv));
  // With a book entry, the hash decides; without one (a folder drawn before the book), the
  // spec on disk is the tool's only if it is the very spec the tool writes now.
  const known = entry ? editedSpec(`${base}.vl.json`, entry.toolSpecSha256) : null;
  let fitted = known ? null : await fitToWidth(spec, set.layout, render);
  const toolText = fitted ? specText(fitted.spec) : null;
  const user = known ?? (entry ? null : editedSpec(`${base}.vl.json`, sha256Hex(toolText!)));
  const toolSha = known ? entry!.toolSpecSha256 : sha256Hex(toolText!);
  let svg: string;
  let page: { width: number; height: number };
  if (user) {
    svg = await render(user);
    page = svgSize(svg);
    set.notify(`${base}.vl.json was edited by hand: drawn from it with the fresh data, not overwritten (delete it to get twinedge's spec back)`);
  } else {
    fitted = fitted!;
    svg = fitted.svg;
    const target = set.layout.pageWidthPt;
    if (target !== null && fitted.fits) {
      page = { width: target, height: (fitted.size.height * target) / fitted.size.width };
    } else {
      page = fitted.size;
      if (target !== null) set.notify(`${name}: its labels need ${fitted.size.width.toFixed(1)} pt, wider than the ${target} pt column; drawn at that width`);
    }
  }
  const png = renderPng(svg, set.layout.pngScale);
  const pdf = await renderPdf(svg, page.width, page.height, title);
  writeFileAtomic(`${base}.data.csv`, csv);
  if (!user) writeFileAtomic(`${base}.vl.json`, toolText!);
  writeFileAtomic(`${base}.svg`, svg);
  writeBytesAtomic(`${base}.png`, png);
  writeBytesAtomic(`${base}.pdf`, pdf);
  set.book.figures[name] = {
    figureSize: set.layout.size, widthPt: round3(page.width), heightPt: round3(page.height),
    toolSpecSha256: toolSha, drawnFrom: user ? "edited" : "tool",
  };
  return FIGURE_EXTENSIONS.map((ext) => `${base}${ext}`);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Draws `figures` (name and spec, with their data) into the set, then records them in
 * figures/figures.json. Every edited spec is checked before anything is written, so a broken
 * one stops the drawing with an InputError and the folder as it was.
 */
export async function writeFigures(
  set: FigureSet,
  figures: readonly { name: string; spec: Record<string, unknown>; csv: string }[],
): Promise<string[]> {
  checkEditedSpecs(set.figDir, figures.map((f) => f.name), set.book);
  const written: string[] = [];
  // One at a time: vega numbers SVG clip-path ids with a global counter.
  for (const f of figures) written.push(...(await writeFigure(set, f.name, f.spec, f.csv, f.name)));
  if (figures.length > 0) writeBook(set.figDir, set.book);
  return written;
}

/**
 * Draws every figure of a result set into `<dir>/figures/` and returns the paths written
 * (run, merge's plot and `twinedge plot` call it). `axes` and `policies` are the manifest's:
 * axes fix the data columns and the figures, policies the series and their colours (records
 * of other policies are left out); `references` are paired.csv's (FolderPlan.references), the
 * difference figures are drawn against the first. Each file is written atomically; the same
 * records give byte-identical files.
 */
export async function drawFigures(
  dir: string,
  records: readonly TrialRecord[],
  axes: readonly string[],
  policies: readonly string[],
  references: readonly string[],
  options: DrawOptions = {},
): Promise<string[]> {
  const set = openFigureSet(dir, options);
  const figures = planFigures(records, axes, policies, references, set.layout).map((plan) => ({
    name: plan.name,
    spec: figureSpec(plan) as unknown as Record<string, unknown>,
    csv: figureCsv(plan, axes),
  }));
  return writeFigures(set, figures);
}
