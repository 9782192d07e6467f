import { describe, expect, it } from "vitest";
import { expandTrials, refuseSameConfigs } from "../src/sweep/expand.js";
import { resolveScenario } from "../src/sweep/load.js";
import { InputError } from "../src/validation.js";

const small = { slots: 3, seeds: [1, 2], policies: ["local"], sites: { count: 2 }, users: { perSite: 2 } };

function errorsOf(raw: unknown): string[] {
  try {
    resolveScenario(raw, "s.json");
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("sweep paths", () => {
  // Accepted before: the prototype was set instead of a field, so three "points" were one
  // configuration, and the summary reported n = 3 with sd 0.
  for (const key of ["__proto__.slots", "users.__proto__.perSite", "constructor.prototype.slots", "prototype"]) {
    it(`refuses the path ${key}`, () => {
      const errs = errorsOf({ ...small, sweep: { [key]: [1, 2, 3] } });
      expect(errs.some((e) => e.startsWith(`sweep.${key}: `) && / is not a field name$/.test(e)), errs.join("\n")).toBe(true);
    });
  }

  it("refuses __proto__ as parsed from JSON text (an own key, not the prototype)", () => {
    const raw = JSON.parse(`{"slots": 3, "seeds": [1, 2], "policies": ["local"], "sweep": {"__proto__.slots": [1, 2, 3]}}`);
    expect(errorsOf(raw)).toEqual(['sweep.__proto__.slots: "__proto__" is not a field name']);
  });

  it("refuses a range whose step is below the 12-digit rounding of its values", () => {
    // 1e12, 1e12 + 1, 1e12 + 2 round to the same 12 significant digits: one configuration, three points.
    const errs = errorsOf({ ...small, sweep: { "sites.cpuHz": { min: 1e12, max: 1e12 + 2, step: 1 } } });
    expect(errs).toEqual(["sweep.sites.cpuHz: the value 1000000000000 comes twice (rounded to 12 significant digits): use a larger step"]);
  });

  it("refuses two points of one configuration, naming the axes that change nothing", () => {
    const [p] = resolveScenario({ ...small, sweep: {} }, "s.json").points;
    const same = [{ values: { a: 1, b: "x" }, config: p.config }, { values: { a: 1, b: "y" }, config: { ...p.config } }];
    expect(() => refuseSameConfigs(same, "s.json")).toThrow(/^s\.json: sweep\.b: points \(a=1, b="x"\) and \(a=1, b="y"\) give the same configuration/);
    const other = { values: { a: 2, b: "x" }, config: { ...p.config, slots: 4 } };
    expect(() => refuseSameConfigs([same[0], other], "s.json")).not.toThrow();
  });

  it("asserts that trial ids are unique after expansion", () => {
    const { points } = resolveScenario({ ...small, sweep: {} }, "s.json");
    expect(expandTrials("s", points, ["local"], [1, 2])).toHaveLength(2);
    // The same configuration twice would merge two trials' records into one.
    expect(() => expandTrials("s", [points[0], { ...points[0], values: { x: 2 } }], ["local"], [1])).toThrow(/two trials share the id/);
  });
});
