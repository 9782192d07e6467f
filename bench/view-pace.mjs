// How fast the live view draws and simulates as the world grows (docs/view.md "How large a
// world"): starts `twinedge view`, drops quick.json (15 sites) with a long episode on the page in
// Debian's Chromium, and for each users-per-site value measures frames/s and slots/s over 4 s,
// paced at 20 slots/s and then as fast as it goes. Needs `npm run build`.
//
//   node bench/view-pace.mjs 333 1000 2000            # quick.json's 4 policies side by side
//   node bench/view-pace.mjs 1333 2000 --one-lane      # greedy alone
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const oneLane = args.includes("--one-lane");
const sizes = args.filter((a) => a !== "--one-lane");
if (sizes.length === 0 || sizes.some((s) => !/^\d+$/.test(s))) {
  console.error("usage: node bench/view-pace.mjs USERS_PER_SITE... [--one-lane]");
  process.exit(2);
}

// quick.json with an episode long enough never to end during a measurement.
const dir = mkdtempSync(join(tmpdir(), "twinedge-view-pace-"));
const scenario = join(dir, "quick-long.json");
const quick = JSON.parse(readFileSync(join(ROOT, "scenarios", "quick.json"), "utf8"));
writeFileSync(scenario, JSON.stringify({ ...quick, $schema: undefined, slots: 100000 }));

const server = spawn(process.execPath, [join(ROOT, "bin", "twinedge.js"), "view", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((done, fail) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += String(d);
    const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
    if (m) done(m[0]);
  });
  server.once("exit", (code) => fail(new Error(`twinedge view exited ${code}`)));
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  const state = () => page.evaluate(() => window.twinedge);
  await page.goto(url);
  await page.waitForFunction(() => window.twinedge?.worldLoaded, null, { timeout: 60_000 });
  await page.setInputFiles("#file", scenario);
  await page.waitForFunction(() => window.twinedge.worldLoaded, null, { timeout: 60_000 });
  if (oneLane) for (const box of await page.$$("#policies input:checked")) if ((await box.getAttribute("value")) !== "greedy") await box.uncheck();
  for (const users of sizes) {
    await page.click("#pause");
    await page.fill("#users", users);
    await page.click("#apply");
    await page.waitForFunction(() => window.twinedge.worldLoaded || window.twinedge.errors, null, { timeout: 120_000 });
    const built = await state();
    if (built.errors) {
      console.log(JSON.stringify({ usersPerSite: Number(users), refused: built.errors }));
      continue;
    }
    const out = { usersPerSite: Number(users), lanes: oneLane ? 1 : quick.policies.length };
    for (const [speed, name] of [["20", "paced20"], ["0", "asFastAsItGoes"]]) {
      await page.selectOption("#speed", speed);
      await page.click("#run");
      await page.waitForTimeout(1000);
      const a = await state(), t0 = Date.now();
      await page.waitForTimeout(4000);
      const b = await state(), seconds = (Date.now() - t0) / 1000;
      out[name] = { framesPerS: +((b.frames - a.frames) / seconds).toFixed(1), slotsPerS: +((b.slot - a.slot) / seconds).toFixed(1) };
    }
    console.log(JSON.stringify(out));
  }
} finally {
  await browser.close();
  server.kill();
}
