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

/** Characters no CSV file twinedge writes holds: C0 controls but tab, LF and CR; DEL; U+FFFD (bytes that were not UTF-8). */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** The rows of `text`, or the first reason (with its line) it is not CSV as csvLine writes it. */
function scanCsv(text: string): { rows: string[][]; lines: number[] } | { problem: string } {
  const bad = NOT_TEXT.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split("\n").length;
    const code = bad[0].charCodeAt(0);
    return { problem: `line ${line}: holds ${code === 0xfffd ? "bytes that are not UTF-8 text" : `the control character U+${code.toString(16).padStart(4, "0").toUpperCase()}`}: not a CSV text file` };
  }
  const rows: string[][] = [];
  /** The line each row starts on. */
  const lines: number[] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  /** The cell was quoted and its closing quote seen: only a separator or a line end may follow. */
  let closed = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
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
        closed = true;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      k++;
      continue;
    }
    if (ch === ",") {
      row.push(cell);
      cell = "";
      closed = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[k + 1] === "\n") k++;
      row.push(cell);
      rows.push(row);
      lines.push(rowLine);
      row = [];
      cell = "";
      closed = false;
      line++;
      rowLine = line;
    } else if (closed) {
      return { problem: `line ${line}: text after a quoted cell's closing quote` };
    } else if (ch === '"') {
      if (cell !== "") return { problem: `line ${line}: a quote inside an unquoted cell` };
      quoted = true;
      quoteLine = line;
    } else cell += ch;
    k++;
  }
  if (quoted) return { problem: `line ${quoteLine}: a quoted cell that never ends (unterminated quote)` };
  if (cell !== "" || closed || row.length > 0) {
    row.push(cell);
    rows.push(row);
    lines.push(rowLine);
  }
  return { rows, lines };
}

/**
 * The rows of a CSV text as csvCell writes it (RFC 4180 quoting; a trailing newline ends the
 * last row, it does not start another); cells stay text, a neutralised formula keeps its
 * leading `'`. Text that is not such CSV (an unterminated quote, a stray quote, a control
 * character) throws, saying why and on which line. Tests read the folder's files with it.
 */
export function parseCsv(text: string): string[][] {
  const r = scanCsv(text);
  if ("problem" in r) throw new Error(r.problem);
  return r.rows;
}

/**
 * A result folder's CSV file as a table, or why it is not one (the report and readTopology
 * call it): well-formed CSV (parseCsv), a header row, `header` exactly when given, and every
 * row with as many cells as the header.
 */
export function readCsvTable(text: string, header?: readonly string[]): { header: string[]; rows: string[][] } | { problem: string } {
  const r = scanCsv(text);
  if ("problem" in r) return r;
  const [head, ...rows] = r.rows;
  if (!head || (head.length === 1 && head[0] === "")) return { problem: "empty: no header row" };
  if (header && (head.length !== header.length || head.some((h, k) => h !== header[k]))) {
    return { problem: `line 1: the header is ${JSON.stringify(head.join(",").slice(0, 200))}, expected ${JSON.stringify(header.join(","))}` };
  }
  const short = rows.findIndex((row) => row.length !== head.length);
  if (short >= 0) return { problem: `line ${r.lines[short + 1]}: ${rows[short].length} cell(s), the header has ${head.length}` };
  return { header: head, rows };
}
