// Figure sizes: "screen" (today's look, for slides and a browser) and the two IEEE column
// widths. At a print size the whole figure (axes, legend, padding) is made exactly as wide
// as the column, and every text is set in the point size it prints at: the PDF page is the
// SVG's size with 1 SVG px = 1 pt, so a font size in the spec is its printed size.

export const FIGURE_SIZES = ["screen", "single", "double"] as const;
export type FigureSize = (typeof FIGURE_SIZES)[number];

/** Points per inch (PostScript and PDF). */
const PT_PER_IN = 72;

/** Smallest text any print size uses; IEEE asks for at least 7 pt in a printed figure. */
export const MIN_PRINT_FONT_PT = 7;

/** Text sizes in pt (= SVG px). */
interface FontSizes {
  /** Tick labels, legend entries, panel headers. */
  label: number;
  /** Axis and legend titles. */
  title: number;
  /** A chart title (the reward curves of several sweep points carry one). */
  chart: number;
}

export interface Layout {
  size: FigureSize;
  /** Width the whole figure is fitted to, in pt; null keeps the plot area below and lets the figure take its natural width. */
  pageWidthPt: number | null;
  /** Plot area of a single-panel figure (the starting guess at a print size, which fitting then changes). */
  width: number;
  /** Plot height as a share of the plot width at a print size; at "screen" the height is fixed. */
  aspect: number;
  height: number;
  panelWidth: number;
  panelHeight: number;
  /** Panel height as a share of panel width at a print size. */
  panelAspect: number;
  maxFacetColumns: number;
  fonts: FontSizes;
  /** Padding around the whole figure, pt. */
  padding: number;
  lineWidth: number;
  /** Point mark area in px². */
  pointSize: number;
  /** Where the policy legend goes: beside the plot on a screen, below it in a narrow column. */
  legendOrient: "right" | "bottom";
  /** Legend entries per row when the legend is below the plot. */
  legendColumns: number;
  /** Length of an error bar's cap, px. */
  capSize: number;
  /** PNG pixels per SVG px (= pt): 2 for screens; 300 dpi at a print size. */
  pngScale: number;
}

/** 300 dpi, the resolution journals ask of raster figures. */
const PRINT_PNG_SCALE = 300 / PT_PER_IN;

const SCREEN: Layout = {
  size: "screen",
  pageWidthPt: null,
  width: 480,
  height: 300,
  aspect: 300 / 480,
  panelWidth: 260,
  panelHeight: 200,
  panelAspect: 200 / 260,
  maxFacetColumns: 3,
  fonts: { label: 11, title: 12, chart: 13 },
  padding: 8,
  lineWidth: 2,
  pointSize: 45,
  legendOrient: "right",
  legendColumns: 1,
  capSize: 14,
  pngScale: 2,
};

/** IEEE single column: 3.5 in. */
const SINGLE: Layout = {
  size: "single",
  pageWidthPt: 3.5 * PT_PER_IN,
  width: 190,
  height: 125,
  aspect: 0.66,
  panelWidth: 90,
  panelHeight: 80,
  panelAspect: 0.85,
  maxFacetColumns: 2,
  fonts: { label: 7.5, title: 8, chart: 8.5 },
  padding: 3,
  lineWidth: 1.25,
  pointSize: 16,
  legendOrient: "bottom",
  legendColumns: 3,
  capSize: 6,
  pngScale: PRINT_PNG_SCALE,
};

/** IEEE double column (the text width): 7.16 in. */
const DOUBLE: Layout = {
  size: "double",
  pageWidthPt: 7.16 * PT_PER_IN,
  width: 400,
  height: 190,
  aspect: 0.45,
  panelWidth: 130,
  panelHeight: 100,
  panelAspect: 0.75,
  maxFacetColumns: 3,
  fonts: { label: 8, title: 9, chart: 9.5 },
  padding: 4,
  lineWidth: 1.5,
  pointSize: 24,
  legendOrient: "right",
  legendColumns: 1,
  capSize: 8,
  pngScale: PRINT_PNG_SCALE,
};

const LAYOUTS: Record<FigureSize, Layout> = { screen: SCREEN, single: SINGLE, double: DOUBLE };

export function layoutOf(size: FigureSize): Layout {
  return LAYOUTS[size];
}
