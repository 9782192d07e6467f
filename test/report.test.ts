// report.html: every figure of figures/ inlined in an element of its own, the tables equal to
// summary.csv and paired.csv cell for cell, the provenance and scenario shown, hostile strings
// from the folder escaped, nothing from outside the page, the same bytes twice, and a folder
// that lacks a file refused with exit 2 and nothing written.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { parseCsv } from "../src/results/csv.js";
import { escapeHtml } from "../src/results/report/html.js";
import { writeReport } from "../src/results/report/index.js";
import { plotResultDir } from "../src/sweep/plot.js";
import { runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd: ROOT });

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'"`;

/** The cells (data-value) of the rows of table data-table=`name`, header first. */
function tableOf(html: string, name: string): string[][] {
  const at = html.indexOf(`data-table="${name}"`);
  expect(at, `table ${name}`).toBeGreaterThan(0);
  const table = html.slice(at, html.indexOf("</table>", at));
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const header = [...table.matchAll(/<th data-col="\d+" title="sort">([^<]*)<\/th>/g)].map((m) => unescape(m[1]));
  const rows = [...table.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/data-value="([^"]*)"/g)].map((c) => unescape(c[1])));
  return [header, ...rows];
}

describe("report.html", () => {
  let dir = "";
  let html = "";
  let scn = "";
  beforeAll(async () => {
    scn = join(tmp("report-scn"), "s.json");
    writeFileSync(scn, JSON.stringify({
      name: "rep", description: HOSTILE, slots: 8, seeds: [1, 2], policies: ["local", "greedy"], sites: { count: 4 }, users: { perSite: 4 },
      sweep: { "users.perSite": [2, 4, 6] },
    }));
    dir = tmp("report");
    await runSweep(scn, { out: dir, backend: "js", threads: 1, progress: false, report: true });
    html = readFileSync(join(dir, "report.html"), "utf8");
  }, 300_000);

  it("shows every figure of figures/ inline, each in an element data-figure=<name>", () => {
    const svgs = readdirSync(join(dir, "figures")).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4)).sort();
    expect(svgs).toContain("topology");
    expect(svgs.length).toBeGreaterThan(10);
    const shown = [...html.matchAll(/<figure data-figure="([^"]*)"/g)].map((m) => m[1]);
    expect([...shown].sort()).toEqual(svgs);
    // Each figure holds its SVG, not a link to it.
    for (const name of svgs) {
      const at = html.indexOf(`<figure data-figure="${name}"`);
      expect(html.slice(at, html.indexOf("</figure>", at))).toMatch(/<svg\b[\s\S]*<\/svg>/);
    }
    // The topology figure sits in its own section, first.
    expect(html.indexOf('data-figure="topology"')).toBeLessThan(html.indexOf('<section id="figures"'));
    expect(html.indexOf('data-figure="topology"')).toBeGreaterThan(html.indexOf('<section id="topology"'));
  });

  it("has the summary, paired and sites tables cell for cell as the CSV files", () => {
    for (const [name, file] of [["summary", "summary.csv"], ["paired", "paired.csv"], ["sites", "sites.csv"]]) {
      expect(tableOf(html, name), name).toEqual(parseCsv(readFileSync(join(dir, file), "utf8")));
    }
  });

  it("shows the provenance and the scenario", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    for (const key of ["codeHash", "configHash", "gitCommit", "startedAt", "backend"]) {
      expect(html, key).toContain(`<tr><th>${key}</th><td>${escapeHtml(String(manifest[key]))}</td></tr>`);
    }
    expect(html).toContain(`node ${process.version}`);
    expect(html).toContain(escapeHtml(manifest.command.join(" ")));
    expect(html).toContain(`<tr><th>seeds</th><td>1 2</td></tr>`);
    expect(html).toContain(escapeHtml(JSON.stringify(JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8")), null, 2)));
  });

  it("escapes hostile strings from the folder (description, a planted scenario name and policy name) and runs no script but its own", () => {
    expect(html).toContain(escapeHtml(HOSTILE));
    const planted = tmp("report-hostile");
    cpSync(dir, planted, { recursive: true });
    rmSync(join(planted, ".twinedge.lock"), { force: true });
    const scenario = JSON.parse(readFileSync(join(planted, "scenario.json"), "utf8"));
    writeFileSync(join(planted, "scenario.json"), JSON.stringify({ ...scenario, name: HOSTILE }));
    writeFileSync(join(planted, "summary.csv"), readFileSync(join(planted, "summary.csv"), "utf8").replace(/,greedy,/g, `,"${HOSTILE.replace(/"/g, '""')}",`));
    writeReport(planted);
    const page = readFileSync(join(planted, "report.html"), "utf8");
    expect(page).toContain(`<title>twinedge report: ${escapeHtml(HOSTILE)}</title>`);
    expect(tableOf(page, "summary").some((r) => r.includes(HOSTILE))).toBe(true);
    for (const p of [page, html]) {
      expect(p.includes("<script>alert")).toBe(false);
      expect(p.includes("<img")).toBe(false);
      expect(p.match(/<script\b/g)).toHaveLength(1);
      // No event handler attribute on any element (attribute values emptied first: text inside them is no attribute).
      expect(/<[a-z][^>]*\son[a-z]+=/i.test(p.replace(/="[^"]*"/g, '=""'))).toBe(false);
    }
  });

  it("refers to nothing outside the page but the folder's own files", () => {
    // No element loads anything: no src attribute in any tag (the escaped description only says "src=" as text).
    expect(/<[a-z][^>]*\ssrc=/i.test(html.replace(/="[^"]*"/g, '=""'))).toBe(false);
    for (const m of html.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^(#|figures\/)/);
    for (const m of html.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^(#|data:)/);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  it("is the same bytes when written twice; plot and a resumed run rewrite a report.html they find", async () => {
    const before = readFileSync(join(dir, "report.html"));
    writeReport(dir);
    expect(readFileSync(join(dir, "report.html")).equals(before)).toBe(true);
    const files = await plotResultDir(dir);
    expect(files).toContain(join(dir, "report.html"));
    expect(readFileSync(join(dir, "report.html")).equals(before)).toBe(true);
    // A run resuming the folder (without --report) rewrites it too: its manifest is new, and so is the page.
    await runSweep(scn, { out: dir, backend: "js", threads: 1, progress: false });
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.trials.reused).toBe(12);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain(`<tr><th>startedAt</th><td>${manifest.startedAt}</td></tr>`);
  }, 120_000);

  it("refuses a folder without a required file, or a figure with a script, naming it, with exit 2 and nothing written", () => {
    const broken = tmp("report-broken");
    cpSync(dir, broken, { recursive: true });
    rmSync(join(broken, ".twinedge.lock"), { force: true });
    rmSync(join(broken, "report.html"));
    rmSync(join(broken, "paired.csv"));
    let r = twinedge(["report", broken]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/missing paired\.csv/);
    expect(existsSync(join(broken, "report.html"))).toBe(false);

    cpSync(join(dir, "paired.csv"), join(broken, "paired.csv"));
    const svg = join(broken, "figures", "topology.svg");
    writeFileSync(svg, readFileSync(svg, "utf8").replace("</svg>", "<script>alert(1)</script></svg>"));
    r = twinedge(["report", broken]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/figures\/topology\.svg: holds "<script"/);
    expect(existsSync(join(broken, "report.html"))).toBe(false);

    r = twinedge(["report", join(broken, "nothing-here")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no such folder/);
    expect(existsSync(join(broken, "nothing-here"))).toBe(false);

    rmSync(svg);
    r = twinedge(["report", broken]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(broken, "report.html"));
  }, 120_000);
});
