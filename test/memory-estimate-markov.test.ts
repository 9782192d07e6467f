// Review: the up-front memory check refuses a trial whose kernel memory would pass 4 GiB, so its
// estimate of the kernel memory must not fall short of what the trial allocates.
import { describe, expect, it } from "vitest";
import { createPolicy } from "../src/policy/index.js";
import { buildSimulation, kernelsFor } from "../src/run/build-simulation.js";
import type { PolicyName } from "../src/scenario/schema.js";
import { userCount } from "../src/scenario/users.js";
import { resolveScenario } from "../src/sweep/load.js";
import { estimateTrialMemory } from "../src/sweep/memory.js";
import { stream } from "../src/world/rng.js";

describe("review: the kernel memory estimate", () => {
  it("is at least what a trial allocates in its kernel memory (Markov predictor over many sites, learners, catalogue)", () => {
    const cases: [PolicyName, object][] = [
      ["greedy", { users: { total: 1000 }, sites: { count: 200 }, twin: { predictor: "markov" } }],
      ["jal", { users: { total: 500 }, sites: { count: 10 }, learning: { sharing: "agent" } }],
      ["il", { users: { total: 100 }, sites: { count: 60 }, twin: { predictor: "markov" }, tasks: { catalogue: { types: 1000 } } }],
    ];
    for (const [policy, over] of cases) {
      const config = resolveScenario({ seeds: [1], policies: [policy], ...over }, "s.json").points[0].config;
      const kernels = kernelsFor("js", userCount(config), config.sites.count);
      const sim = buildSimulation(config, { seed: 1, backend: "js", kernels });
      createPolicy(policy, { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(1, "policy"), seed: 1 }, { config, users: sim.users, backend: sim.k.machine });
      expect(estimateTrialMemory(config, [policy]).kernelBytes, JSON.stringify(over)).toBeGreaterThanOrEqual(kernels.k.machine.mark());
    }
  });
});
