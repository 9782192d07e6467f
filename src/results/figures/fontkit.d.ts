// fontkit 2 ships no types; this covers the calls the figure code makes. fontkit is the
// font engine pdfkit embeds fonts with, installed as pdfkit's dependency.
declare module "fontkit" {
  export interface Glyph {
    id: number;
    advanceWidth: number;
  }
  export interface GlyphRun {
    advanceWidth: number;
    glyphs: Glyph[];
  }
  export interface Subset {
    /** Adds a glyph (and, on encoding, the components of a composite one); returns its id in the subset. */
    includeGlyph(glyph: number | Glyph): number;
    /** A TrueType file with head, hhea, loca, maxp, cvt, prep, glyf, hmtx and fpgm only. */
    encode(): Uint8Array;
  }
  export interface Font {
    unitsPerEm: number;
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    layout(text: string): GlyphRun;
    createSubset(): Subset;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
