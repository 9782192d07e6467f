// What a trial's process loads: a run without figures, and a sweep's worker module, must not
// load the figure stack (vega, vega-lite, resvg, pdfkit, fontkit), the X.509 library (auth is
// off) or, on one thread, the thread pool: they cost seconds of start-up on every run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const dir = mkdtempSync(join(tmpdir(), "twinedge-startup-"));
/** A module hook that prints every package a process loads, one `LOADED <name>` line each, on stderr. */
const hooks = `export async function resolve(s, c, next) {
  const r = await next(s, c);
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
  if (m) process.stderr.write("LOADED " + m[1] + "\\n");
  return r;
}`;
writeFileSync(join(dir, "hooks.mjs"), hooks);
writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});`);
const scenarioPath = join(dir, "tiny.json");
writeFileSync(scenarioPath, JSON.stringify({ name: "tiny", seeds: [1, 2], policies: ["nearest"], slots: 5, sites: { count: 2 }, users: { perSite: 2 } }));

const HEAVY = ["vega", "vega-lite", "@resvg/resvg-js", "pdfkit", "fontkit", "svg-to-pdfkit", "@peculiar/x509"];

/** The packages a node process loads with these arguments (after the hook). */
function packagesLoaded(args: string[]): { status: number | null; packages: Set<string>; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "register.mjs")).href, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const packages = new Set([...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]));
  return { status: r.status, packages, stderr: r.stderr };
}

describe("start-up imports", { timeout: 120_000 }, () => {
  it("the hook sees packages (the check is not vacuous)", () => {
    const r = packagesLoaded(["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", "results", "figures", "index.js")).href)})`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages.has("vega")).toBe(true);
  });

  it("twinedge run --no-figures --threads 1 loads no figure, X.509 or thread-pool package", () => {
    const r = packagesLoaded([join(ROOT, "bin", "twinedge.js"), "run", scenarioPath, "--out", join(dir, "out"), "--no-figures", "--threads", "1", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages.has("zod")).toBe(true);
    expect([...r.packages].filter((p) => HEAVY.includes(p) || p === "piscina")).toEqual([]);
  });

  it("a sweep's worker module loads no figure, X.509 or command-line package", () => {
    const worker = pathToFileURL(join(ROOT, "dist", "src", "sweep", "worker.js")).href;
    const r = packagesLoaded(["--input-type=module", "-e", `await import(${JSON.stringify(worker)})`]);
    expect(r.status, r.stderr).toBe(0);
    expect([...r.packages].filter((p) => HEAVY.includes(p) || p === "commander")).toEqual([]);
  });
});
