// PNG through resvg: a Rust SVG renderer with no system dependencies, so the pixels do not
// depend on the machine. It is given the DejaVu files and nothing else (system fonts off),
// which also makes it ignore the SVG's embedded @font-face, drawing with the same glyphs.
import { Resvg } from "@resvg/resvg-js";
import { FONT_FILES } from "./fonts.js";
import { FONT_FAMILY } from "./style.js";

/** Pixels per SVG px at "screen": 2x keeps lines and text sharp in slides. Print sizes use 300 dpi (size.ts). */
const PNG_SCALE = 2;

export function renderPng(svg: string, scale = PNG_SCALE): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: "error",
  });
  return resvg.render().asPng();
}
