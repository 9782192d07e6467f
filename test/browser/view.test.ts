// `twinedge view` in a real browser: Debian's Chromium (not a test tool's download), driven by
// playwright-core. The page must load without a console error, step and run the simulation,
// give a whole trial byte for byte as `twinedge run` writes it, refuse bad input naming the
// field, and keep the target at paper scale (750 users: >= 30 frames/s drawn while
// >= 10 slots/s simulated). Screenshots and the measured pace go to test-output/browser/.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { chromiumPath, OUT } from "./chromium.js";


const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd: ROOT });

interface PageState {
  ready: boolean; worldLoaded: boolean; slot: number; slotsPerSecond: number; fps: number; frames: number;
  errors: string; trialId: string; record: string; latest: Record<string, (number | null)[]>;
  ended: boolean; episode: number; siteCanvas: [number, number][]; trialScenario: string;
}
const state = (page: Page): Promise<PageState> => page.evaluate(() => (window as unknown as { twinedge: PageState }).twinedge);

let server: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
/** Console errors and uncaught exceptions of the page, all tests long. */
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = spawn(process.execPath, [join(ROOT, "bin", "twinedge.js"), "view", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  server.stderr!.on("data", (d) => (stderr += String(d)));
  url = await new Promise<string>((done, fail) => {
    let out = "";
    server.stdout!.on("data", (d) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) done(m[0]);
    });
    server.once("exit", (code) => fail(new Error(`twinedge view exited ${code}: ${stderr}`)));
  });
  browser = await chromium.launch({ executablePath: chromiumPath() });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { twinedge?: PageState }).twinedge?.worldLoaded, null, { timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

/** Builds the world of the shipped `file` with the given controls and waits for it. */
async function buildWorld(file: string, o: { usersPerSite?: number; seed?: number } = {}): Promise<void> {
  await page.click("#pause");
  // The users field outlives a change of scenario: cleared first, so a refused size of an earlier test does not carry over.
  await page.fill("#users", "");
  await page.selectOption("#scenario", `shipped:${file}`);
  await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.worldLoaded);
  await page.fill("#users", o.usersPerSite === undefined ? "" : String(o.usersPerSite));
  if (o.seed !== undefined) await page.fill("#seed", String(o.seed));
  await page.click("#apply");
  await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.worldLoaded, null, { timeout: 60_000 });
}

/** Drops a scenario file on the page (the file input), with the users-per-site control, and waits for its world or its error. */
async function dropWorld(path: string, usersPerSite?: number): Promise<PageState> {
  await page.click("#pause");
  await page.fill("#users", "");
  // The file is read asynchronously: the previous world's flags must not pass for the new one's.
  await page.evaluate(() => { const t = (window as unknown as { twinedge: PageState }).twinedge; t.worldLoaded = false; t.errors = ""; });
  await page.setInputFiles("#file", path);
  await page.waitForFunction(() => { const s = (window as unknown as { twinedge: PageState }).twinedge; return s.worldLoaded || s.errors !== ""; }, null, { timeout: 60_000 });
  if (usersPerSite !== undefined) {
    await page.fill("#users", String(usersPerSite));
    await page.click("#apply");
    await page.waitForFunction(() => { const s = (window as unknown as { twinedge: PageState }).twinedge; return s.worldLoaded || s.errors !== ""; }, null, { timeout: 60_000 });
  }
  return state(page);
}

/** A scenario file in a fresh folder: quick.json with `changes`. */
function quickWith(name: string, changes: Record<string, unknown>): string {
  const raw = JSON.parse(readFileSync(join(ROOT, "scenarios", "quick.json"), "utf8"));
  const path = join(mkdtempSync(join(tmpdir(), "twinedge-view-")), name);
  writeFileSync(path, JSON.stringify({ ...raw, $schema: undefined, ...changes }, null, 2));
  return path;
}

/** Runs the page's whole trial with the current controls and returns its id and the record text shown. */
async function wholeTrial(policy: string): Promise<{ id: string; shown: string }> {
  await page.selectOption("#trial-policy", policy);
  await page.click("#trial");
  await page.waitForFunction(() => { const s = (window as unknown as { twinedge: PageState }).twinedge; return s.record !== "" || s.errors !== ""; }, null, { timeout: 120_000 });
  const s = await state(page);
  expect(s.errors).toBe("");
  return { id: s.trialId, shown: (await page.textContent("#record")) ?? "" };
}

describe("twinedge view in Chromium", () => {
  it("loads without a console error, steps one slot at a time, and runs", async () => {
    await buildWorld("quick.json");
    const start = await state(page);
    expect(start.ready).toBe(true);
    expect(start.slot).toBe(-1);
    for (let k = 0; k < 3; k++) await page.click("#step");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.slot === 2);
    expect(await page.textContent("#slot")).toBe("3");
    await page.selectOption("#speed", "20");
    await page.click("#run");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.slot >= 40, null, { timeout: 30_000 });
    await page.click("#pause");
    const s = await state(page);
    // One line per policy of quick.json, and values a run of greedy cannot lack.
    expect(s.latest.latencyS).toHaveLength(4);
    const greedy = 3;
    expect(s.latest.latencyS[greedy]).toBeGreaterThan(0);
    expect(s.latest.offloadRatio[greedy]).toBeGreaterThan(0);
    expect(s.latest.offloadRatio[0]).toBe(0); // local never offloads
    await page.screenshot({ path: join(OUT, "view-quick.png") });
    expect(problems).toEqual([]);
  }, 120_000);

  it("runs a baseline trial whose record is byte-identical to trials/<id>.json from twinedge run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-"));
    // quick.json for one policy and one seed: the trial the page runs from the shipped quick.json with seed 2.
    const scenario = join(dir, "view-trial.json");
    const raw = JSON.parse(readFileSync(join(ROOT, "scenarios", "quick.json"), "utf8"));
    writeFileSync(scenario, JSON.stringify({ ...raw, $schema: undefined, seeds: [2], policies: ["greedy"] }, null, 2));
    const run = twinedge(["run", scenario, "--out", join(dir, "out"), "--no-figures", "--quiet", "--threads", "1"]);
    expect(run.status, run.stderr).toBe(0);

    // The same trial from the shipped scenario with the page's controls...
    await buildWorld("quick.json", { seed: 2 });
    const shipped = await wholeTrial("greedy");
    const file = join(dir, "out", "trials", `${shipped.id}.json`);
    expect(existsSync(file), `the page's trial ${shipped.id} is not among the CLI's`).toBe(true);
    const cli = readFileSync(file, "utf8");
    expect(shipped.shown).toBe(cli);
    // ...and from the very file given to the CLI, dropped on the page.
    await page.setInputFiles("#file", scenario);
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.worldLoaded);
    const dropped = await wholeTrial("greedy");
    expect(dropped.shown).toBe(cli);

    const record = JSON.parse(cli);
    expect(record).toMatchObject({ status: "ok", policy: "greedy", seed: 2, backend: "wasm", users: 150, sites: 15 });
    expect(record.wasmSha256).toBe(createHash("sha256").update(readFileSync(join(ROOT, "build", "kernels.wasm"))).digest("hex"));
    expect(record.metrics.tasks).toBeGreaterThan(0);
    writeFileSync(join(OUT, `trial-${shipped.id}.json`), shipped.shown);
    await page.screenshot({ path: join(OUT, "view-trial.png") });
    expect(problems).toEqual([]);
  }, 180_000);

  it("refuses a dropped scenario with a bad field, and one with authentication, naming the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-bad-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ users: { perSite: -3 }, slots: 10 }));
    await page.setInputFiles("#file", bad);
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.errors !== "");
    expect(await page.textContent("#errors")).toMatch(/^bad\.json: users\.perSite: /);
    const auth = join(dir, "auth.json");
    writeFileSync(auth, JSON.stringify({ slots: 10, auth: { mode: "crypto" } }));
    await page.setInputFiles("#file", auth);
    await page.waitForFunction(() => /auth\.mode/.test((window as unknown as { twinedge: PageState }).twinedge.errors));
    expect(await page.textContent("#errors")).toMatch(/^auth\.json: auth\.mode: "crypto": .*twinedge run/);
    expect(problems).toEqual([]);
  }, 60_000);

  it("gives a whole trial's own scenario JSON (controls changed, not rebuilt), on which twinedge run writes the same record", async () => {
    await buildWorld("quick.json");
    // The seed typed but Build world not pressed, and a policy that is not a live lane.
    await page.fill("#seed", "5");
    const trial = await wholeTrial("optimum");
    const link = await page.evaluate(async () => await (await fetch((document.getElementById("trial-scenario") as HTMLAnchorElement).href)).text());
    expect(link).toBe((await state(page)).trialScenario);
    const scenario = JSON.parse(link);
    expect(scenario).toMatchObject({ seeds: [5], policies: ["optimum"] });
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-trial-"));
    writeFileSync(join(dir, "its-scenario.json"), link);
    const run = twinedge(["run", join(dir, "its-scenario.json"), "--out", join(dir, "out"), "--no-figures", "--quiet", "--threads", "1"]);
    expect(run.status, run.stderr).toBe(0);
    const file = join(dir, "out", "trials", `${trial.id}.json`);
    expect(existsSync(file), `the page's trial ${trial.id} is not among the CLI's`).toBe(true);
    expect(trial.shown).toBe(readFileSync(file, "utf8"));
    expect(JSON.parse(trial.shown)).toMatchObject({ seed: 5, policy: "optimum" });
    // The long record wraps inside the sidebar instead of widening it.
    expect((await page.locator("aside").boundingBox())!.width).toBeLessThanOrEqual(321);
    // The live world's link still describes the live world (seed 1, its lanes).
    const liveLink = await page.evaluate(async () => await (await fetch((document.getElementById("scenario-download") as HTMLAnchorElement).href)).text());
    expect(JSON.parse(liveLink)).toMatchObject({ seeds: [1], policies: ["local", "random", "nearest", "greedy"] });
    expect(problems).toEqual([]);
  }, 180_000);

  it("refuses, at once and naming users per site, a world too large for the page (users x policies side by side)", async () => {
    await buildWorld("quick.json");
    await page.fill("#users", "100000");
    const t0 = Date.now();
    await page.click("#apply");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.errors !== "", null, { timeout: 10_000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    const s = await state(page);
    expect(s.errors).toMatch(/^scenarios\/quick\.json: users\.perSite \(Users per site\): 100000 users per site x 15 sites x 4 policies side by side = 6000000 simulated users, above the 20000 the browser view runs live .*at most 333 users per site here/);
    expect(s.errors).not.toMatch(/--max-memory-gib/);
    expect(s.worldLoaded).toBe(false);
    expect(await page.textContent("#status")).toMatch(/^no world: /);
    expect(await page.isHidden("#scenario-download")).toBe(true);
    // 333 users per site x 15 sites x 4 lanes = 19 980: admitted.
    await page.fill("#users", "333");
    await page.click("#apply");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.worldLoaded, null, { timeout: 60_000 });
    expect((await state(page)).errors).toBe("");
    // A whole trial is one simulation: checked with its one lane.
    await page.fill("#users", "2000");
    await page.selectOption("#trial-policy", "greedy");
    await page.click("#trial");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.errors !== "", null, { timeout: 10_000 });
    expect((await state(page)).errors).toMatch(/users\.perSite \(Users per site\): 2000 users per site x 15 sites = 30000 simulated users, above the 20000 the browser view runs as a whole trial/);
    expect(await page.textContent("#trial-status")).toMatch(/users\.perSite/);
    expect(problems).toEqual([]);
  }, 120_000);

  it("refuses an empty seed naming it, and shows sweep points by their values", async () => {
    await buildWorld("quick.json");
    await page.fill("#seed", "");
    await page.click("#apply");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.errors !== "");
    expect((await state(page)).errors).toMatch(/^scenarios\/quick\.json: seed \(Seed\): expected a whole number 0 or more, got an empty field/);
    expect((await state(page)).worldLoaded).toBe(false);
    await page.selectOption("#scenario", "shipped:mobility-migration.json");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.worldLoaded, null, { timeout: 60_000 });
    const labels = await page.$$eval("#point option", (os) => os.map((o) => o.textContent));
    expect(labels.length).toBeGreaterThan(1);
    for (const l of labels) expect(l).toMatch(/^migration\.mode=\w+$/);
    expect(problems).toEqual([]);
  }, 60_000);

  it("draws y up, as sites.csv and the topology figure, with a site outside the area on the map", async () => {
    const sites = { count: 3, placement: "explicit", positions: [{ xM: 100, yM: 50 }, { xM: 100, yM: 450 }, { xM: 800, yM: 250 }] };
    const s = await dropWorld(quickWith("explicit.json", { area: { widthM: 500, heightM: 500 }, sites }));
    expect(s.errors).toBe("");
    const [low, high, outside] = s.siteCanvas;
    expect(high[1]).toBeLessThan(low[1]); // a larger y is drawn higher
    expect(high[0]).toBeCloseTo(low[0], 6);
    for (const [x, y] of s.siteCanvas) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(640);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(640);
    }
    expect(outside[0]).toBeGreaterThan(low[0]);
    // The site at x = 800 is dark (its square) where the canvas draws it.
    const dark = await page.evaluate(([x, y]) => {
      const d = (document.getElementById("map") as HTMLCanvasElement).getContext("2d")!.getImageData(Math.round(x), Math.round(y), 1, 1).data;
      return d[0] + d[1] + d[2] < 200;
    }, outside);
    expect(dark).toBe(true);
    await page.screenshot({ path: join(OUT, "view-explicit-sites.png") });
    expect(problems).toEqual([]);
  }, 60_000);

  it("after a refused scenario shows no world of the previous one, and sets the error for a file that is not JSON", async () => {
    await buildWorld("quick.json");
    expect((await state(page)).worldLoaded).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-refused-"));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    await page.setInputFiles("#file", join(dir, "broken.json"));
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.errors !== "");
    let s = await state(page);
    expect(s.errors).toMatch(/^broken\.json: not valid JSON/);
    expect(s.worldLoaded).toBe(false);
    expect(await page.$eval("#scenario", (e) => (e as HTMLSelectElement).selectedOptions[0].textContent)).toMatch(/^broken\.json/);
    expect(await page.textContent("#status")).toMatch(/^no world: broken\.json refused/);
    expect(await page.isHidden("#scenario-download")).toBe(true);
    // Step does nothing without a world.
    await page.click("#step");
    await page.waitForTimeout(300);
    expect((await state(page)).slot).toBe(-1);
    await buildWorld("quick.json");
    await page.selectOption("#scenario", "shipped:auth-trust.json");
    await page.waitForFunction(() => /auth\.mode/.test((window as unknown as { twinedge: PageState }).twinedge.errors));
    s = await state(page);
    expect(s.worldLoaded).toBe(false);
    expect(await page.textContent("#status")).toMatch(/^no world: scenarios\/auth-trust\.json refused/);
    expect(await page.isHidden("#scenario-download")).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it("stops the live run at the scenario's slots, and Run starts the next episode", async () => {
    await buildWorld("quick.json"); // 60 slots
    await page.selectOption("#speed", "0"); // a change of speed runs too
    await page.click("#run");
    await page.waitForFunction(() => (window as unknown as { twinedge: PageState }).twinedge.ended, null, { timeout: 30_000 });
    await page.waitForTimeout(500);
    let s = await state(page);
    expect(s.slot).toBe(59);
    expect(s.ended).toBe(true); // still: no slot ran past the end
    const episode = s.episode;
    expect(await page.textContent("#notice")).toMatch(new RegExp(`^Live episode ${episode} ended at the scenario's 60 slots`));
    await page.click("#run");
    await page.waitForFunction((e) => { const t = (window as unknown as { twinedge: PageState }).twinedge; return t.episode === e + 1 && t.ended; }, episode, { timeout: 30_000 });
    s = await state(page);
    expect(s.slot).toBe(59);
    expect(s.latest.latencyS[3]).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 60_000);

  it("at paper scale (750 users) draws >= 30 frames/s while simulating >= 10 slots/s", async () => {
    // quick.json's 15 sites x 50 users per site, its four baselines side by side, long enough not to end while measured.
    await dropWorld(quickWith("quick-long.json", { slots: 100_000 }), 50);
    expect(await page.textContent("#status")).toMatch(/750 users, 15 sites/);
    /** Frames drawn and slots simulated per second over `ms`, after a second to settle. */
    const measure = async (speed: string, ms: number) => {
      await page.selectOption("#speed", speed);
      await page.click("#run");
      await page.waitForTimeout(1000);
      const a = await state(page), t0 = Date.now();
      await page.waitForTimeout(ms);
      const b = await state(page), seconds = (Date.now() - t0) / 1000;
      return { seconds, fps: (b.frames - a.frames) / seconds, slotsPerSecond: (b.slot - a.slot) / seconds };
    };
    // The target's operating point: paced at 20 slots/s, twice the 10 asked for.
    const paced = await measure("20", 5000);
    await page.screenshot({ path: join(OUT, "view-750-users.png") });
    // And the simulator's own ceiling, as fast as it goes (all lanes of a slot count as one slot).
    const flat = await measure("0", 3000);
    await page.click("#pause");
    const measured = { users: 750, lanes: 4, paced20: paced, asFastAsItGoes: flat, chromium: browser.version() };
    writeFileSync(join(OUT, "pace.json"), `${JSON.stringify(measured, null, 2)}\n`);
    console.log(`view at 750 users, 4 policies: paced ${paced.fps.toFixed(1)} frames/s at ${paced.slotsPerSecond.toFixed(1)} slots/s; `
      + `as fast as it goes ${flat.slotsPerSecond.toFixed(0)} slots/s at ${flat.fps.toFixed(1)} frames/s`);
    expect(paced.fps).toBeGreaterThanOrEqual(30);
    expect(paced.slotsPerSecond).toBeGreaterThanOrEqual(10);
    expect(flat.slotsPerSecond).toBeGreaterThanOrEqual(10);
    expect(problems).toEqual([]);
  }, 120_000);
});
