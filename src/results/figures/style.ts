// One look for every figure. It lives in each spec's `config`, so a reader who restyles a
// .vl.json edits one block, and the rendered files never depend on vega's defaults.
import type { Config } from "vega-lite";
import type { Layout } from "./size.js";

export const FONT_FAMILY = "DejaVu Sans";

/**
 * Okabe & Ito's colour-blind-safe palette, reordered so the first lines are the most
 * distinct in print and yellow (hard to see on white) comes last. Policies take colours in the
 * order the caller lists them, the same in every figure.
 */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;

/** A second cue besides colour, so lines stay apart in greyscale. */
export const SHAPES = ["circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-right", "triangle-left"] as const;

export const BAND_OPACITY = 0.18;

const TEXT = "#222222";
/** Axis lines and ticks, and the zero rule of a difference figure. */
export const RULE_COLOR = "#444444";

/** Label and title text of axes, legends and facet headers alike. */
function labels(layout: Layout) {
  return {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: layout.fonts.label,
    titleFontSize: layout.fonts.title,
    titleFontWeight: "normal",
    labelColor: TEXT,
    titleColor: TEXT,
  } as const;
}

/** The config block of every spec drawn at `layout`: fonts in printed pt at a print size. */
export function configFor(layout: Layout): Config {
  const small = layout.pageWidthPt !== null;
  const legendBelow = layout.legendOrient === "bottom";
  return {
    font: FONT_FAMILY,
    background: "white",
    padding: layout.padding,
    view: { stroke: null },
    axis: {
      ...labels(layout),
      titlePadding: small ? 4 : 8,
      domainColor: RULE_COLOR,
      tickColor: RULE_COLOR,
      grid: true,
      gridColor: "#e6e6e6",
      gridWidth: small ? 0.5 : 0.8,
      labelFlush: false,
      // Thinner rules and shorter ticks for a figure printed at its size.
      ...(small ? { tickSize: 3, domainWidth: 0.6, tickWidth: 0.6 } : {}),
    },
    axisX: { grid: false },
    legend: {
      ...labels(layout),
      orient: layout.legendOrient,
      ...(legendBelow ? { direction: "horizontal", columns: layout.legendColumns, columnPadding: 8, rowPadding: 2, titleOrient: "left" } : {}),
      symbolSize: small ? layout.pointSize * 1.5 : 60,
      // Otherwise the legend takes the translucent band's opacity and the swatches look washed out.
      symbolOpacity: 1,
      symbolStrokeWidth: small ? 1.25 : 2,
      labelLimit: small ? 120 : 200,
      ...(small ? { padding: 0, offset: 6 } : {}),
    },
    header: {
      ...labels(layout),
    },
    title: { font: FONT_FAMILY, fontSize: layout.fonts.chart, fontWeight: "normal", color: TEXT },
    line: { strokeWidth: layout.lineWidth },
    point: { size: layout.pointSize, filled: true, opacity: 1 },
    bar: { opacity: 0.9 },
    range: { category: [...PALETTE], symbol: [...SHAPES] },
  } as Config;
}
