// Fitting a figure to a column width. Vega sizes the plot area, not the figure: axes, legend
// and padding come on top, and their width depends on the labels. The whole width is the plot
// width (times the panels in a row) plus that overhead, so one render measures the overhead
// and the next sets the plot width that makes the figure exactly as wide as the column. The
// text keeps its printed size: nothing is scaled afterwards.
import type { Layout } from "./size.js";

type Json = Record<string, unknown>;

/** Renders at most (the overhead can shift by a pixel when the y ticks change with the height). */
const MAX_PASSES = 4;
/** Narrower plot areas than this are unreadable: the labels need a wider page. */
const MIN_PLOT_WIDTH = 40;

export interface SvgSize {
  width: number;
  height: number;
}

export function svgSize(svg: string): SvgSize {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(open)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(open)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("figures: the SVG has no width and height");
  return { width, height };
}

/** The view whose width and height size the plot: the spec itself, or a facet's inner spec. */
function plotView(spec: Json): Json {
  return (spec.spec as Json | undefined) ?? spec;
}

/** Panels side by side in one row. */
function panelsPerRow(spec: Json): number {
  return spec.spec ? Math.max(1, Number(spec.columns) || 1) : 1;
}

function setPlotWidth(spec: Json, width: number, layout: Layout): Json {
  const view = plotView(spec);
  const aspect = spec.spec ? layout.panelAspect : layout.aspect;
  const sized = { ...view, width, height: Math.round(width * aspect) };
  return spec.spec ? { ...spec, spec: sized } : { ...spec, ...sized };
}

/**
 * Widens the SVG to `width` by extending its view box to the right. Vega rounds panel and
 * band sizes to whole pixels, so the last pixel or two of a fitted figure is left blank.
 */
function widen(svg: string, from: SvgSize, width: number): string {
  const open = /<svg\b[^>]*>/.exec(svg)![0];
  const widened = open
    .replace(/\swidth="[\d.]+"/, ` width="${width}"`)
    .replace(/\sviewBox="[^"]*"/, ` viewBox="0 0 ${width} ${from.height}"`);
  return svg.replace(open, widened);
}

export interface Fitted {
  spec: Json;
  svg: string;
  size: SvgSize;
  /** False when the labels alone are wider than the column: the figure keeps its natural width. */
  fits: boolean;
}

/**
 * Renders `spec` with `render`; at a print size, sets the plot width (a whole number of
 * px, and the height with it) so the figure is `layout.pageWidthPt` wide, then widens the
 * SVG by the pixel or two of rounding left. At "screen" the spec is drawn as it is.
 */
export async function fitToWidth(spec: Json, layout: Layout, render: (spec: Json) => Promise<string>): Promise<Fitted> {
  const target = layout.pageWidthPt;
  if (target === null) {
    const svg = await render(spec);
    return { spec, svg, size: svgSize(svg), fits: true };
  }
  const k = panelsPerRow(spec);
  let width = Math.round(Number(plotView(spec).width) || layout.width);
  // The widest render that fits, else the narrowest that does not.
  let best: Fitted | null = null;
  let over: Fitted | null = null;
  const tried = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES && width >= MIN_PLOT_WIDTH && !tried.has(width); pass++) {
    tried.add(width);
    const current = setPlotWidth(spec, width, layout);
    const svg = await render(current);
    const size = svgSize(svg);
    const fits = size.width <= target;
    if (fits && (!best || size.width > best.size.width)) best = { spec: current, svg, size, fits };
    if (!fits && (!over || size.width < over.size.width)) over = { spec: current, svg, size, fits };
    if (size.width === target) break;
    // The overhead (axes, legend, padding) stays put; only the plot widths change.
    width = Math.floor(width + (target - size.width) / k);
  }
  if (!best) return over!;
  if (best.size.width === target) return best;
  return { ...best, svg: widen(best.svg, best.size, target), size: { width: target, height: best.size.height } };
}
