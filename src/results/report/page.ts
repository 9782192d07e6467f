// The fixed parts of report.html: its style sheet and the one small script (sorting a table
// by a clicked column; the page reads the same without it). No external reference in either.
import { createHash } from "node:crypto";

/** The page's file name in a result folder (writeReport writes it; plot rewrites it when it is there). */
export const REPORT_FILE = "report.html";

export const REPORT_STYLE = `
body{font-family:"DejaVu Sans",Verdana,sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 48px;color:#222;line-height:1.4}
header{border-bottom:1px solid #ccc;margin-bottom:16px}
h1{font-size:1.5em;margin:16px 0 4px}
h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #eee}
nav a{margin-right:12px}
figure{margin:16px 0;padding:8px;border:1px solid #eee;overflow-x:auto}
figure img{display:block;max-width:100%;height:auto}
figcaption{font-size:0.85em;color:#444;margin-top:4px}
.files a{margin-left:4px}
table{border-collapse:collapse;font-size:0.8em;margin:8px 0}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
table.data th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}
table.data td{font-variant-numeric:tabular-nums}
table.meta th{background:#f8f8f8;white-space:nowrap}
table.meta td{word-break:break-all}
pre{background:#f8f8f8;padding:8px;overflow-x:auto;font-size:0.8em}
`.trim();

/** Sorts a data table by a clicked header: numbers by value (data-value), text by text; a second click reverses. */
export const REPORT_SCRIPT = `
document.querySelectorAll("table.data").forEach(function (t) {
  t.querySelectorAll("th").forEach(function (th) {
    th.addEventListener("click", function () {
      var col = +th.getAttribute("data-col"), body = t.tBodies[0], down = th.getAttribute("data-sort") !== "up";
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (r) { var v = r.cells[col].getAttribute("data-value"); var n = parseFloat(v); return v !== "" && isFinite(v) ? n : v; };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return down ? c : -c;
      });
      th.setAttribute("data-sort", down ? "up" : "down");
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
`.trim();

/**
 * The Content-Security-Policy of the page: nothing from outside (images only from data: URLs,
 * the figures), no script but REPORT_SCRIPT (by its hash), no form submission, no <base>.
 */
export function reportPolicy(): string {
  const hash = createHash("sha256").update(REPORT_SCRIPT).digest("base64");
  return `default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'sha256-${hash}'; form-action 'none'; base-uri 'none'`;
}
