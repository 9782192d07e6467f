// The must-show: a plug-in policy that always computes locally gives exactly the
// built-in `local` results (every metric, byte-equal per trial) for the same scenario and
// seeds, on both backends, in this thread and in worker threads; listed as the reference, it
// gets its paired.csv rows; the manifest records its module and hash.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrialRecord } from "../src/contracts/record.js";
import type { Backend } from "../src/kernels/types.js";
import { runSweep } from "../src/sweep/run-sweep.js";

// Writes the pre-filled decision explicitly and draws from its random stream, which must not
// touch the world's streams.
const ALWAYS_LOCAL = `
export function createPolicy(ctx) {
  let draws = 0;
  return {
    act(obs, out) {
      for (let i = 0; i < obs.users; i++) {
        if (!obs.active[i]) continue;
        out.theta[i] = 1;
        out.server[i] = obs.serving[i];
        draws += ctx.rng();
      }
    },
    feedback(obs, outcome) { if (outcome.tProcS.length !== obs.users) throw new Error("outcome arrays"); },
  };
}
`;

function scenarioDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-local-"));
  writeFileSync(join(dir, "always-local.mjs"), ALWAYS_LOCAL);
  writeFileSync(join(dir, "s.json"), JSON.stringify({
    name: "plugin-local", slots: 25, warmupSlots: 3, seeds: [1, 2, 3], sites: { count: 4 },
    tasks: { arrivalRate: 0.15, catalogue: { types: 20 } }, mobility: { model: "gaussMarkov" },
    sweep: { "users.perSite": [3, 7] },
    policies: ["local", { name: "mine", module: "./always-local.mjs", options: { note: "always local" } }, "greedy"],
    reference: "mine",
  }));
  return dir;
}

const key = (r: TrialRecord) => JSON.stringify([r.point, r.seed]);
const metricsOf = (r: TrialRecord) => (r.status === "ok" ? JSON.stringify(r.metrics) : `failed: ${r.error}`);

describe("a plug-in that always computes locally", () => {
  const dir = scenarioDir();
  const runs = new Map<string, TrialRecord[]>();

  for (const backend of ["wasm", "js"] as Backend[]) {
    for (const threads of [1, 2]) {
      it(`gives the built-in local's metrics byte for byte (${backend}, threads ${threads})`, async () => {
        const out = join(dir, `out-${backend}-${threads}`);
        const r = await runSweep(join(dir, "s.json"), { out, backend, threads, progress: false, figures: false });
        expect(r.failed).toBe(0);
        runs.set(`${backend}/${threads}`, r.records);
        const local = new Map(r.records.filter((t) => t.policy === "local").map((t) => [key(t), t]));
        const mine = r.records.filter((t) => t.policy === "mine");
        expect(mine).toHaveLength(2 * 3);
        for (const t of mine) {
          expect(metricsOf(t)).toBe(metricsOf(local.get(key(t))!));
          expect(t.status === "ok" && t.metrics.tasks).toBeGreaterThan(0);
        }
        // And not by accident: greedy offloads, so its metrics differ.
        const greedy = r.records.filter((t) => t.policy === "greedy");
        expect(greedy.some((t) => t.status === "ok" && (t.metrics.offloadRatio ?? 0) > 0)).toBe(true);

        // The plug-in is the reference: paired.csv compares local (all zero) and greedy with it.
        const paired = readFileSync(join(out, "paired.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
        const [head] = paired;
        const col = (name: string) => head.indexOf(name);
        const latency = paired.filter((row) => row[col("reference")] === "mine" && row[col("metric")] === "latencyS");
        expect(latency.map((row) => `${row[col("users.perSite")]},${row[col("policy")]}`).sort()).toEqual(["3,greedy", "3,local", "7,greedy", "7,local"]);
        for (const row of latency) {
          expect(Number(row[col("n")])).toBe(3);
          if (row[col("policy")] === "local") expect([Number(row[col("meanDiff")]), Number(row[col("sdDiff")])]).toEqual([0, 0]);
          else expect(Number(row[col("meanDiff")])).toBeLessThan(0);
        }
        expect(readFileSync(join(out, "summary.csv"), "utf8")).toMatch(/^7,mine,latencyS,3,/m);

        const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
        const sha256 = createHash("sha256").update(readFileSync(join(dir, "always-local.mjs"))).digest("hex");
        expect(manifest.policies).toEqual(["local", "mine", "greedy"]);
        expect(manifest.plugins).toEqual([{ name: "mine", module: "./always-local.mjs", path: join(dir, "always-local.mjs"), sha256, options: { note: "always local" } }]);
        expect(mine.every((t) => t.plugin?.sha256 === sha256 && t.plugin.module === "./always-local.mjs")).toBe(true);
      });
    }
  }

  it("gives the same records in this thread and in workers", () => {
    for (const backend of ["wasm", "js"]) {
      const [a, b] = [runs.get(`${backend}/1`)!, runs.get(`${backend}/2`)!];
      expect(a.map((t) => `${t.id} ${metricsOf(t)}`)).toEqual(b.map((t) => `${t.id} ${metricsOf(t)}`));
    }
  });
});
