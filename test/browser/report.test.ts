// The report page in a real browser (Debian's Chromium through playwright-core): `twinedge run
// --report` on a small scenario, then report.html opened from disk with no server and every
// network request refused. It must load with no console error and show every figure the
// folder's figures/ holds, rendered (a non-empty box); the screenshot is kept in test-output/.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";

const OUT = join(ROOT, "test-output", "browser");

/** The system's Chromium: $CHROMIUM, else `which chromium`, else Debian's path. */
function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  const which = spawnSync("which", ["chromium"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : "/usr/bin/chromium";
}

describe("report.html in Chromium", () => {
  it("opens offline with no console error and shows every figure of the folder", async () => {
    mkdirSync(OUT, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), "twinedge-report-browser-"));
    const scenario = join(dir, "s.json");
    writeFileSync(scenario, JSON.stringify({
      name: "report-browser", seeds: 2, policies: ["local", "greedy", "nearest"], slots: 30, warmupSlots: 5,
      users: { perSite: 5 }, sweep: { "users.perSite": [5, 10] },
    }));
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", scenario, "--out", out, "--report", "--quiet"], { encoding: "utf8", cwd: ROOT });
    expect(r.status, r.stderr).toBe(0);
    const figures = readdirSync(join(out, "figures")).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4)).sort();
    expect(figures).toContain("topology");
    expect(figures.length).toBeGreaterThan(3);

    const browser = await chromium.launch({ executablePath: chromiumPath() });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      // Offline: any request other than the file itself is a failure.
      const requests: string[] = [];
      await page.route("**/*", (route) => {
        const u = route.request().url();
        if (u === pathToFileURL(join(out, "report.html")).href) return route.continue();
        requests.push(u);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(out, "report.html")).href);
      const shown = await page.$$eval("[data-figure]", (els) => els.map((e) => {
        const box = e.querySelector("svg")?.getBoundingClientRect();
        return { name: e.getAttribute("data-figure"), width: box?.width ?? 0, height: box?.height ?? 0 };
      }));
      expect(shown.map((f) => f.name).sort()).toEqual(figures);
      for (const f of shown) {
        expect(f.width, f.name!).toBeGreaterThan(50);
        expect(f.height, f.name!).toBeGreaterThan(50);
      }
      await page.screenshot({ path: join(OUT, "report.png") });
      await page.screenshot({ path: join(OUT, "report-full.png"), fullPage: true });
      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
