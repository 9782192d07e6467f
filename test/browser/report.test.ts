// The report page in a real browser (Debian's Chromium through playwright-core): `twinedge run
// --report` on a small scenario, then report.html opened from disk with no server and every
// network request refused. It must load with no console error and show every figure the
// folder's figures/ holds as a decoded image with a rendered box; the screenshot is kept in
// test-output/. Then the adversary's planted figures (report-hostile.fixture.ts): the page
// must not navigate, request anything, open a dialog or hold a form, even when they are clicked.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { chromiumPath, OUT } from "./chromium.js";
import { HOSTILE_SVGS } from "../report-hostile.fixture.js";


const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd: ROOT });

describe("report.html in Chromium", () => {
  let out = "";
  it("opens offline with no console error and shows every figure of the folder", async () => {
    mkdirSync(OUT, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), "twinedge-report-browser-"));
    const scenario = join(dir, "s.json");
    writeFileSync(scenario, JSON.stringify({
      name: "report-browser", seeds: 2, policies: ["local", "greedy", "nearest"], slots: 30, warmupSlots: 5,
      users: { perSite: 5 }, sweep: { "users.perSite": [5, 10] },
    }));
    out = join(dir, "out");
    const r = twinedge(["run", scenario, "--out", out, "--report", "--quiet"]);
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
      // Every image decoded (a broken one has naturalWidth 0) before the boxes are measured.
      await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 30_000 });
      const shown = await page.$$eval("[data-figure]", (els) => els.map((e) => {
        const img = e.querySelector("img");
        const box = img?.getBoundingClientRect();
        return { name: e.getAttribute("data-figure"), images: e.querySelectorAll("img").length, natural: img?.naturalWidth ?? 0, width: box?.width ?? 0, height: box?.height ?? 0 };
      }));
      expect(shown.map((f) => f.name).sort()).toEqual(figures);
      for (const f of shown) {
        expect(f.images, f.name!).toBe(1);
        expect(f.natural, f.name!).toBeGreaterThan(50);
        expect(f.width, f.name!).toBeGreaterThan(50);
        expect(f.height, f.name!).toBeGreaterThan(50);
      }
      expect(await page.$$eval("svg", (els) => els.length)).toBe(0);
      // The figure's own embedded font draws its text in the image: under a family name no system
      // font has, the figure differs from the same SVG without its @font-face (drawn in a fallback).
      const differing = await page.evaluate(async () => {
        const src = document.querySelector<HTMLImageElement>('figure[data-figure="topology"] img')!.src;
        const svg = atob(src.slice(src.indexOf(",") + 1));
        const family = /@font-face\{font-family:"([^"]+)"/.exec(svg)![1];
        const own = svg.split(`"${family}"`).join('"twinedge probe"');
        const draw = async (text: string) => {
          const img = new Image();
          img.src = `data:image/svg+xml;base64,${btoa(text)}`;
          await img.decode();
          const c = document.createElement("canvas");
          [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
          const g = c.getContext("2d")!;
          g.drawImage(img, 0, 0);
          return g.getImageData(0, 0, c.width, c.height).data;
        };
        const [a, b] = [await draw(own), await draw(own.replace(/@font-face\{[^}]*\}/g, ""))];
        let n = 0;
        for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) n++;
        return n;
      });
      expect(differing).toBeGreaterThan(100);
      await page.screenshot({ path: join(OUT, "report.png") });
      await page.screenshot({ path: join(OUT, "report-full.png"), fullPage: true });
      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);

  it("is not made to navigate, fetch, open a dialog or hold a form by planted figures, even clicked", async () => {
    expect(out, "the first test's folder").not.toBe("");
    const planted = mkdtempSync(join(tmpdir(), "twinedge-report-hostile-"));
    cpSync(out, planted, { recursive: true });
    rmSync(join(planted, ".twinedge.lock"), { force: true });
    const names = Object.keys(HOSTILE_SVGS).map((name) => `zz-${name}`);
    Object.entries(HOSTILE_SVGS).forEach(([name, svg]) => writeFileSync(join(planted, "figures", `zz-${name}.svg`), svg));
    // A figure the report refuses is taken out, and the rest shown.
    const refused: string[] = [];
    for (;;) {
      const r = twinedge(["report", planted]);
      if (r.status === 0) break;
      expect(r.status, r.stderr).toBe(2);
      const name = /figures\/(zz-[a-z-]+)\.svg/.exec(r.stderr)?.[1];
      expect(name, r.stderr).toBeDefined();
      refused.push(name!);
      rmSync(join(planted, "figures", `${name}.svg`));
    }
    expect(refused.length).toBeLessThan(3);
    const url = pathToFileURL(join(planted, "report.html")).href;
    const browser = await chromium.launch({ executablePath: chromiumPath() });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const events: string[] = [];
      page.on("dialog", (d) => { events.push(`dialog ${d.message()}`); void d.dismiss(); });
      page.on("popup", (p) => events.push(`popup ${p.url()}`));
      page.on("framenavigated", (f) => { if (f.url() !== url) events.push(`navigated to ${f.url()}`); });
      page.on("request", (q) => { if (q.url() !== url && !q.url().startsWith("data:")) events.push(`request ${q.url()}`); });
      await page.route("**/*", (route) => (route.request().url() === url || route.request().url().startsWith("data:") ? route.continue() : route.abort()));
      await page.goto(url);
      await page.waitForTimeout(1500);
      expect(events, "on opening").toEqual([]);
      const shown = names.filter((n) => !refused.includes(n));
      for (const name of shown) {
        const img = page.locator(`figure[data-figure="${name}"] img`);
        expect(await img.count(), name).toBe(1);
        await img.click({ position: { x: 10, y: 15 } }).catch((e: Error) => events.push(`click ${name}: ${e.message.slice(0, 80)}`));
      }
      await page.waitForTimeout(1000);
      const state = await page.evaluate(() => ({
        url: location.href, forms: document.forms.length, inputs: document.querySelectorAll("input, button, textarea, select").length,
        base: document.querySelectorAll("base").length, refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
        svg: document.querySelectorAll("svg").length, links: [...document.links].map((a) => a.getAttribute("href")).filter((h) => !/^(#|figures\/)/.test(h ?? "")),
      }));
      expect(state).toEqual({ url, forms: 0, inputs: 0, base: 0, refresh: 0, svg: 0, links: [] });
      expect(events).toEqual([]);
      await page.locator('figure[data-figure="zz-unquoted-link"]').screenshot({ path: join(OUT, "report-hostile-figure.png") });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
