// Building blocks of report.html (./index.ts uses them): escaping, tables from CSV rows, figures as images. Every
// string taken from a result folder goes through `escapeHtml` (text and attribute values alike); an SVG goes in
// only as the base64 of a data: URL.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text or an attribute value (quoted with ") as HTML: the five characters that could end or open markup become references. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A number cell as shown: 4 significant digits (the exact text stays in data-value). */
function shown(cell: string): string {
  if (cell === "") return "";
  const v = Number(cell);
  if (!Number.isFinite(v) || !/^[-+0-9.eE]+$/.test(cell)) return cell;
  return Number.isInteger(v) && Math.abs(v) < 1e9 ? String(v) : v.toPrecision(4).replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1");
}

/**
 * A CSV table (header row first) as an HTML table: each cell shows its value (numbers to 4
 * significant digits) and carries the file's exact text in data-value, which the sorting
 * script and the tests read. `name` goes in data-table.
 */
export function csvTable(name: string, rows: readonly (readonly string[])[]): string {
  const [header = [], ...body] = rows;
  const head = header.map((h, k) => `<th data-col="${k}" title="sort">${escapeHtml(h)}</th>`).join("");
  const lines = body.map((r) => `<tr>${header.map((_, k) => {
    const cell = r[k] ?? "";
    return `<td data-value="${escapeHtml(cell)}">${escapeHtml(shown(cell))}</td>`;
  }).join("")}</tr>`);
  return `<table class="data" data-table="${escapeHtml(name)}"><thead><tr>${head}</tr></thead><tbody>\n${lines.join("\n")}\n</tbody></table>`;
}

/**
 * What an SVG of a result folder is refused for, as a sign the folder was tampered with (no
 * figure twinedge draws holds any of these). The page's safety does not rest on this list:
 * every figure is shown as an image (figureImage), which runs no script, follows no link and
 * loads nothing; the list only keeps a planted file from being shown as if it were a figure.
 */
const PLANTED_SVG = [/<script\b/i, /<foreignObject\b/i, /<!ENTITY/i, /<!DOCTYPE/i, /[\s/]on[a-z]+\s*=/i, /javascript:/i];

/** Why `svg` is not shown (not an SVG document, or holding what PLANTED_SVG lists), or null. */
export function refusedSvg(svg: string): string | null {
  const body = svg.replace(/^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*/, "");
  if (!/^<svg[\s>]/.test(body)) return "not an SVG document (it does not start with <svg), not shown";
  const hit = PLANTED_SVG.find((re) => re.test(svg));
  return hit ? `holds ${JSON.stringify(hit.exec(svg)![0].trim())}: a script, handler or entity no twinedge figure holds, not shown` : null;
}

/**
 * An SVG file as an <img> of the page: its bytes base64 in a data: URL. A browser renders an
 * SVG image as a sealed document: no script runs, no link is followed, nothing is fetched (its
 * own embedded font, a data: URL, still works), and none of its markup joins the page's.
 */
export function figureImage(svg: string, alt: string): string {
  return `<img src="data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}" alt="${escapeHtml(alt)}">`;
}
