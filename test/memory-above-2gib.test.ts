// Review: the kernel memory may reach 4 GiB (MAX_MACHINE_BYTES; the sweep refuses a trial
// only past it), so byte offsets of 2 GiB and more must work: the host's views and the TS
// twins index with unsigned shifts. The memory below 2 GiB is skipped, never touched.
import { describe, expect, it } from "vitest";
import { Heap } from "../src/kernels/heap.js";
import { createKernels } from "../src/kernels/index.js";
import { MAX_MACHINE_BYTES } from "../src/kernels/machine.js";
import { createPolicy } from "../src/policy/index.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { runEpisode } from "../src/run/episode.js";
import type { Simulation } from "../src/run/simulation.js";
import { resolveScenario } from "../src/sweep/load.js";
import { userCount } from "../src/scenario/users.js";
import { stream } from "../src/world/rng.js";

describe("review: kernel memory past 2 GiB", () => {
  it("a simulation whose buffers lie above 2 GiB runs the episode one at low offsets runs (both backends)", () => {
    const config = resolveScenario({ slots: 20, users: { perSite: 4 }, sites: { count: 3 }, seeds: [1], tasks: { arrivalRate: 0.2 }, migration: { mode: "proactive" }, twin: { predictor: "markov" } }, "s.json").points[0].config;
    for (const backend of ["wasm", "js"] as const) {
      const run = (sim: Simulation): unknown => {
        const ctx = { channel: config.channel, localFractions: config.actions.localFractions, rng: stream(1, "policy"), seed: 1 };
        return runEpisode(sim, createPolicy("il", ctx, { config, users: sim.users, backend: sim.k.machine }), { slots: 20, warmupSlots: 2 });
      };
      const low = run(buildSimulation(config, { seed: 1, backend }));
      const k = createKernels(backend);
      // One growth to 2 GiB + 64 MiB, then the bump pointer back to 2 GiB: what follows fits without another growth (no copy).
      const at = k.machine.alloc(2 ** 31 + 2 ** 26);
      k.machine.reset(at + 2 ** 31);
      const L = k.createLayout(userCount(config), config.sites.count);
      expect(L.userX.byteOffset).toBeGreaterThanOrEqual(2 ** 31);
      expect(run(buildSimulation(config, { seed: 1, backend, kernels: { k, L } })), backend).toEqual(low);
    }
  });

  it("a heap of the full 4 GiB views all of it (the JS machine grows to exactly MAX_MACHINE_BYTES)", () => {
    const h = new Heap(new ArrayBuffer(MAX_MACHINE_BYTES));
    expect([h.u8.length, h.f64.length, h.i32.length, h.u32.length]).toEqual([2 ** 32, 2 ** 29, 2 ** 30, 2 ** 30]);
  });
});
