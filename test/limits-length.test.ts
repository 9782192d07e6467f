// Absurd run lengths are refused up front, naming the field, as absurd sizes are: a trial may
// simulate at most MAX_TRIAL_USER_SLOTS user-slots (evaluation, training and held-out slots).
import { describe, expect, it } from "vitest";
import { MAX_TRIAL_USER_SLOTS, UNLIMITED } from "../src/scenario/limits.js";
import { resolveScenario } from "../src/sweep/load.js";

const errorsOf = (raw: object): string[] => {
  try {
    resolveScenario(raw, "s.json");
    return [];
  } catch (e) {
    return (e as { issues?: string[] }).issues ?? [String(e)];
  }
};

describe("trial length limit", () => {
  it("refuses slots, training and held-out lengths beyond the limit, naming the field, in well under a second", () => {
    const t0 = performance.now();
    expect(errorsOf({ slots: 1e15 })).toEqual([expect.stringMatching(/^slots: one trial would simulate 450 users x 1000000000000000 slots = 4\.50e\+17 user-slots, above the 1000000000000 a trial may run$/)]);
    expect(errorsOf({ policies: ["il"], learning: { episodes: 1e12 } })).toEqual([expect.stringMatching(/^learning\.episodes x learning\.slotsPerEpisode: one trial would simulate/)]);
    expect(errorsOf({ policies: ["jal"], learning: { heldOut: { worlds: 1e12 } } })).toEqual([expect.stringMatching(/^learning\.heldOut: /)]);
    expect(errorsOf({ sweep: { slots: [10, 1e14] } })).toEqual([expect.stringMatching(/^sweep point \(slots=100000000000000\): slots: /)]);
    expect((performance.now() - t0) / 1000).toBeLessThan(2);
  });

  it("counts training only for learners, and admits long but sane trials", () => {
    expect(errorsOf({ policies: ["greedy"], learning: { episodes: 1e12 } })).toEqual([]);
    expect(errorsOf({ users: { total: 1e6 }, slots: 1e5, policies: ["nearest"] })).toEqual([]); // 1e11 user-slots
    expect(errorsOf({ users: { total: 1e6 }, slots: 2e6, policies: ["nearest"] })).toHaveLength(1); // 2e12
    expect(MAX_TRIAL_USER_SLOTS).toBe(1e12);
    expect(() => resolveScenario({ slots: 1e15 }, "s.json", { limits: UNLIMITED })).not.toThrow(); // re-reading a folder's scenario
  });

  it("refuses a repeated reference", () => {
    expect(errorsOf({ policies: ["local", "greedy"], reference: ["greedy", "greedy"] })).toEqual([expect.stringMatching(/reference: expected distinct policies/)]);
  });
});

describe("quantities that would overflow the model's arithmetic", () => {
  it("are refused at validation, naming the field (before: null latencies, or a misleading invalid-decision error)", () => {
    expect(errorsOf({ tasks: { bits: { dist: "constant", value: 1e308 } } })).toEqual([expect.stringMatching(/^tasks\.bits\.value: expected at most 1000000000000000$/)]);
    expect(errorsOf({ area: { widthM: 1e155 } })).toEqual([expect.stringMatching(/^area\.widthM: expected at most 10000000$/)]);
    expect(errorsOf({ sites: { count: 2, placement: "explicit", positions: [{ xM: 0, yM: 0 }, { xM: -1e300, yM: 0 }] } }))
      .toEqual([expect.stringMatching(/^sites\.positions\[1\]\.xM: expected at least -10000000$/)]);
    expect(errorsOf({ tasks: { bits: { dist: "centred", mean: 2e6 } }, area: { widthM: 1e7, heightM: 1e7 } })).toEqual([]);
  });
});
