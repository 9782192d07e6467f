// Building blocks of report.html (./index.ts uses them): escaping, tables from CSV text, inlined SVG. Every string
// taken from a result folder goes through `escapeHtml` (text and attribute values alike).

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

/** What an SVG of a result folder must not hold to be inlined: scripts, event handlers, foreign content, references outside the file. */
const UNSAFE_SVG = [
  /<script\b/i, /<foreignObject\b/i, /\son[a-z]+\s*=/i, /javascript:/i, /<iframe\b/i, /<!ENTITY/i,
  /(?:href|src)\s*=\s*["']\s*(?!#|data:)/i, /url\(\s*["']?\s*(?!#|data:)/i, /@import/i,
];

/** Why `svg` may not be inlined, or null. */
export function unsafeSvg(svg: string): string | null {
  const hit = UNSAFE_SVG.find((re) => re.test(svg));
  return hit ? `holds ${JSON.stringify(hit.exec(svg)![0].trim())}: a script, handler or outside reference, not inlined` : null;
}

/**
 * An SVG file's markup for inlining as figure number `k`: the XML declaration dropped, every
 * id (and its url(#..)/href="#.." references) prefixed so that figures with the same clip-path
 * ids stay apart in one document, and its embedded font subset renamed, so one figure's subset
 * cannot stand in for another's (the same family name would make the browser pick one).
 */
export function inlineSvg(svg: string, k: number): string {
  const prefix = `f${k}-`;
  let out = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, "");
  out = out
    .replace(/\sid="([^"]*)"/g, (_, id: string) => ` id="${prefix}${id}"`)
    .replace(/url\(#([^)]*)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]*)"/g, (_, id: string) => `href="#${prefix}${id}"`);
  const family = /@font-face\{font-family:"([^"]+)"/.exec(out)?.[1];
  if (family) {
    const own = `${family} ${prefix}subset`;
    out = out
      .split(`font-family:"${family}"`).join(`font-family:"${own}"`)
      .split(`font-family="${family}"`).join(`font-family="'${own}', '${family}', sans-serif"`);
  }
  return out;
}
