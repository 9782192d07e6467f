import { describe, expect, it } from "vitest";
import { createPolicy, type Policy } from "../src/policy/index.js";
import { runEpisode } from "../src/run/episode.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";
import type { PolicyName } from "../src/scenario/schema.js";
import { stream } from "../src/world/rng.js";

const base = { slots: 40, users: { perSite: 10 }, tasks: { arrivalRate: 0.2 }, mobility: { model: "static" } };

/** Runs a scenario's trials and returns each policy's metric values over the seeds. */
function metricBy(raw: object, metric: "latencyS" | "offloadRatio" | "deadlineMissRate"): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of resolveScenario(raw, "p.json").trials) {
    const r = runTrial(t, "wasm").record;
    if (r.status !== "ok") throw new Error(r.error);
    (out[r.policy] ??= []).push(r.metrics[metric]!);
  }
  return out;
}

/** Steps one episode slot by slot, recording each slot's decisions for the active users. */
function decisionsOf(name: PolicyName, raw: object = base, slots = 10) {
  const config = resolveScenario({ ...raw, slots }, "p.json").points[0].config;
  const inner = createPolicy(name, { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(3, "policy"), seed: 3 });
  const seen: { theta: number; server: number; serving: number }[] = [];
  const spy: Policy = {
    name,
    act(obs, out) {
      inner.act(obs, out);
      for (let i = 0; i < obs.users; i++) if (obs.active[i]) seen.push({ theta: out.theta[i], server: out.server[i], serving: obs.serving[i] });
    },
  };
  runEpisode(buildSimulation({ ...config, slotS: 1 }, { seed: 3, backend: "js" }), spy, { slots, warmupSlots: 0 });
  return seen;
}

describe("baseline policies", () => {
  it("local keeps every task on the user's CPU", () => {
    const d = decisionsOf("local");
    expect(d.length).toBeGreaterThan(50);
    expect(d.every((x) => x.theta === 1)).toBe(true);
  });

  it("nearest fully offloads to the serving site (or stays local when infeasible)", () => {
    const d = decisionsOf("nearest");
    expect(d.every((x) => (x.theta === 0 && x.server === x.serving) || x.theta === 1)).toBe(true);
    expect(d.filter((x) => x.theta === 0).length).toBeGreaterThan(d.length * 0.8);
  });

  it("random draws theta from the allowed fractions and spreads over the sites", () => {
    const d = decisionsOf("random", { ...base, actions: { localFractions: [0.5, 1] } }, 30);
    expect(new Set(d.map((x) => x.theta))).toEqual(new Set([0.5, 1]));
    expect(new Set(d.filter((x) => x.theta < 1).map((x) => x.server)).size).toBeGreaterThan(10);
  });

  it("greedy chooses among the allowed fractions, partial offloading included", () => {
    const d = decisionsOf("greedy");
    const thetas = new Set(d.map((x) => x.theta));
    for (const t of thetas) expect([0, 0.25, 0.5, 0.75, 1]).toContain(t);
    expect([...thetas].some((t) => t > 0 && t < 1)).toBe(true);
  });

  it("greedy beats all-local and random on average latency, seed by seed", () => {
    const lat = metricBy({ ...base, seeds: [1, 2, 3, 4], policies: ["local", "random", "greedy"] }, "latencyS");
    for (let s = 0; s < 4; s++) {
      expect(lat.greedy[s]).toBeLessThan(lat.local[s]);
      expect(lat.greedy[s]).toBeLessThan(lat.random[s]);
    }
  });

  it("offload ratio: 0 for local, high for nearest", () => {
    const off = metricBy({ ...base, seeds: [1], policies: ["local", "nearest"] }, "offloadRatio");
    expect(off.local[0]).toBe(0);
    expect(off.nearest[0]).toBeGreaterThan(0.8);
  });

  it("a policy's invalid decision fails its trial loudly instead of corrupting results", () => {
    const config = resolveScenario({ ...base, slots: 3 }, "p.json").points[0].config;
    const broken: Policy = { name: "broken", act: (obs, out) => { for (let i = 0; i < obs.users; i++) out.server[i] = 99; } };
    expect(() => runEpisode(buildSimulation({ ...config, slotS: 1 }, { seed: 1, backend: "wasm" }), broken, { slots: 3, warmupSlots: 0 }))
      .toThrow(/policy broken made an invalid decision/);
  });
});

describe("kernel policies and the simulation's kernel memory", () => {
  it("a baseline or learner created on another kernel memory is refused by name, not run on foreign bytes", () => {
    const config = resolveScenario({ slots: 3, users: { perSite: 4 }, learning: { episodes: 1, slotsPerEpisode: 3 } }, "s.json").points[0].config;
    for (const backend of ["wasm", "js"] as const) {
      for (const name of ["greedy", "jal"] as const) {
        const sim = buildSimulation(config, { seed: 1, backend });
        const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(1, "policy"), seed: 1 };
        const elsewhere = createPolicy(name, ctx, { config, users: sim.users, backend });
        expect(() => runEpisode(sim, elsewhere, { slots: 2, warmupSlots: 0 }), `${backend} ${name}`).toThrow(new RegExp(`policy ${name}: its kernels live in another kernel memory`));
        const here = createPolicy(name, ctx, { config, users: sim.users, backend: sim.k.machine });
        expect(() => runEpisode(sim, here, { slots: 2, warmupSlots: 0 })).not.toThrow();
      }
    }
  });
});
