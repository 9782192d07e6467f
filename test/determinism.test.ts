import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPolicy } from "../src/policy/index.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";
import { ROOT } from "../src/paths.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { runEpisode } from "../src/run/episode.js";
import type { Simulation } from "../src/run/simulation.js";
import { stream } from "../src/world/rng.js";

const small = { slots: 30, users: { perSite: 6 }, sites: { count: 6 }, tasks: { arrivalRate: 0.2 }, seeds: [4, 5], mobility: { model: "randomWaypoint", speedMps: { min: 5, max: 15 } } };

describe("determinism", () => {
  it("two runs of one scenario (1 thread, then 2) give byte-identical trial records and summaries (each backend)", async () => {
    for (const backend of ["wasm", "js"] as const) {
      const a = mkdtempSync(join(tmpdir(), "twinedge-det-"));
      const b = mkdtempSync(join(tmpdir(), "twinedge-det-"));
      await runSweep(join(ROOT, "scenarios", "quick.json"), { out: a, backend, threads: 1, progress: false });
      await runSweep(join(ROOT, "scenarios", "quick.json"), { out: b, backend, threads: 2, progress: false });
      for (const f of ["trials.jsonl", "summary.csv", "paired.csv", "scenario.json"]) {
        expect(readFileSync(join(b, f), "utf8"), `${backend} ${f}`).toBe(readFileSync(join(a, f), "utf8"));
      }
      const files = readdirSync(join(a, "trials")).sort();
      expect(readdirSync(join(b, "trials")).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(b, "trials", f), "utf8")).toBe(readFileSync(join(a, "trials", f), "utf8"));
    }
  }, 300_000); // four sweeps: over a minute on a loaded 2-core machine (no speed is asserted)

  it("with the twin, migration, a catalogue and per-task records, same-seed trials are byte-identical", () => {
    const { trials } = resolveScenario({
      ...small, seeds: [3], policies: ["greedy"], mobility: { model: "gaussMarkov" }, tasks: { arrivalRate: 0.2, catalogue: { types: 20 } },
      twin: { syncPeriodSlots: 2 }, migration: { mode: "proactive" }, output: { taskRecords: true },
    }, "s.json");
    const [a, b] = [runTrial(trials[0], "wasm"), runTrial(trials[0], "wasm")];
    expect(a.record.status).toBe("ok");
    expect(JSON.stringify(b.record)).toBe(JSON.stringify(a.record));
    expect(b.taskCsv).toBe(a.taskCsv);
    expect(a.taskCsv!.split("\n").length).toBeGreaterThan(20);
  });

  it("a trial depends on its seed: other seeds give other results", () => {
    const { trials } = resolveScenario({ ...small, policies: ["greedy"] }, "s.json");
    const [r4, r5] = trials.map((t) => runTrial(t, "wasm").record);
    expect(r4.status).toBe("ok");
    expect(JSON.stringify(r4)).not.toBe(JSON.stringify(r5));
  });

  it("two same-seed simulations stepped in lockstep match slot by slot", () => {
    const config = resolveScenario(small, "s.json").points[0].config;
    const sides = [0, 1].map(() => {
      const sim = buildSimulation(config, { seed: 4, backend: "js" });
      const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(4, "policy"), seed: 4 };
      const policy = createPolicy("random", ctx, { config, users: sim.users, backend: sim.k.machine });
      return { sim, policy };
    });
    for (let slot = 0; slot < config.slots; slot++) {
      const obs = sides.map(({ sim, policy }) => {
        const o = sim.prepare(slot);
        policy.act(o, sim.decisions);
        sim.commit(policy.name);
        const row = { x: Array.from(sim.world.pos.xM), serving: Array.from(sim.world.serving), active: Array.from(o.active), bits: Array.from(o.bits), theta: Array.from(sim.decisions.theta), server: Array.from(sim.decisions.server), tProcS: Array.from(sim.L.tProcS.subarray(0, sim.users)) };
        sim.finish(true);
        return row;
      });
      expect(obs[1]).toEqual(obs[0]);
    }
  });

  it("a simulation reset to a seed runs the episode a fresh one of that seed runs, on both backends", () => {
    const config = resolveScenario({ ...small, mobility: { model: "randomWaypoint" }, sites: { count: 6, placement: "random" }, tasks: { catalogue: { types: 5 } } }, "s.json").points[0].config;
    for (const backend of ["wasm", "js"] as const) {
      const run = (sim: Simulation): unknown => {
        const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(9, "policy"), seed: 9 };
        return runEpisode(sim, createPolicy("greedy", ctx, { config, users: sim.users, backend: sim.k.machine }), { slots: 30, warmupSlots: 3 });
      };
      const used = buildSimulation(config, { seed: "other", backend });
      run(used);
      used.reset(9);
      const fresh = buildSimulation(config, { seed: 9, backend });
      expect(run(used), backend).toEqual(run(fresh));
    }
  });

  it("adding a policy's draws never shifts the world's: traffic and mobility are the same under every policy", () => {
    const { trials } = resolveScenario({ ...small, seeds: [4], policies: ["local", "random"] }, "s.json");
    const [local, random] = trials.map((t) => runTrial(t, "js").record);
    if (local.status !== "ok" || random.status !== "ok") throw new Error("trial failed");
    expect(random.metrics.tasks).toBe(local.metrics.tasks);
    expect(random.metrics.queueWaitS).toBe(local.metrics.queueWaitS);
  });
});
