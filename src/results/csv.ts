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

/**
 * The rows of a CSV text as csvCell writes it (RFC 4180 quoting; a trailing newline ends the
 * last row, it does not start another). The report and the topology figure read the folder's
 * CSV files with it; cells stay text, a neutralised formula keeps its leading `'`.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let k = 0;
  const n = text.length;
  while (k < n) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"') {
        if (text[k + 1] === '"') {
          cell += '"';
          k += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      k++;
      continue;
    }
    if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[k + 1] === "\n") k++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
    k++;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
