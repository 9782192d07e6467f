// Headless vega: compile the vega-lite spec, run a View with no renderer and serialise the
// scenegraph to SVG. There is no canvas in Node here, so vega would guess text widths
// (0.8 em per character) and misplace axis titles and legends; it measures with DejaVu
// Sans' real metrics instead.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { subsetFont } from "./font-subset.js";
import { textWidth, weightOf, type Weight } from "./fonts.js";
import { FONT_FAMILY } from "./style.js";

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
type WidthFn = (item: TextItem, text: unknown) => number;
// vega exports textMetrics (vega-scenegraph) but its typings do not declare it.
const textMetrics = (vega as unknown as { textMetrics: { width: WidthFn } }).textMetrics;

/** vega's own rules: text is trimmed, 11 px by default, and a limit caps the width (the rest becomes "…"). */
const measure: WidthFn = (item, text) => {
  const s = text == null ? "" : String(text).trim();
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  if (size <= 0 || s === "") return 0;
  const w = textWidth(s, size, weightOf(item.fontWeight));
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
};

// The measurer is vega's global; renders in flight share it and the last one out puts
// vega's own back, so overlapping renders never see the estimate.
let inFlight = 0;
let saved: WidthFn = textMetrics.width;

/** Renders one spec (with inline data) to an SVG string, the font embedded. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  if (inFlight++ === 0) {
    saved = textMetrics.width;
    textMetrics.width = measure;
  }
  try {
    // Clip-path and gradient ids come from a global counter: reset it so the same figure
    // always gets the same ids, whatever was drawn before it in this process. (The view
    // takes its ids while rendering, so renders of figures with clip paths must not overlap;
    // drawFigures draws one at a time.)
    vega.resetSVGDefIds();
    const view = new vega.View(vega.parse(vgSpec), { renderer: "none", logLevel: vega.Warn });
    try {
      return embedFont(await view.toSVG());
    } finally {
      view.finalize();
    }
  } finally {
    if (--inFlight === 0) textMetrics.width = saved;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** The characters of every <text> element, by the face it is drawn in. */
function textByWeight(svg: string): Map<Weight, string> {
  const out = new Map<Weight, string>();
  for (const m of svg.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
    const weight = weightOf(/font-weight="([^"]*)"/.exec(m[1])?.[1]);
    const content = decodeXml(m[2].replace(/<[^>]*>/g, ""));
    out.set(weight, (out.get(weight) ?? "") + content);
  }
  return out;
}

/**
 * Embeds subsets of DejaVu Sans as @font-face data URLs, so a browser or an editor draws the
 * text with the font it was laid out in, even where DejaVu is not installed. resvg and
 * svg-to-pdfkit ignore the rule; they are given the same font files directly.
 */
function embedFont(svg: string): string {
  const faces: string[] = [];
  for (const [weight, text] of [...textByWeight(svg)].sort(([a], [b]) => a.localeCompare(b))) {
    const data = Buffer.from(subsetFont(weight, text)).toString("base64");
    faces.push(
      `@font-face{font-family:"${FONT_FAMILY}";font-weight:${weight === "bold" ? 700 : 400};` +
        `src:url(data:font/ttf;base64,${data}) format("truetype");}`,
    );
  }
  if (faces.length === 0) return svg;
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error("renderSvg: vega returned no <svg> element");
  const at = open.index + open[0].length;
  return `${svg.slice(0, at)}<defs><style>${faces.join("")}</style></defs>${svg.slice(at)}`;
}
