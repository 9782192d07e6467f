// Shared pieces of input validation: field constructors whose messages say what was
// expected, and the formatting of zod issues as "path.to[3].field: message" lines.
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Bad input: every line names the field's path. The CLI prints it and exits 2. */
export class InputError extends Error {
  constructor(readonly source: string, readonly issues: string[]) {
    super(issues.map((i) => `${source}: ${i}`).join("\n"));
    this.name = "InputError";
  }
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
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
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

/** Reads and parses a JSON file; unreadable or malformed files are InputErrors too. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(path, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
}
