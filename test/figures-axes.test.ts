// Categorical axes (strings, booleans, fewer than three numbers) are drawn as points with
// error bars, never as lines with bands; three or more numbers keep the line and its band.
import { describe, expect, it } from "vitest";
import { compile, type TopLevelSpec } from "vega-lite";
import { axisInfo } from "../src/results/figures/data.js";
import { figureCsv, planFigures } from "../src/results/figures/index.js";
import { renderSvg } from "../src/results/figures/render-svg.js";
import { layoutOf } from "../src/results/figures/size.js";
import { figureSpec, withInlineData } from "../src/results/figures/spec.js";
import { trialRecords, type Point } from "./figures-fixtures.js";

const POLICIES = ["local", "greedy"];

function latencyPlan(axis: string, values: readonly (number | string | boolean)[]) {
  const points: Point[] = values.map((v) => ({ [axis]: v }));
  const recs = trialRecords(points, POLICIES, [1, 2, 3], (_pt, policy, seed) => ({ latencyS: 0.1 * (1 + POLICIES.indexOf(policy)) + 0.01 * seed }));
  const plan = planFigures(recs, [axis], POLICIES, [], layoutOf("screen")).find((p) => p.table.metric === "latencyS")!;
  return { recs, plan, spec: figureSpec(plan) as unknown as { layer?: { mark: { type: string } }[]; spec?: { layer: { mark: { type: string } }[] } } };
}

/** The mark types of the compiled vega spec, nested groups included. */
function vegaMarkTypes(spec: TopLevelSpec): string[] {
  const out: string[] = [];
  const walk = (marks: { type: string; marks?: unknown[] }[] | undefined): void => {
    for (const m of marks ?? []) {
      out.push(m.type);
      walk(m.marks as never);
    }
  };
  walk(compile(spec).spec.marks as never);
  return out;
}

const CATEGORICAL: [string, string, (number | string | boolean)[]][] = [
  ["a boolean axis", "auth.trustTransfer", [false, true]],
  ["a string axis", "migration.mode", ["relay", "reactive", "proactive"]],
  ["a numeric axis with two values", "users.perSite", [20, 10]],
];

describe.each(CATEGORICAL)("%s", (_name, axis, values) => {
  const { recs, plan, spec } = latencyPlan(axis, values);

  it("is categorical", () => {
    expect(axisInfo(recs, axis).kind).toBe("categorical");
  });

  it("draws points with error bars, and no line or band", () => {
    const types = spec.layer!.map((l) => l.mark.type);
    expect(types).toContain("point");
    expect(types).toContain("errorbar");
    expect(types).not.toContain("area");
    expect(types).not.toContain("line");
    const vg = vegaMarkTypes(spec as TopLevelSpec);
    expect(vg).toContain("symbol");
    expect(vg).toContain("rule");
    expect(vg).not.toContain("area");
    expect(vg).not.toContain("line");
  });

  it("renders an SVG with points and error-bar rules, and no area or line", async () => {
    const svg = await renderSvg(withInlineData(spec as TopLevelSpec, figureCsv(plan, [axis])));
    expect(svg).toContain("mark-symbol");
    expect(svg).toContain("mark-rule");
    expect(svg).not.toContain("mark-area");
    expect(svg).not.toContain("mark-line");
  });
});

describe("a numeric axis with three values", () => {
  const { recs, spec } = latencyPlan("users.perSite", [30, 10, 20]);

  it("is quantitative, its values ascending, with a line and its band", () => {
    expect(axisInfo(recs, "users.perSite")).toMatchObject({ kind: "quantitative", values: [10, 20, 30] });
    expect(spec.layer!.map((l) => l.mark.type)).toEqual(["area", "line", "point"]);
  });
});

describe("two numeric values as categories", () => {
  it("are ordered ascending, whatever order the sweep listed them in", () => {
    const { recs, spec } = latencyPlan("users.perSite", [20, 10]);
    expect(axisInfo(recs, "users.perSite").values).toEqual([10, 20]);
    const x = (spec as unknown as { encoding: { x: { scale: { domain: string[] } } } }).encoding.x;
    expect(x.scale.domain).toEqual(["10", "20"]);
  });
});

describe("a categorical axis as panels", () => {
  it("labels the panels with its values, and the x axis stays a line", async () => {
    const points: Point[] = [10, 20, 30].flatMap((u) => [false, true].map((t) => ({ "users.perSite": u, "auth.trustTransfer": t })));
    const recs = trialRecords(points, POLICIES, [1, 2], (pt, policy, seed) => ({ latencyS: 0.01 * (pt["users.perSite"] as number) + 0.01 * seed + POLICIES.indexOf(policy) }));
    const plan = planFigures(recs, ["users.perSite", "auth.trustTransfer"], POLICIES, []).find((p) => p.name === "latencyS-vs-users.perSite")!;
    const spec = figureSpec(plan);
    const svg = await renderSvg(withInlineData(spec, figureCsv(plan, ["users.perSite", "auth.trustTransfer"])));
    expect(svg).toContain(">Trust transfer: false<");
    expect(svg).toContain(">Trust transfer: true<");
    expect(svg).toContain("mark-area");
  });
});
