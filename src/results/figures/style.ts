// One look for every figure. It lives in each spec's `config`, so a reader who restyles a
// .vl.json edits one block, and the rendered files never depend on vega's defaults.
import type { Config } from "vega-lite";

export const FONT_FAMILY = "DejaVu Sans";

/**
 * Okabe & Ito's colour-blind-safe palette, reordered so the first lines are the most
 * distinct in print and yellow (hard to see on white) comes last. Policies take colours in the
 * order the caller lists them, the same in every figure.
 */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;

/** A second cue besides colour, so lines stay apart in greyscale. */
export const SHAPES = ["circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-right", "triangle-left"] as const;

/** Plot area of a single-panel figure; facets get smaller panels so a row stays readable. */
export const WIDTH = 480;
export const HEIGHT = 300;
export const PANEL_WIDTH = 260;
export const PANEL_HEIGHT = 200;
export const MAX_FACET_COLUMNS = 3;

export const BAND_OPACITY = 0.18;

const TEXT = "#222222";
const RULE = "#444444";

/** Label and title text of axes, legends and facet headers alike. */
const LABELS = {
  labelFont: FONT_FAMILY,
  titleFont: FONT_FAMILY,
  labelFontSize: 11,
  titleFontSize: 12,
  titleFontWeight: "normal",
  labelColor: TEXT,
  titleColor: TEXT,
} as const;

export const CONFIG: Config = {
  font: FONT_FAMILY,
  background: "white",
  padding: 8,
  view: { stroke: null },
  axis: {
    ...LABELS,
    titlePadding: 8,
    domainColor: RULE,
    tickColor: RULE,
    grid: true,
    gridColor: "#e6e6e6",
    gridWidth: 0.8,
    labelFlush: false,
  },
  axisX: { grid: false },
  legend: {
    ...LABELS,
    symbolSize: 60,
    // Otherwise the legend takes the translucent band's opacity and the swatches look washed out.
    symbolOpacity: 1,
    symbolStrokeWidth: 2,
    labelLimit: 200,
  },
  header: {
    ...LABELS,
  },
  title: { font: FONT_FAMILY, fontSize: 13, fontWeight: "normal", color: TEXT },
  line: { strokeWidth: 2 },
  point: { size: 45, filled: true, opacity: 1 },
  bar: { opacity: 0.9 },
  range: { category: [...PALETTE], symbol: [...SHAPES] },
};
