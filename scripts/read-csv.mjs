// A result folder's CSV file (summary.csv, paired.csv) as objects keyed by its header, read with
// the project's own parser (src/results/csv.ts, built into dist/ by `npm run build`): the
// docs' table scripts (ablation-table.mjs, paper-tables.mjs) share it.
import { readFileSync } from "node:fs";
import { readCsvTable } from "../dist/src/results/csv.js";

/** The rows of the CSV file at `path`; a file that is not such a table exits 2, saying why. */
export function readCsv(path) {
  const t = readCsvTable(readFileSync(path, "utf8"));
  if ("problem" in t) {
    console.error(`${path}: ${t.problem}`);
    process.exit(2);
  }
  return t.rows.map((row) => Object.fromEntries(row.map((v, k) => [t.header[k], v])));
}
