// figures/figures.json: what the tool drew, figure by figure. It records the size each figure
// was drawn at and the SHA-256 of the .vl.json the tool wrote, so a redraw can tell a spec a
// user edited by hand (its bytes differ from that hash) and keep it instead of overwriting it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../io/atomic.js";
import { parseWith, readJsonFile } from "../../validation.js";
import { FIGURE_SIZES } from "./size.js";

const BOOK_FILE = "figures.json";

const ENTRY = z.strictObject({
  /** The size asked for; the page size below is what was drawn (an edited spec sets its own). */
  figureSize: z.enum(FIGURE_SIZES),
  widthPt: z.number().positive(),
  heightPt: z.number().positive(),
  /** SHA-256 (hex) of the .vl.json text the tool last wrote for this figure. */
  toolSpecSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** "tool": drawn from the tool's spec; "edited": drawn from the user's edited .vl.json, left as it was. */
  drawnFrom: z.enum(["tool", "edited"]),
});

const BOOK = z.strictObject({
  about: z.string(),
  figures: z.record(z.string(), ENTRY),
});

export type Book = z.output<typeof BOOK>;

const ABOUT =
  "Written by twinedge: per figure, the size it was drawn at (widthPt x heightPt = the PDF page, " +
  "1 SVG px = 1 pt) and the SHA-256 of the .vl.json twinedge wrote. A .vl.json whose bytes differ " +
  "was edited by hand: twinedge plot draws from it and never overwrites it.";

export function sha256Hex(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The book of `figDir`, empty when there is none yet (a new folder, or one drawn by an older twinedge). */
export function readBook(figDir: string): Book {
  const path = join(figDir, BOOK_FILE);
  if (!existsSync(path)) return { about: ABOUT, figures: {} };
  return { ...parseWith(BOOK, readJsonFile(path), path), about: ABOUT };
}

/** Figures sorted by name, so the same drawing gives the same bytes. */
export function writeBook(figDir: string, book: Book): void {
  const figures = Object.fromEntries(Object.entries(book.figures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileAtomic(join(figDir, BOOK_FILE), `${JSON.stringify({ about: ABOUT, figures }, null, 2)}\n`);
}
