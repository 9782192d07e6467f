// Review: a simulation reset to a seed must be the simulation freshly built with that seed,
// whatever the caller left at its default (here the authority's seed, which EdgeParallelEnv
// leaves to `seed`).
import { describe, expect, it } from "vitest";
import { createPolicy } from "../src/policy/index.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { runEpisode } from "../src/run/episode.js";
import type { Simulation } from "../src/run/simulation.js";
import { resolveScenario } from "../src/sweep/load.js";
import { stream } from "../src/world/rng.js";

describe("review: Simulation.reset", () => {
  it("with authentication and the default authority seed, a reset simulation runs the episode a fresh one runs", () => {
    const config = resolveScenario({ slots: 30, users: { perSite: 5 }, sites: { count: 5 }, seeds: [1], auth: { mode: "modeled", maliciousShare: 0.3 } }, "s.json").points[0].config;
    for (const backend of ["wasm", "js"] as const) {
      const run = (sim: Simulation): unknown => {
        const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(9, "policy"), seed: 9 };
        return runEpisode(sim, createPolicy("greedy", ctx, { config, users: sim.users, backend: sim.k.machine }), { slots: 30, warmupSlots: 3 });
      };
      const used = buildSimulation(config, { seed: "other", backend });
      run(used);
      used.reset(9);
      const fresh = buildSimulation(config, { seed: 9, backend });
      expect(used.auth!.maliciousUsers, backend).toBe(fresh.auth!.maliciousUsers);
      expect(run(used), backend).toEqual(run(fresh));
    }
  });
});
