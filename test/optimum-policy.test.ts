// The oracle policy "optimum" in the simulation: on every slot of a small scenario its recorded
// system cost is at most greedy's on the same slot state (both backends, which agree); same seed
// and backend give byte-identical trials; a scenario with policies ["greedy", "optimum"] runs
// and reports it in summary.csv; configurations it cannot be an optimum for are refused by name.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SITE_F64, SITE_I32, USER_F64, USER_I32, type SlotLayout } from "../src/layout.js";
import { createPolicy } from "../src/policy/index.js";
import type { KernelOptimumPolicy } from "../src/policy/kernel-optimum.js";
import { admitUploads } from "../src/run/admission.js";
import { buildSimulation, kernelsFor } from "../src/run/build-simulation.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";
import { estimateTrialMemory } from "../src/sweep/memory.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { stream } from "../src/world/rng.js";

const SMALL = { slots: 25, users: { perSite: 10 }, tasks: { arrivalRate: 0.2 }, seeds: [2] };

/** Copies every array of the slot layout `from` into `to` (same capacities). */
function copyLayout(from: SlotLayout, to: SlotLayout): void {
  for (const k of [...USER_F64, ...USER_I32, ...SITE_F64, ...SITE_I32]) (to[k] as Float64Array).set(from[k] as Float64Array);
}

/** Per slot: greedy's cost on the slot's state (recomputed by the kernels) and what the slot recorded under optimum. */
function slotCosts(backend: "wasm" | "js", raw: object) {
  const config = resolveScenario(raw, "s.json").points[0].config;
  const users = config.users.perSite! * config.sites.count;
  const kernels = kernelsFor(backend, users, config.sites.count);
  const sim = buildSimulation(config, { seed: 2, backend, kernels });
  const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(2, "policy"), seed: 2 };
  const optimum = createPolicy("optimum", ctx, { config, users, backend: kernels.k.machine, layout: kernels.L }) as KernelOptimumPolicy;
  const greedy = createPolicy("greedy", ctx, { config, users, backend: kernels.k.machine });
  const scratch = kernels.k.createLayout(users, config.sites.count);
  const rows: { greedy: number; recorded: number; reported: number; greedyReported: number; theta: Float64Array }[] = [];
  for (let slot = 0; slot < config.slots; slot++) {
    const obs = sim.prepare(slot);
    const pre = { theta: sim.decisions.theta.slice(), server: sim.decisions.server.slice() };
    greedy.act(obs, sim.decisions);
    copyLayout(kernels.L, scratch);
    admitUploads(kernels.k, scratch, users, sim.sites, config.channel);
    const greedyCost = kernels.k.latency(scratch, users, sim.sites, config.channel);
    sim.decisions.theta.set(pre.theta);
    sim.decisions.server.set(pre.server);
    optimum.act(obs, sim.decisions);
    const theta = sim.decisions.theta.slice();
    sim.commit(optimum.name);
    let recorded = 0;
    for (let i = 0; i < users; i++) if (sim.L.active[i]) recorded += sim.L.tProcS[i];
    rows.push({ greedy: greedyCost, recorded, reported: optimum.stats.last.optimumCostS, greedyReported: optimum.stats.last.greedyCostS, theta });
    sim.finish(true);
  }
  return { rows, stats: optimum.stats };
}

describe("policy optimum", () => {
  it("records at most greedy's system cost on every slot, the cost it reports, on both backends alike", () => {
    for (const raw of [SMALL, { ...SMALL, channel: { interference: "orthogonal" } }]) {
      const w = slotCosts("wasm", raw), j = slotCosts("js", raw);
      let lower = 0;
      w.rows.forEach((r, s) => {
        expect(r.recorded, `slot ${s}`).toBeLessThanOrEqual(r.greedy);
        expect(r.reported, `slot ${s}: the descent's cost is what the slot records`).toBe(r.recorded);
        expect(r.greedyReported, `slot ${s}: the descent starts from greedy's decisions`).toBe(r.greedy);
        if (r.recorded < r.greedy) lower++;
        expect(Array.from(j.rows[s].theta), `slot ${s} theta wasm/js`).toEqual(Array.from(r.theta));
        expect(Math.abs(j.rows[s].recorded - r.recorded)).toBeLessThanOrEqual(1e-9 * r.recorded);
      });
      expect(lower, "slots where the descent improved on greedy").toBeGreaterThan(w.rows.length / 2);
      expect(w.stats.slots).toBe(raw.slots);
      expect(w.stats.capHits).toBe(0);
      expect(w.stats.moves).toBeGreaterThan(0);
      expect(w.stats.optimumCostS).toBeLessThan(w.stats.greedyCostS);
      expect({ ...j.stats, greedyCostS: 0, optimumCostS: 0, last: null }).toEqual({ ...w.stats, greedyCostS: 0, optimumCostS: 0, last: null });
    }
  });

  it("same seed and backend give byte-identical trial records", () => {
    const { trials } = resolveScenario({ ...SMALL, slots: 15, policies: ["optimum"], mobility: { model: "gaussMarkov" } }, "s.json");
    for (const backend of ["wasm", "js"] as const) {
      const [a, b] = [runTrial(trials[0], backend), runTrial(trials[0], backend)];
      expect(a.record.status, a.record.status === "failed" ? a.record.error : "").toBe("ok");
      expect(JSON.stringify(b.record)).toBe(JSON.stringify(a.record));
    }
  });

  it("runs in a scenario beside greedy and appears in summary.csv, below greedy's latency", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-optimum-"));
    const scenario = join(dir, "s.json");
    writeFileSync(scenario, JSON.stringify({ name: "opt", slots: 20, seeds: [1, 2], policies: ["greedy", "optimum"], sites: { count: 4 }, users: { perSite: 12 }, tasks: { arrivalRate: 0.2 } }));
    const out = join(dir, "out");
    await runSweep(scenario, { out, backend: "wasm", threads: 1, progress: false });
    const trials = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(trials.map((t) => `${t.policy}/${t.seed}/${t.status}`).sort()).toEqual(["greedy/1/ok", "greedy/2/ok", "optimum/1/ok", "optimum/2/ok"]);
    const csv = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n");
    const mean = (policy: string): number => Number(csv.find((l) => l.startsWith(`${policy},latencyS,`))!.split(",")[3]);
    expect(csv[0]).toBe("policy,metric,n,mean,sd,ci95Low,ci95High");
    expect(mean("optimum")).toBeGreaterThan(0);
    expect(mean("optimum")).toBeLessThan(mean("greedy"));
  });

  it("its scratch is in the trial's memory estimate", () => {
    const config = resolveScenario({ users: { perSite: 50 } }, "s.json").points[0].config;
    const term = estimateTrialMemory(config, ["greedy", "optimum"]).terms.find((t) => t.field === "policies");
    expect(term?.bytes).toBeGreaterThanOrEqual(750 * 124 + 15 * 384);
    expect(term!.bytes).toBeLessThan(750 * 124 + 15 * 384 + 40 * 16);
    expect(estimateTrialMemory(config, ["greedy"]).terms.find((t) => t.field === "policies")).toBeUndefined();
  });

  it("is refused where its objective is not the slot's cost, or without the true state", () => {
    expect(() => resolveScenario({ policies: ["greedy", "optimum"], migration: { mode: "reactive" } }, "s.json"))
      .toThrow(/policies: "optimum" needs migration\.mode "off"/);
    expect(() => resolveScenario({ policies: ["optimum"], auth: { mode: "modeled" } }, "s.json")).toThrow(/policies: "optimum" needs auth\.mode "off"/);
    expect(() => resolveScenario({ policies: ["greedy"], migration: { mode: "reactive" } }, "s.json")).not.toThrow();
    const config = resolveScenario({ slots: 3, users: { perSite: 4 } }, "s.json").points[0].config;
    const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(1, "policy"), seed: 1 };
    const sim = buildSimulation(config, { seed: 1, backend: "js" });
    expect(() => createPolicy("optimum", ctx, { config, users: sim.users, backend: sim.k.machine })).toThrow(/policy optimum: an oracle needs .* slot layout/);
    const migrating = { ...config, migration: { ...config.migration, mode: "relay" as const } };
    expect(() => createPolicy("optimum", ctx, { config: migrating, users: sim.users, backend: sim.k.machine, layout: sim.L })).toThrow(/policy optimum: needs migration\.mode "off"/);
    // A layout of another simulation in the same memory: refused at the first slot, not run on the wrong users.
    const other = sim.k.createLayout(sim.users, sim.sites);
    const wrong = createPolicy("optimum", ctx, { config, users: sim.users, backend: sim.k.machine, layout: other });
    sim.reset(1);
    const obs = sim.prepare(0);
    expect(() => wrong.act(obs, sim.decisions)).toThrow(/policy optimum: its slot layout is not the simulation's/);
  });
});
