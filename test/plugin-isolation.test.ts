// A plug-in gets copies of the observation and of the slot's outcome: writing into them changes
// nothing in the simulated world (the issue-12 adversary's mutate.js made every task 1 bit and
// every CPU 1e15 Hz, and its latency dropped to 1e-15). Its decisions object is frozen.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrialRecord } from "../src/contracts/record.js";
import type { Backend } from "../src/kernels/types.js";
import { runSweep } from "../src/sweep/run-sweep.js";

// Scribbles over everything it is handed, then decides like `local`.
const MUTATE = `
const scribble = (o) => { for (const k of Object.keys(o)) if (ArrayBuffer.isView(o[k])) o[k].fill(k === "active" ? 0 : 1e15); };
export const createPolicy = () => ({
  act(obs, out) {
    const active = Int32Array.from(obs.active), serving = Int32Array.from(obs.serving);
    obs.bits.fill(1); obs.cyclesPerBit.fill(1); obs.siteLoad.fill(0); obs.userCpuHz.fill(1e15); obs.deadlineS.fill(1e9);
    scribble(obs); scribble(obs.sites);
    for (let i = 0; i < active.length; i++) if (active[i]) { out.theta[i] = 1; out.server[i] = serving[i]; }
  },
  feedback(obs, outcome) { scribble(obs); scribble(obs.sites); scribble(outcome); },
});
`;
const REPLACE = "export const createPolicy = () => ({ act(obs, out) { out.theta = new Float64Array(obs.users).fill(1); } });\n";

const key = (r: TrialRecord) => JSON.stringify([r.point, r.seed]);
const metricsOf = (r: TrialRecord) => (r.status === "ok" ? JSON.stringify(r.metrics) : `failed: ${r.error}`);

describe("a plug-in that writes into what it is handed", () => {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-iso-"));
  writeFileSync(join(dir, "mutate.mjs"), MUTATE);
  writeFileSync(join(dir, "replace.mjs"), REPLACE);
  writeFileSync(join(dir, "s.json"), JSON.stringify({
    name: "plugin-iso", slots: 20, warmupSlots: 2, seeds: [1, 2], sites: { count: 3 }, users: { perSite: 6 },
    tasks: { arrivalRate: 0.2 }, migration: { mode: "proactive" },
    policies: ["local", { name: "mutate", module: "./mutate.mjs" }, { name: "replace", module: "./replace.mjs" }],
  }));

  for (const [backend, threads] of [["wasm", 1], ["js", 2]] as [Backend, number][]) {
    it(`gets exactly local's metrics, and cannot swap the decision arrays (${backend}, threads ${threads})`, async () => {
      const r = await runSweep(join(dir, "s.json"), { out: join(dir, `out-${backend}-${threads}`), backend, threads, progress: false, figures: false });
      const local = new Map(r.records.filter((t) => t.policy === "local").map((t) => [key(t), t]));
      const mutate = r.records.filter((t) => t.policy === "mutate");
      expect(mutate).toHaveLength(2);
      for (const t of mutate) {
        expect(t.status).toBe("ok");
        expect(metricsOf(t)).toBe(metricsOf(local.get(key(t))!));
        expect(t.status === "ok" && t.metrics.tasks).toBeGreaterThan(0);
      }
      const replace = r.records.filter((t) => t.policy === "replace");
      expect(replace.map((t) => (t.status === "failed" ? t.error : "ok"))).toEqual(Array(2).fill(expect.stringMatching(/^policy replace: act\(\) threw in slot 0: .*read.only property 'theta'/)));
    });
  }
});
