/**
 * A text cell a spreadsheet would read as a formula (or strip: tab, CR) starts with one of
 * these; such a cell gets a leading `'`, so a policy name or axis value can never run as one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell: numbers in shortest round-trip form (a negative number stays a number), NaN/null
 * empty, text neutralised when it could start a formula and quoted when needed.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return "";
  let s = String(v);
  if (typeof v !== "number" && typeof v !== "bigint" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\n`;
}
