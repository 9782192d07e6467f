// report.html: every figure of figures/ as an image of its SVG file (a data: URL) in an element
// of its own, the tables equal to summary.csv and paired.csv cell for cell, the provenance and
// scenario shown, hostile strings from the folder escaped, no markup of a planted SVG in the
// page, nothing from outside the page, the same bytes twice, and a folder that lacks a file or
// holds a corrupt CSV refused with exit 2, naming it, and nothing written.
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
import { HOSTILE_SVGS } from "./report-hostile.fixture.js";
import { runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd: ROOT });

/** `page` with every data: URL's payload removed: what the HTML parser reads as markup. */
const markupOf = (page: string) => page.replace(/data:image\/svg\+xml;base64,[A-Za-z0-9+/=]*/g, "data:");

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

  it("shows every figure of figures/ as an image of its SVG file, each in an element data-figure=<name>", () => {
    const svgs = readdirSync(join(dir, "figures")).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4)).sort();
    expect(svgs).toContain("topology");
    expect(svgs.length).toBeGreaterThan(10);
    const shown = [...html.matchAll(/<figure data-figure="([^"]*)"/g)].map((m) => m[1]);
    expect([...shown].sort()).toEqual(svgs);
    // Each figure holds its SVG file, byte for byte, as the data: URL of one image; no SVG markup is in the page.
    for (const name of svgs) {
      const at = html.indexOf(`<figure data-figure="${name}"`);
      const block = html.slice(at, html.indexOf("</figure>", at));
      const images = [...block.matchAll(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]*)" alt="[^"]*">/g)];
      expect(images, name).toHaveLength(1);
      expect(Buffer.from(images[0][1], "base64").equals(readFileSync(join(dir, "figures", `${name}.svg`))), name).toBe(true);
    }
    expect(/<svg\b/i.test(html)).toBe(false);
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
      expect(p.includes("<img src=x")).toBe(false);
      // The only images are the figures, from data: URLs.
      for (const m of p.matchAll(/<img\b[^>]*>/g)) expect(m[0]).toMatch(/^<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]*" alt="[^"]*">$/);
      expect(p.match(/<script\b/g)).toHaveLength(1);
      // No event handler attribute on any element (attribute values emptied first: text inside them is no attribute).
      expect(/<[a-z][^>]*\son[a-z]+=/i.test(p.replace(/="[^"]*"/g, '=""'))).toBe(false);
    }
  });

  it("refers to nothing outside the page but the folder's own files", () => {
    // No element loads anything but a data: URL (the escaped description only says "src=" as text).
    for (const m of html.matchAll(/<[a-z][^>]*\ssrc="([^"]*)"/gi)) expect(m[1]).toMatch(/^data:image\/svg\+xml;base64,/);
    for (const m of html.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^(#|figures\/)/);
    expect(/url\(/.test(html)).toBe(false);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? "";
    for (const d of ["default-src 'none'", "img-src data:", "form-action 'none'", "base-uri 'none'"]) expect(csp).toContain(d);
    expect(html.match(/<meta\b/g)).toHaveLength(3);
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

  it("shows a planted hostile SVG only as an image (or refuses it): none of its markup reaches the page", () => {
    const planted = tmp("report-svg");
    cpSync(dir, planted, { recursive: true });
    rmSync(join(planted, ".twinedge.lock"), { force: true });
    const shownAsImage: string[] = [];
    for (const [name, svg] of Object.entries(HOSTILE_SVGS)) {
      writeFileSync(join(planted, "figures", "zz-evil.svg"), svg);
      rmSync(join(planted, "report.html"), { force: true });
      try {
        writeReport(planted);
      } catch (e) {
        expect((e as Error).message, name).toMatch(/figures\/zz-evil\.svg: (holds|not an SVG)/);
        expect(existsSync(join(planted, "report.html")), name).toBe(false);
        continue;
      }
      shownAsImage.push(name);
      const page = readFileSync(join(planted, "report.html"), "utf8");
      const at = page.indexOf('<figure data-figure="zz-evil"');
      expect(page.slice(at, page.indexOf("</figure>", at)), name).toContain(`<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"`);
      const markup = markupOf(page);
      for (const bad of ["evil.example", "127.0.0.1", "<form", "<base", "refresh", "<svg", "<a href=http", "<animate", "onload"]) expect(markup.includes(bad), `${name}: ${bad}`).toBe(false);
    }
    // The image is what keeps these harmless, not a pattern list: the links, meta, base, animation, form and CSS pass it.
    expect(shownAsImage).toEqual(expect.arrayContaining(["unquoted-link", "meta-refresh", "base", "animate-href", "form", "css-url", "xlink"]));
  });

  it("refuses a corrupt summary.csv, paired.csv or sites.csv (exit 2, naming the file and the problem), and writes nothing", () => {
    const summary = readFileSync(join(dir, "summary.csv"), "utf8");
    const paired = readFileSync(join(dir, "paired.csv"), "utf8");
    const sites = readFileSync(join(dir, "sites.csv"), "utf8");
    const cases: [string, string | Buffer, RegExp][] = [
      ["summary.csv", `${summary}"unterminated,1\n`, /summary\.csv: line \d+: a quoted cell that never ends/],
      ["summary.csv", "", /summary\.csv: empty: no header row/],
      ["summary.csv", "a,b\n1,2\n", /summary\.csv: line 1: the header is "a,b", expected "users\.perSite,policy,metric,n,mean,sd,ci95Low,ci95High"/],
      ["summary.csv", summary.replace(/\n([^\n]*)\n/, "\n$1,extra\n"), /summary\.csv: line 2: 9 cell\(s\), the header has 8/],
      ["summary.csv", summary.replace(/\n[^\n]*\n/, "\n\n"), /summary\.csv: line 2: 1 cell\(s\), the header has 8/],
      ["summary.csv", summary.replace(",local,", ',lo"cal,'), /summary\.csv: line 2: a quote inside an unquoted cell/],
      ["paired.csv", Buffer.concat([Buffer.from([0, 0xff, 0xfe]), Buffer.from(" garbage\n")]), /paired\.csv: line 1: holds the control character U\+0000/],
      ["paired.csv", Buffer.concat([Buffer.from(paired), Buffer.from([0xc3, 0x28, 0x0a])]), /paired\.csv: line \d+: holds bytes that are not UTF-8 text/],
      ["paired.csv", paired.replace(",local,", ",lo\u001bcal,"), /paired\.csv: line 2: holds the control character U\+001B/],
      ["sites.csv", sites.replace("layout,", "layout,extra,"), /sites\.csv: line 1: the header is/],
    ];
    const broken = tmp("report-csv");
    cpSync(dir, broken, { recursive: true });
    rmSync(join(broken, ".twinedge.lock"), { force: true });
    rmSync(join(broken, "report.html"));
    for (const [k, [file, text, why]] of cases.entries()) {
      writeFileSync(join(broken, file), text);
      // Through the CLI for the first cases (exit 2); the rest through writeReport (the same check).
      if (k < 3) {
        const r = twinedge(["report", broken]);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toMatch(why);
      } else expect(() => writeReport(broken), String(k)).toThrow(why);
      expect(existsSync(join(broken, "report.html")), String(k)).toBe(false);
      cpSync(join(dir, file), join(broken, file));
    }
    writeReport(broken);
    expect(readFileSync(join(broken, "report.html"), "utf8")).toBe(readFileSync(join(dir, "report.html"), "utf8"));
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
    writeFileSync(svg, "<html><body>not a figure</body></html>");
    r = twinedge(["report", broken]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/figures\/topology\.svg: not an SVG document/);
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
