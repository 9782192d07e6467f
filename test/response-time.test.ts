// responseS, the paper's latency measure ("the time from task request time to task
// completion"): each task's queue wait plus its T_proc, averaged over the same tasks as latencyS.
import { describe, expect, it } from "vitest";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";

describe("response time", () => {
  it("is latencyS plus queueWaitS, and exceeds latencyS once tasks queue", () => {
    // High load: tasks arrive faster than some users finish them, so queues form.
    const { trials } = resolveScenario({ slots: 60, seeds: [1], policies: ["local", "greedy"], users: { perSite: 6 }, sites: { count: 3 }, tasks: { arrivalRate: 0.2, bits: { dist: "uniform", min: 2e6, max: 4e6 } } }, "s.json");
    for (const backend of ["wasm", "js"] as const) {
      for (const t of trials) {
        const { record } = runTrial(t, backend);
        if (record.status !== "ok") throw new Error(record.error);
        const m = record.metrics;
        expect(m.queueWaitS!).toBeGreaterThan(0);
        expect(m.responseS!).toBeCloseTo(m.latencyS! + m.queueWaitS!, 12);
        expect(m.responseS!).toBeGreaterThan(m.latencyS!);
      }
    }
  });
});
