// A result folder with a plug-in policy merges and plots like any other: shards merge into the
// unsharded folder's summary and paired differences, and the figures name the plug-in.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { mergeResults } from "../src/sweep/merge.js";
import { plotResultDir } from "../src/sweep/plot.js";
import { runSweep } from "../src/sweep/run-sweep.js";

it("shards of a scenario with a plug-in merge into the whole run's results, and plot", async () => {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-results-"));
  writeFileSync(join(dir, "half.mjs"), "export default (ctx) => ({ act(obs, out) { for (let i = 0; i < obs.users; i++) if (obs.active[i]) { out.theta[i] = 0.5; } } });\n");
  writeFileSync(join(dir, "s.json"), JSON.stringify({
    slots: 10, seeds: [1, 2], sites: { count: 3 }, sweep: { "users.perSite": [2, 4] },
    policies: ["local", { name: "half", module: "./half.mjs" }], reference: "half",
  }));
  const run = (out: string, shard?: { index: number; count: number }) =>
    runSweep(join(dir, "s.json"), { out: join(dir, out), backend: "js", threads: 1, shard, progress: false, figures: false });
  await run("whole");
  await run("s0", { index: 0, count: 2 });
  await run("s1", { index: 1, count: 2 });
  const merged = mergeResults(join(dir, "merged"), [join(dir, "s0"), join(dir, "s1")], () => {});
  expect([merged.failed, merged.records.length]).toEqual([0, 8]);
  for (const f of ["summary.csv", "paired.csv"]) expect(readFileSync(join(dir, "merged", f), "utf8"), f).toBe(readFileSync(join(dir, "whole", f), "utf8"));
  expect(readFileSync(join(dir, "merged", "paired.csv"), "utf8")).toMatch(/^2,local,half,latencyS,2,/m);

  const files = await plotResultDir(join(dir, "whole"), {}, () => {});
  expect(files.length).toBeGreaterThan(0);
  expect(readdirSync(join(dir, "whole", "figures"))).toContain("latencyS-vs-users.perSite-diff-half.svg");
  expect(readFileSync(join(dir, "whole", "figures", "latencyS-vs-users.perSite.data.csv"), "utf8")).toMatch(/^2,half,latencyS,2,/m);
});
