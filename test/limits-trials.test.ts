import { describe, expect, it } from "vitest";
import { countTrials, DEFAULT_LIMITS, MAX_SEED_COUNT } from "../src/scenario/limits.js";
import { scenarioSchema } from "../src/scenario/schema.js";
import { resolveScenario } from "../src/sweep/load.js";
import { InputError, quote } from "../src/validation.js";

function errorsOf(raw: unknown, limits = DEFAULT_LIMITS): string[] {
  try {
    resolveScenario(raw, "s.json", { limits });
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

/** Refused (an InputError) well within `seconds`: generous, the machine may be loaded. */
function refusedQuickly(raw: unknown, seconds = 5): string[] {
  const t0 = performance.now();
  const errs = errorsOf(raw);
  expect((performance.now() - t0) / 1000).toBeLessThan(seconds);
  return errs;
}

describe("trial count, computed without listing", () => {
  it("counts points x policies x seeds from the raw file, ranges by arithmetic", () => {
    expect(countTrials({})).toMatchObject({ points: 1, policies: 4, seeds: 3, trials: 12 });
    const c = countTrials({ seeds: 1e9, policies: ["local"], sweep: { slots: { min: 1, max: 1e9, step: 1 }, "users.perSite": [1, 2] } });
    expect(c).toMatchObject({ points: 2e9, policies: 1, seeds: 1e9, trials: 2e18, largestAxis: "slots" });
    // The count the expansion gives, for a range with rounding in it.
    const { points } = resolveScenario({ seeds: [1], policies: ["local"], sweep: { "tasks.arrivalRate": { min: 0.02, max: 0.2, step: 0.02 } } }, "s.json");
    expect(countTrials({ sweep: { "tasks.arrivalRate": { min: 0.02, max: 0.2, step: 0.02 } } }).points).toBe(points.length);
  });

  // Before: seeds 1e9 listed 1..1e9 in the schema (V8 aborts); 1e7 hung validate.
  for (const seeds of [1e9, 1e7]) {
    it(`refuses seeds: ${seeds} at once, saying the count and the option`, () => {
      const errs = refusedQuickly({ seeds });
      expect(errs).toContain(`seeds: the scenario expands to 1 point(s) x 4 policies x ${seeds} seeds = ${4 * seeds} trials, above the cap of 100000 (raise it with --max-trials N)`);
    });
  }

  it("refuses a count of seeds above the listing bound whatever the trial cap", () => {
    const errs = errorsOf({ seeds: MAX_SEED_COUNT + 1, policies: ["local"] }, { maxTrials: Infinity, maxMemoryBytes: Infinity });
    expect(errs).toEqual([`seeds: ${MAX_SEED_COUNT + 1} seeds, above the 1000000 a count of seeds may give (they are listed in memory)`]);
    // And the schema itself never lists more, whoever calls it.
    expect(scenarioSchema.safeParse({ seeds: 1e9 }).success).toBe(false);
  });

  it("refuses a 10^9-point sweep at once, naming its largest axis", () => {
    const errs = refusedQuickly({ seeds: [1], policies: ["local"], sweep: { "tasks.deadlineS": { min: 1, max: 1e9, step: 1 } } });
    expect(errs).toEqual(["sweep.tasks.deadlineS: the scenario expands to 1000000000 point(s) x 1 policies x 1 seeds = 1000000000 trials, above the cap of 100000 (raise it with --max-trials N)"]);
  });

  it("refuses a range too long to count", () => {
    const errs = refusedQuickly({ seeds: [1], policies: ["local"], sweep: { slotS: { min: 1e-300, max: 1e300, step: 1e-300 } } });
    expect(errs[0]).toMatch(/^sweep\.slotS: the scenario expands to more than 1e308 point\(s\)/);
  });

  it("lets the cap be raised, and lowered", () => {
    const raw = { seeds: 30, policies: ["local", "greedy"], sweep: { "users.perSite": [1, 2] } };
    expect(resolveScenario(raw, "s.json").trials).toHaveLength(120);
    expect(errorsOf(raw, { ...DEFAULT_LIMITS, maxTrials: 119 })[0]).toMatch(/^seeds: .* = 120 trials, above the cap of 119 /);
  });
});

describe("error lists", () => {
  it("lists the first 20 issues, then says how many more", () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`field${k}`, 1]));
    const errs = errorsOf(many);
    expect(errs).toHaveLength(21);
    expect(errs[19]).toBe("field19: unknown field");
    expect(errs[20]).toBe("… and 10 more");
  });

  it("cuts long quoted values and keys", () => {
    const long = "x".repeat(100_000);
    const errs = [...errorsOf({ [long]: 1 }), ...errorsOf({ sweep: { "users.perSite": [long] } })];
    for (const e of errs) expect(e.length).toBeLessThanOrEqual(400);
    expect(errs.some((e) => e.startsWith(`${"x".repeat(59)}…: unknown field`)), errs.join("\n")).toBe(true);
    expect(errs).toContain(`sweep point (users.perSite="${"x".repeat(60)}…"): users.perSite: expected a positive integer`);
    expect(quote(long)).toBe(`"${"x".repeat(60)}…"`);
    expect(quote("a\"b")).toBe('"a\\"b"');
  });
});
