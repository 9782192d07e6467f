// Specs edited by hand. A .vl.json is the user's once its bytes differ from the ones the tool
// wrote (their SHA-256 is in figures/figures.json); a redraw then draws from it and leaves it
// alone. It must still be a vega-lite spec: a broken one is an InputError naming the file.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type TopLevelSpec } from "vega-lite";
import { InputError } from "../../validation.js";
import { sha256Hex, type Book } from "./book.js";

type Json = Record<string, unknown>;

const HOW_BACK = "fix it, or delete it to get twinedge's spec back";

/** Parses and compiles an edited spec, or throws an InputError naming `path`. */
function parseEdited(path: string, text: string): Json {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, [`edited by hand and not valid JSON (${(e as Error).message}); ${HOW_BACK}`]);
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new InputError(path, [`edited by hand and not a vega-lite spec (a JSON object); ${HOW_BACK}`]);
  }
  try {
    compile(spec as TopLevelSpec);
  } catch (e) {
    throw new InputError(path, [`edited by hand and vega-lite refuses it (${(e as Error).message}); ${HOW_BACK}`]);
  }
  return spec as Json;
}

/** The spec at `path` if it exists and its bytes are not the ones whose hash is `toolSha256`; else null. */
export function editedSpec(path: string, toolSha256: string): Json | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, "utf8");
  return sha256Hex(text) === toolSha256 ? null : parseEdited(path, text);
}

/**
 * Checks, before anything is drawn, every existing .vl.json of `names` that may be the user's:
 * one whose hash differs from the book's, or that the book does not know (a folder drawn
 * before the book existed, whose spec is compared with the fresh one only while drawing).
 */
export function checkEditedSpecs(figDir: string, names: readonly string[], book: Book): void {
  for (const name of names) {
    const path = join(figDir, `${name}.vl.json`);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    const entry = book.figures[name];
    if (!entry || sha256Hex(text) !== entry.toolSpecSha256) parseEdited(path, text);
  }
}
