import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { schemaText } from "../src/scenario/json-schema.js";
import { loadScenario, resolveScenario } from "../src/sweep/load.js";
import { axisValues } from "../src/sweep/expand.js";
import { InputError } from "../src/validation.js";

function errorsOf(raw: unknown): string[] {
  try {
    resolveScenario(raw, "s.json");
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("scenario loading", () => {
  it("fills every default from Table I and the documented assumptions", () => {
    const { scenario, trials, points } = resolveScenario({}, "s.json", { fallbackName: "empty" });
    expect(scenario.name).toBe("empty");
    expect(scenario.sites).toMatchObject({ count: 15, placement: "grid", cpuHz: 1e10 });
    expect(scenario.users).toMatchObject({ perSite: 30, cpuHz: 5e8, powerMw: 100 });
    expect(scenario.channel).toEqual({ bandwidthHz: 1e7, noiseMw: 1e-11, minRateBps: 1e5, dMinM: 1, interference: "shared", backhaulRateBps: null });
    expect(scenario.tasks).toMatchObject({ arrivalRate: 0.1, deadlineS: 1, bits: { dist: "uniform", min: 2e5, max: 1e6 }, cyclesPerBit: { dist: "constant", value: 500 } });
    expect(scenario.area).toEqual({ widthM: 500, heightM: 500 });
    expect(points).toHaveLength(1);
    expect(trials).toHaveLength(4 * 3);
  });

  const bad: [string, unknown, RegExp][] = [
    ["non-integer site count", { sites: { count: 2.5 } }, /^sites\.count: expected a positive integer$/],
    ["zero site count", { sites: { count: 0 } }, /^sites\.count: expected a positive integer$/],
    ["string where a number goes", { users: { powerMw: "100" } }, /^users\.powerMw: expected a positive number$/],
    ["unknown top-level key", { slot: 5 }, /^slot: unknown field$/],
    ["unknown nested key (typo)", { sites: { cuont: 15 } }, /^sites\.cuont: unknown field$/],
    ["unknown policy", { policies: ["local", "jall"] }, /^policies\[1\]: expected one of local, random, nearest, greedy, il, jal, mfq, optimum, or a plug-in \{"name", "module", "options"\}$/],
    ["arrival rate out of (0, 0.2]", { tasks: { arrivalRate: 0.5 } }, /^tasks\.arrivalRate: expected a number in \(0, 0\.2\]$/],
    ["zero arrival rate", { tasks: { arrivalRate: 0 } }, /^tasks\.arrivalRate: expected a number in \(0, 0\.2\]$/],
    ["bad distribution", { tasks: { bits: { dist: "uniform", min: 5, max: 1 } } }, /^tasks\.bits\.max: expected min <= max$/],
    ["unknown distribution", { tasks: { bits: { dist: "gamma" } } }, /^tasks\.bits\.dist: expected \{"dist": "constant"/],
    ["explicit placement without positions", { sites: { placement: "explicit", count: 2 } }, /^sites\.positions: required/],
    ["explicit positions of the wrong count", { sites: { placement: "explicit", count: 2, positions: [{ xM: 1, yM: 2 }] } }, /^sites\.positions: expected 2 positions/],
    ["perSite and total together", { users: { perSite: 3, total: 40 } }, /^users\.total: give users\.perSite or users\.total, not both$/],
    ["warmup not shorter than the run", { slots: 10, warmupSlots: 10 }, /^warmupSlots: expected fewer than slots/],
    ["duplicate seeds", { seeds: [1, 1] }, /^seeds: /],
    ["empty sweep axis", { sweep: { "users.perSite": [] } }, /^sweep\.users\.perSite: /],
    ["repeated sweep values", { sweep: { "users.perSite": [10, 20, 10] } }, /^sweep\.users\.perSite: expected distinct values$/],
    ["normal with min above max", { tasks: { bits: { dist: "normal", mean: 5e5, sd: 1e5, min: 5e5, max: 1e4 } } }, /^tasks\.bits\.max: expected min <= max$/],
    ["a zero walking speed", { mobility: { model: "randomWaypoint", speedMps: { min: 0, max: 2 } } }, /^mobility\.speedMps\.min: expected a positive number$/],
    ["sweep over an unknown field", { sweep: { "users.perSit": [1, 2] } }, /^sweep point \(users\.perSit=1\): users\.perSit: unknown field$/],
    ["sweep value out of domain", { sweep: { "sites.count": [5, -1] } }, /^sweep point \(sites\.count=-1\): sites\.count: expected a positive integer$/],
    ["sweep over seeds", { sweep: { seeds: [1, 2] } }, /^sweep\.seeds: not a sweepable field$/],
    ["not an object", [1, 2], /^\(root\): expected a JSON object$/],
  ];
  for (const [what, raw, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const errs = errorsOf(raw);
      expect(errs.some((e) => message.test(e)), errs.join("\n")).toBe(true);
    });
  }

  it("expands sweep axes (lists and min/max/step) into points x policies x seeds with stable ids", () => {
    const raw = { policies: ["local", "greedy"], seeds: [7, 8], sweep: { "users.perSite": { min: 10, max: 30, step: 10 }, "channel.interference": ["shared", "orthogonal"] } };
    const a = resolveScenario(raw, "s.json");
    expect(a.points.map((p) => p.values)).toEqual([
      { "users.perSite": 10, "channel.interference": "shared" }, { "users.perSite": 10, "channel.interference": "orthogonal" },
      { "users.perSite": 20, "channel.interference": "shared" }, { "users.perSite": 20, "channel.interference": "orthogonal" },
      { "users.perSite": 30, "channel.interference": "shared" }, { "users.perSite": 30, "channel.interference": "orthogonal" },
    ]);
    expect(a.points[3].config.users.perSite).toBe(20);
    expect(a.points[3].config.channel.interference).toBe("orthogonal");
    expect(a.trials).toHaveLength(6 * 2 * 2);
    expect(new Set(a.trials.map((t) => t.id)).size).toBe(a.trials.length);
    const b = resolveScenario(JSON.parse(JSON.stringify(raw)), "other.json");
    expect(b.trials.map((t) => t.id)).toEqual(a.trials.map((t) => t.id));
    // A setting given explicitly at its default value resolves to the same trial.
    const c = resolveScenario({ ...raw, sites: { count: 15 } }, "s.json");
    expect(c.trials.map((t) => t.id)).toEqual(a.trials.map((t) => t.id));
  });

  it("steps ranges without floating-point drift", () => {
    expect(axisValues({ min: 0.2, max: 1, step: 0.2 })).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisValues({ min: 1, max: 1, step: 3 })).toEqual([1]);
  });

  // Before: spread had no description, and read as an absolute amount.
  it("documents tasks.bits.spread as the fraction of the mean it is", () => {
    const spreads: { description?: string; maximum?: number }[] = [];
    const walk = (v: unknown): void => {
      if (!v || typeof v !== "object") return;
      const o = v as Record<string, unknown>;
      if (o.properties && typeof o.properties === "object" && "spread" in o.properties) spreads.push((o.properties as Record<string, never>).spread);
      Object.values(o).forEach(walk);
    };
    walk(JSON.parse(schemaText()).properties.tasks.properties.bits);
    expect(spreads.length).toBeGreaterThan(0);
    for (const s of spreads) {
      expect(s.description).toMatch(/fraction of the mean, in \[0, 1\]/);
      expect(s.maximum).toBe(1);
    }
  });

  it("ships a JSON Schema in step with the code, and valid scenario files", () => {
    expect(readFileSync(join(ROOT, "scenarios", "schema.json"), "utf8")).toBe(schemaText());
    const schema = JSON.parse(schemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.sites.properties.count.type).toBe("integer");
    for (const f of readdirSync(join(ROOT, "scenarios")).filter((n) => n.endsWith(".json") && n !== "schema.json")) {
      expect(() => loadScenario(join(ROOT, "scenarios", f)), f).not.toThrow();
    }
  });
});
