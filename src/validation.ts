// Shared pieces of input validation: field constructors whose messages say what was
// expected, and the formatting of zod issues as "path.to[3].field: message" lines.
import { z } from "zod";
import { FileRefused, MIB, readRegularText } from "./input-file.js";

/** Past this many issues the rest are counted, not listed: one bad column or axis could give thousands. */
export const MAX_ISSUES = 20;
/** An issue line longer than this is cut: a quoted value may be megabytes long. */
const MAX_LINE_CHARS = 400;

/**
 * Bad input: every line names the field's path. The CLI prints it and exits 2. At most
 * MAX_ISSUES lines are kept, then "… and N more"; `hidden` counts issues the caller already
 * left out.
 */
export class InputError extends Error {
  readonly issues: string[];

  constructor(readonly source: string, issues: string[], hidden = 0) {
    const more = Math.max(0, issues.length - MAX_ISSUES) + hidden;
    const kept = issues.slice(0, MAX_ISSUES).map((i) => clip(i, MAX_LINE_CHARS));
    if (more > 0) kept.push(`… and ${more} more`);
    super(kept.map((i) => `${clip(source, MAX_LINE_CHARS)}: ${i}`).join("\n"));
    this.issues = kept;
    this.name = "InputError";
  }
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A value quoted for a message (as JSON), cut to `max` characters so a huge input stays one short line. */
export function quote(value: unknown, max = 60): string {
  if (typeof value === "string") return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text, max);
}

const said = (what: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? "required" : `expected ${what}`) });

/** A finite number; `what` is the expectation named in the error. */
export const finite = (what = "a finite number") => z.number(said(what)).finite(said(what));
export const positive = () => finite("a positive number").positive(said("a positive number"));
export const nonNegative = () => finite("a non-negative number").min(0, said("a non-negative number"));
export const fraction = () => finite("a number in [0, 1]").min(0, said("a number in [0, 1]")).max(1, said("a number in [0, 1]"));
export const positiveInt = () => z.number(said("a positive integer")).int(said("a positive integer")).positive(said("a positive integer"));
export const nonNegativeInt = () => z.number(said("a non-negative integer")).int(said("a non-negative integer")).min(0, said("a non-negative integer"));

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    // A key is the user's text: cut a long one.
    const key = clip(String(p), 60);
    out += typeof p === "number" ? `[${p}]` : out === "" ? key : `.${key}`;
  }
  return out;
}

export function formatIssues(error: z.ZodError): string[] {
  const lines: string[] = [];
  for (const iss of error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const key of iss.keys) lines.push(`${formatPath([...iss.path, key])}: unknown field`);
    } else if (iss.code === "invalid_union" && iss.message === "Invalid input") {
      lines.push(`${formatPath(iss.path) || "(root)"}: matches none of the allowed forms`);
    } else {
      lines.push(`${formatPath(iss.path) || "(root)"}: ${iss.message}`);
    }
  }
  return lines;
}

/** Parses `value` with `schema`, or throws an InputError naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(source, formatIssues(r.error));
  return r.data;
}

/** Cap on a JSON input file (scenario, snapshot, result-folder JSON), bytes. */
const MAX_JSON_BYTES = 64 * MIB;

/**
 * Reads and parses a JSON file (a regular file of at most `maxBytes`; a leading byte-order
 * mark is skipped, as in trace files); unreadable or malformed files are InputErrors too.
 */
export function readJsonFile(path: string, maxBytes = MAX_JSON_BYTES): unknown {
  let text: string;
  try {
    text = readRegularText(path, maxBytes);
  } catch (e) {
    if (e instanceof FileRefused) throw new InputError(path, [e.reason]);
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
}
