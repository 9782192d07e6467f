// report.html of a result folder (`twinedge report DIR`, `twinedge run --report`): one
// self-contained page, readable offline and without running any script: the provenance from
// manifest.json, the topology figures and sites, every figure of figures/ as an image of its
// SVG (a data: URL, in an element with data-figure="<name>"), the summary and paired tables,
// and the scenario. Every string from the folder is HTML-escaped and no markup of the folder's
// joins the page's; the CSV files are checked before anything is written; the page has no
// external reference; the same folder gives the same bytes.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic.js";
import { readRegularFile } from "../../io/safe-read.js";
import { InputError } from "../../validation.js";
import { readCsvTable } from "../csv.js";
import { FolderLock } from "../lock.js";
import { pairedHeader } from "../paired.js";
import { summaryHeader } from "../summary.js";
import { SITES_HEADER, TOPOLOGY_FILES } from "../topology.js";
import { csvTable, escapeHtml, figureImage, refusedSvg } from "./html.js";
import { REPORT_FILE, REPORT_SCRIPT, REPORT_STYLE, reportPolicy } from "./page.js";


/** The files a report cannot do without. */
const REQUIRED = ["scenario.json", "manifest.json", "summary.csv", "paired.csv"] as const;
/** A bound on any one file read (a planted file's). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Manifest fields shown first, in this order; the rest follow in the file's order. */
const PROVENANCE_ORDER = [
  "scenario", "source", "command", "startedAt", "finishedAt", "mergedAt", "wallTimeS", "codeHash", "configHash", "gitCommit", "gitDirty",
  "versions", "backend", "wasmSha256", "cpu", "cores", "threads", "shard", "seeds", "policies", "axes", "points", "trials",
];

interface ReadFolder {
  scenario: Record<string, unknown>;
  manifest: Record<string, unknown>;
  summary: string[][];
  paired: string[][];
  /** figures/*.svg in name order: base name, markup, the .vl.json description if any. */
  figures: { name: string; svg: string; description: string | null }[];
  sites: string[][] | null;
}

function readText(path: string): string {
  const r = readRegularFile(path, MAX_FILE_BYTES);
  if ("missing" in r) throw new InputError(path, ["missing"]);
  if ("problem" in r) throw new InputError(path, [r.problem]);
  return r.text;
}

function readObject(path: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(readText(path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new InputError(path, ["expected a JSON object"]);
  return v as Record<string, unknown>;
}

/** The description a figure's spec gives, if its .vl.json reads as JSON with a string description. */
function descriptionOf(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    const d = (JSON.parse(readText(path)) as { description?: unknown }).description;
    return typeof d === "string" ? d : null;
  } catch {
    return null;
  }
}

/** Everything the page shows, checked before anything is written: a missing or unreadable file is an InputError naming it. */
function readFolder(dir: string): ReadFolder {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new InputError(dir, ["no such folder: expected a twinedge result folder"]);
  const missing = REQUIRED.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new InputError(dir, [`not a complete twinedge result folder: missing ${missing.join(", ")}`]);
  const figDir = join(dir, "figures");
  const names = existsSync(figDir) && lstatSync(figDir).isDirectory()
    ? readdirSync(figDir).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -".svg".length)).sort()
    : [];
  const problems: string[] = [];
  const figures = names.map((name) => {
    const svg = readText(join(figDir, `${name}.svg`));
    const why = refusedSvg(svg);
    if (why) problems.push(`figures/${name}.svg: ${why}`);
    return { name, svg, description: descriptionOf(join(figDir, `${name}.vl.json`)) };
  });
  const scenario = readObject(join(dir, "scenario.json"));
  const sweep = scenario.sweep;
  const axes = sweep && typeof sweep === "object" && !Array.isArray(sweep) ? Object.keys(sweep) : [];
  /** A CSV file of the folder as rows (header first), or null with its problem noted. */
  const table = (file: string, header: readonly string[]): string[][] | null => {
    const t = readCsvTable(readText(join(dir, file)), header);
    if ("problem" in t) {
      problems.push(`${file}: ${t.problem}`);
      return null;
    }
    return [t.header, ...t.rows];
  };
  const summary = table("summary.csv", summaryHeader(axes));
  const paired = table("paired.csv", pairedHeader(axes));
  const sites = existsSync(join(dir, TOPOLOGY_FILES.sites)) ? table(TOPOLOGY_FILES.sites, SITES_HEADER) : null;
  if (problems.length) throw new InputError(dir, problems);
  return { scenario, manifest: readObject(join(dir, "manifest.json")), summary: summary!, paired: paired!, figures, sites };
}

/** A manifest value as text: a list space-separated, a flat object as "key value, ...", anything else as JSON. */
function valueText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(" ");
  if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== "object")) {
    return Object.entries(v).map(([k, x]) => `${k} ${x === null ? "null" : String(x)}`).join(", ");
  }
  return JSON.stringify(v);
}

function provenance(manifest: Record<string, unknown>): string {
  const keys = [...PROVENANCE_ORDER.filter((k) => k in manifest), ...Object.keys(manifest).filter((k) => !PROVENANCE_ORDER.includes(k))];
  const rows = keys.map((k) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(valueText(manifest[k]))}</td></tr>`);
  return `<table class="meta" data-table="provenance"><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function figureBlock(f: ReadFolder["figures"][number], k: number): string {
  const files = [".svg", ".png", ".pdf", ".vl.json", ".data.csv"]
    .map((ext) => `<a href="figures/${escapeHtml(encodeURIComponent(f.name + ext))}">${escapeHtml(ext.slice(1))}</a>`).join(" ");
  return `<figure data-figure="${escapeHtml(f.name)}" id="fig-${k}">\n${figureImage(f.svg, f.description ?? f.name)}\n` +
    `<figcaption><b>${escapeHtml(f.name)}</b>${f.description ? `. ${escapeHtml(f.description)}` : ""} <span class="files">${files}</span></figcaption>\n</figure>`;
}

/** The page's HTML for a folder as read. */
function reportHtml(r: ReadFolder): string {
  const name = typeof r.scenario.name === "string" ? r.scenario.name : "scenario";
  const description = typeof r.scenario.description === "string" ? r.scenario.description : "";
  const isTopology = (n: string) => n === "topology" || n.startsWith("topology-");
  const topo = r.figures.map((f, k) => ({ f, k })).filter(({ f }) => isTopology(f.name));
  const rest = r.figures.map((f, k) => ({ f, k })).filter(({ f }) => !isTopology(f.name));
  const sections: string[] = [];
  sections.push(`<section id="provenance"><h2>Provenance</h2>\n${provenance(r.manifest)}\n</section>`);
  sections.push(`<section id="topology"><h2>Topology</h2>\n` +
    (topo.length ? topo.map(({ f, k }) => figureBlock(f, k)).join("\n") : "<p>No topology figure in figures/ (a folder written before it existed, or run with --no-figures).</p>") +
    (r.sites ? `\n<details><summary>Sites (sites.csv)</summary>\n${csvTable("sites", r.sites)}\n</details>` : "") +
    `\n</section>`);
  sections.push(`<section id="figures"><h2>Figures</h2>\n` +
    (rest.length ? rest.map(({ f, k }) => figureBlock(f, k)).join("\n") : "<p>No figures in figures/ (run <code>twinedge plot</code> to draw them).</p>") +
    `\n</section>`);
  sections.push(`<section id="summary"><h2>Summary (summary.csv)</h2>\n<p>Mean over seeds per point, policy and metric, with the 95 % Student-t interval. Click a column to sort.</p>\n${csvTable("summary", r.summary)}\n</section>`);
  sections.push(`<section id="paired"><h2>Paired differences (paired.csv)</h2>\n<p>Seed-by-seed differences policy − reference. Click a column to sort.</p>\n${csvTable("paired", r.paired)}\n</section>`);
  sections.push(`<section id="scenario"><h2>Scenario (scenario.json)</h2>\n<pre data-scenario>${escapeHtml(JSON.stringify(r.scenario, null, 2))}</pre>\n</section>`);
  const nav = [["provenance", "Provenance"], ["topology", "Topology"], ["figures", "Figures"], ["summary", "Summary"], ["paired", "Paired"], ["scenario", "Scenario"]]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`).join(" ");
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${reportPolicy()}">\n` +
    `<title>twinedge report: ${escapeHtml(name)}</title>\n<style>${REPORT_STYLE}</style>\n</head>\n<body>\n` +
    `<header><h1>twinedge report: <span data-scenario-name>${escapeHtml(name)}</span></h1>\n` +
    (description ? `<p>${escapeHtml(description)}</p>\n` : "") +
    `<nav>${nav}</nav></header>\n<main>\n${sections.join("\n")}\n</main>\n<script>${REPORT_SCRIPT}</script>\n</body>\n</html>\n`;
}

/**
 * Writes `dir`/report.html (atomically) and returns its path. A missing folder, a missing
 * required file (scenario.json, manifest.json, summary.csv, paired.csv), a CSV file that is
 * not the table twinedge writes (malformed, binary, no or another header, a row of another
 * width) or a figure refused by refusedSvg is an InputError naming it, and nothing is written. The caller holds the
 * folder's lock (run does; `twinedge report` takes it).
 */
export function writeReport(dir: string): string {
  const html = reportHtml(readFolder(dir));
  const path = join(dir, REPORT_FILE);
  writeFileAtomic(path, html);
  return path;
}

/** `twinedge report DIR`: writeReport under the folder's lock (a folder being written by a run is refused, naming the writer). */
export function reportResultDir(dir: string): string {
  readFolder(dir);
  const lock = FolderLock.acquire(dir);
  try {
    return writeReport(dir);
  } finally {
    lock.release();
  }
}
