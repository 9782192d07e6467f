// DejaVu Sans from the npm package is the only font any figure uses: vega lays text out
// with its metrics, resvg draws with it, pdfkit embeds it and the SVG carries a subset of it.
// Nothing comes from the machine's fonts, so every machine gives the same files.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as fontkit from "fontkit";

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

export const FONT_FILES = {
  regular: join(FONT_DIR, "DejaVuSans.ttf"),
  bold: join(FONT_DIR, "DejaVuSans-Bold.ttf"),
} as const;

export type Weight = keyof typeof FONT_FILES;

const bytes = new Map<Weight, Uint8Array>();
const fonts = new Map<Weight, fontkit.Font>();

export function fontBytes(weight: Weight): Uint8Array {
  let b = bytes.get(weight);
  if (!b) bytes.set(weight, (b = new Uint8Array(readFileSync(FONT_FILES[weight]))));
  return b;
}

export function font(weight: Weight): fontkit.Font {
  let f = fonts.get(weight);
  if (!f) fonts.set(weight, (f = fontkit.create(fontBytes(weight))));
  return f;
}

/** CSS weights 600 and up, and "bold"/"bolder", use the bold face, as browsers would pick it. */
export function weightOf(cssWeight: unknown): Weight {
  if (cssWeight === "bold" || cssWeight === "bolder") return "bold";
  const n = Number(cssWeight);
  return Number.isFinite(n) && n >= 600 ? "bold" : "regular";
}

const widths = new Map<string, number>();

/** Advance width in px of `text` at `sizePx`, with the font's kerning (as resvg and pdfkit shape it). */
export function textWidth(text: string, sizePx: number, weight: Weight): number {
  const key = `${weight} ${sizePx} ${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    const f = font(weight);
    w = (f.layout(text).advanceWidth / f.unitsPerEm) * sizePx;
    widths.set(key, w);
  }
  return w;
}
