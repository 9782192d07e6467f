// The sweep's longest-first order: a learner's training counts, so learner trials start
// before the baselines of the same size (else the sweep ends with one thread training alone).
import { describe, expect, it, vi } from "vitest";
import type { TrialSpec } from "../src/contracts/trial-spec.js";
import { longestFirst, trialCost, trialSlots } from "../src/sweep/cost.js";
import { resolveScenario } from "../src/sweep/load.js";

/** The order in which the pool hands trials to its threads (Piscina replaced by a recorder). */
const submitted = vi.hoisted(() => [] as string[]);
vi.mock("piscina", () => ({
  Piscina: class {
    run(task: { spec: TrialSpec; backend: string }) {
      submitted.push(task.spec.policy);
      return Promise.resolve({ record: { id: task.spec.id, status: "ok" } });
    }
    destroy() {
      return Promise.resolve();
    }
  },
}));

const sweep = (raw: object): TrialSpec[] => resolveScenario({ name: "cost", seeds: 2, ...raw }, "cost.json").trials;
const mixed = { policies: ["local", "nearest", "greedy", "il", "jal"], slots: 20, sites: { count: 3 }, users: { perSite: 4 }, learning: { episodes: 5, slotsPerEpisode: 10 } };

describe("trial cost", () => {
  it("counts a learner's training slots and not a baseline's", () => {
    const [t] = sweep(mixed);
    expect(trialSlots("nearest", t.config)).toBe(20);
    expect(trialSlots("jal", t.config)).toBe(20 + 5 * 10);
    expect(trialSlots("il", t.config)).toBe(20 + 5 * 10);
    expect(trialSlots("mfq", t.config)).toBe(20 + 5 * 10);
    expect(trialSlots("optimum", t.config)).toBe(10 * 20); // its descent: about 10 baseline slots a slot
  });

  it("grows with users, sites, slots and episodes", () => {
    const cost = (raw: object, policy = "jal") => trialCost(sweep({ ...mixed, ...raw, policies: [policy] })[0]);
    const base = cost({});
    expect(cost({ users: { perSite: 8 } })).toBeGreaterThan(base);
    expect(cost({ sites: { count: 6 } })).toBeGreaterThan(base);
    expect(cost({ slots: 40 })).toBeGreaterThan(base);
    expect(cost({ learning: { episodes: 50, slotsPerEpisode: 10 } })).toBeGreaterThan(base);
    expect(cost({ learning: { episodes: 50, slotsPerEpisode: 10 } }, "greedy")).toBe(cost({}, "greedy"));
  });

  it("puts every learner trial before every baseline of the same size", () => {
    const order = longestFirst(sweep(mixed)).map((t) => t.policy);
    expect(order.slice(0, 4).sort()).toEqual(["il", "il", "jal", "jal"]);
    expect(order.slice(4).every((p) => p !== "il" && p !== "jal")).toBe(true);
  });

  it("still puts a big baseline before a learner whose training is short", () => {
    const trials = sweep({ ...mixed, policies: ["nearest", "jal"], sweep: { "users.perSite": [2, 200] }, learning: { episodes: 1, slotsPerEpisode: 10 } });
    const order = longestFirst(trials).map((t) => `${t.policy}@${t.config.users.perSite}`);
    expect(order.indexOf("nearest@200")).toBeLessThan(order.indexOf("jal@2"));
  });
});

describe("the pool", () => {
  it("hands a sweep's learner trials to its threads before its baselines", async () => {
    const { runTrials } = await import("../src/sweep/pool.js");
    submitted.length = 0;
    await runTrials(sweep(mixed), "js", 2, () => {});
    expect(submitted.slice(0, 4).sort()).toEqual(["il", "il", "jal", "jal"]);
    expect(submitted).toHaveLength(10);
  });
});
