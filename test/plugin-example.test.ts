// examples/custom-policy runs, with a smaller budget, so it cannot rot: its TypeScript plug-in
// loads (transpiled), runs beside the built-ins under both of its option sets, and does what
// its README says (offloads, and beats computing everything locally).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { loadScenario } from "../src/sweep/load.js";
import { checkPlugins } from "../src/sweep/plugins.js";
import { runSweep } from "../src/sweep/run-sweep.js";

const EXAMPLE = join(ROOT, "examples", "custom-policy");

it("examples/custom-policy: the least-loaded plug-in beside the built-ins", async () => {
  // The example as shipped loads, its module with it.
  const shipped = loadScenario(join(EXAMPLE, "scenario.json"));
  await checkPlugins(shipped.scenario.policies, shipped.baseDir, "scenario.json");
  expect(shipped.scenario.policies.filter((p) => typeof p !== "string")).toHaveLength(2);

  const dir = mkdtempSync(join(tmpdir(), "twinedge-example-custom-"));
  copyFileSync(join(EXAMPLE, "least-loaded.ts"), join(dir, "least-loaded.ts"));
  const scenario = JSON.parse(readFileSync(join(EXAMPLE, "scenario.json"), "utf8"));
  delete scenario.$schema;
  writeFileSync(join(dir, "scenario.json"), JSON.stringify({ ...scenario, slots: 20, seeds: 2 }));
  const r = await runSweep(join(dir, "scenario.json"), { out: join(dir, "out"), backend: "wasm", threads: 1, progress: false, figures: false });
  expect(r.failed).toBe(0);
  const mean = (policy: string, metric: "latencyS" | "offloadRatio") => {
    const xs = r.records.filter((t) => t.policy === policy).map((t) => (t.status === "ok" ? t.metrics[metric] ?? NaN : NaN));
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  expect(mean("least-loaded", "offloadRatio")).toBeGreaterThan(0);
  expect(mean("least-loaded", "latencyS")).toBeLessThan(mean("local", "latencyS"));
  // fullOffload keeps theta in {0, 1}: a different policy, so different results.
  expect(mean("least-loaded-full", "latencyS")).not.toBe(mean("least-loaded", "latencyS"));
  const paired = readFileSync(join(dir, "out", "paired.csv"), "utf8");
  expect(paired).toMatch(/^least-loaded,greedy,latencyS,2,/m);
  expect(paired).toMatch(/^least-loaded-full,greedy,latencyS,2,/m);
});
