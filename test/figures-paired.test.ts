// The paired-difference figures: beside each figure of means, policy − reference seed by seed
// against the scenario's first reference, drawn from paired.csv's rows; none for a single
// policy, a reference-less list or a metric without finite pairs; file names safe for any
// policy name; drawn by run and redrawn by `twinedge plot` from scenario.json's reference.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { compile, type TopLevelSpec } from "vega-lite";
import { drawFigures, figureCsv, planFigures } from "../src/results/figures/index.js";
import { figureSpec, withInlineData } from "../src/results/figures/spec.js";
import { renderSvg } from "../src/results/figures/render-svg.js";
import { plotResultDir } from "../src/sweep/plot.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import { trialRecords, type Point } from "./figures-fixtures.js";

const root = mkdtempSync(join(tmpdir(), "twinedge-figpaired-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const POLICIES = ["local", "random", "greedy"];
const points: Point[] = [10, 20, 30].map((u) => ({ "users.perSite": u }));
/** Latency grows with the policy's index; tasks per trial depend on the seed only (the same worlds), so their differences are all 0. */
const recs = (policies: readonly string[]) =>
  trialRecords(points, policies, [1, 2, 3], (pt, policy, seed) => ({
    latencyS: 0.01 * (pt["users.perSite"] as number) * (1 + policies.indexOf(policy)) + 0.003 * ((seed * 7) % 5) * (policies.indexOf(policy) + 1),
    tasks: 100 * seed + (pt["users.perSite"] as number),
  }));

type Layer = { mark: { type: string }; encoding: Record<string, { field?: string; datum?: number; title?: string; scale?: { domain?: unknown[]; range?: string[] } } | null> };
const layersOf = (spec: unknown): Layer[] => ((spec as { layer?: Layer[] }).layer ?? (spec as { spec: { layer: Layer[] } }).spec.layer);

describe("planFigures", () => {
  it("pairs against the first reference only, wherever it stands in the policy list", () => {
    const plans = planFigures(recs(POLICIES), ["users.perSite"], POLICIES, ["greedy", "local"]);
    expect(plans.map((p) => p.name)).toEqual([
      "latencyS-vs-users.perSite", "latencyS-vs-users.perSite-diff-greedy",
      "tasks-vs-users.perSite", "tasks-vs-users.perSite-diff-greedy",
    ]);
    const spec = figureSpec(plans[1]);
    const line = layersOf(spec).find((l) => l.mark.type === "line")!;
    // local and random keep the colours they have in every other figure (the 1st and 2nd).
    expect(line.encoding.color!.scale).toEqual({ domain: ["local", "random"], range: ["#0072B2", "#D55E00"] });
    expect(line.encoding.y!.title).toBe("Average task latency (s) − greedy (paired)");
  });

  it("draws none for a single policy, or without a reference", () => {
    expect(planFigures(recs(["local"]), ["users.perSite"], ["local"], ["local"]).map((p) => p.name)).toEqual(["latencyS-vs-users.perSite", "tasks-vs-users.perSite"]);
    expect(planFigures(recs(POLICIES), ["users.perSite"], POLICIES, []).some((p) => p.name.includes("-diff-"))).toBe(false);
  });

  it("draws none for a metric whose pairs are never both finite", () => {
    const r = trialRecords(points, POLICIES, [1, 2], (pt, policy, seed) => ({
      latencyS: seed + POLICIES.indexOf(policy),
      ...(policy === "local" ? {} : { uploadRateBps: 1e6 * seed }),
    }));
    const names = planFigures(r, ["users.perSite"], POLICIES, ["local"]).map((p) => p.name);
    expect(names).toContain("uploadRateBps-vs-users.perSite");
    expect(names).toContain("latencyS-vs-users.perSite-diff-local");
    expect(names.filter((n) => n.startsWith("uploadRateBps"))).toEqual(["uploadRateBps-vs-users.perSite"]);
  });

  it("gives a difference nobody shows a y scale of [-1, 1], not an empty one", async () => {
    const plan = planFigures(recs(POLICIES), ["users.perSite"], POLICIES, ["local"]).find((p) => p.name === "tasks-vs-users.perSite-diff-local")!;
    expect(plan.table.rows.every((r) => r.stats.mean === 0 && r.stats.sd === 0)).toBe(true);
    const spec = figureSpec(plan);
    const line = layersOf(spec).find((l) => l.mark.type === "line")!;
    expect(line.encoding.y!.scale).toEqual({ domain: [-1, 1] });
    const svg = await renderSvg(withInlineData(spec, figureCsv(plan, ["users.perSite"])));
    for (const tick of ["−1.0", "0.0", "1.0"]) expect(svg).toContain(`>${tick}<`);
    // A real difference keeps the data's own scale.
    const latency = planFigures(recs(POLICIES), ["users.perSite"], POLICIES, ["local"]).find((p) => p.name === "latencyS-vs-users.perSite-diff-local")!;
    expect(layersOf(figureSpec(latency)).find((l) => l.mark.type === "line")!.encoding.y!.scale).toEqual({ zero: false, nice: true });
  });

  it("keeps file names safe and short for any policy name", () => {
    const long = `plug-${"x".repeat(200)}`;
    const odd = ["we/ird: näme", long, `${long}y`];
    for (const reference of odd) {
      const policies = ["local", reference];
      const names = planFigures(recs(policies), ["users.perSite"], policies, [reference]).map((p) => p.name).filter((n) => n.includes("-diff-"));
      expect(names).toHaveLength(2);
      for (const n of names) {
        expect(n).toMatch(/^[A-Za-z0-9._-]+$/);
        expect(n.length).toBeLessThanOrEqual("latencyS-vs-users.perSite-diff-".length + 48);
      }
    }
    const diffName = (reference: string) => planFigures(recs(["local", reference]), ["users.perSite"], ["local", reference], [reference])[1].name;
    expect(diffName("we/ird: näme")).toBe("latencyS-vs-users.perSite-diff-we_ird__n_me");
    // Two long names that share their first 48 characters still name different files.
    expect(diffName(long)).not.toBe(diffName(`${long}y`));
  });

  it("compiles without a vega-lite warning on every kind of axis", () => {
    const cases: [Point[], string[]][] = [[points, ["users.perSite"]], [[false, true].map((t) => ({ "auth.trustTransfer": t })), ["auth.trustTransfer"]], [[{}], []]];
    for (const [pts, axes] of cases) {
      const r = trialRecords(pts, POLICIES, [1, 2, 3], (_pt, policy, seed) => ({ latencyS: seed * (1 + POLICIES.indexOf(policy)) }));
      const plan = planFigures(r, axes, POLICIES, ["local"]).find((p) => p.name.endsWith("-diff-local"))!;
      const warnings: unknown[] = [];
      const logger = {
        level: () => logger, error: (...a: unknown[]) => { warnings.push(a); return logger; },
        warn: (...a: unknown[]) => { warnings.push(a); return logger; },
        info: () => logger, debug: () => logger,
      };
      compile(withInlineData(figureSpec(plan), figureCsv(plan, axes)) as TopLevelSpec, { logger: logger as never });
      expect(warnings, plan.name).toEqual([]);
    }
  });
});

describe("drawFigures", () => {
  it("writes a difference figure's five files with an odd reference name, and none for one policy", async () => {
    const policies = ["local", "we/ird: näme"];
    const dir = join(root, "odd");
    const r = trialRecords(points, policies, [1, 2], (_pt, policy, seed) => ({ latencyS: seed + policies.indexOf(policy) }));
    const written = await drawFigures(dir, r, ["users.perSite"], policies, [policies[1]]);
    const diff = written.filter((p) => p.includes("-diff-")).map((p) => p.slice(join(dir, "figures").length + 1));
    expect(diff.sort()).toEqual([".data.csv", ".pdf", ".png", ".svg", ".vl.json"].map((e) => `latencyS-vs-users.perSite-diff-we_ird__n_me${e}`));
    const svg = readFileSync(join(dir, "figures", "latencyS-vs-users.perSite-diff-we_ird__n_me.svg"), "utf8");
    expect(svg).toContain(">Average task latency (s) − we/ird: näme (paired)<");

    const one = join(root, "one");
    await drawFigures(one, recs(["local"]), ["users.perSite"], ["local"], ["local"]);
    expect(readdirSync(join(one, "figures")).filter((f) => f.includes("-diff-"))).toEqual([]);
  }, 120_000);
});

describe("run and plot", () => {
  it("draw the differences from the scenario's reference, with paired.csv's rows, the same bytes both ways", async () => {
    const scenario = join(root, "s.json");
    writeFileSync(scenario, JSON.stringify({
      name: "figpaired", slots: 12, seeds: [1, 2, 3], policies: ["local", "random", "greedy"], reference: ["greedy", "local"],
      sites: { count: 3 }, sweep: { "users.perSite": [2, 4, 6] },
    }));
    const out = join(root, "run");
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await runSweep(scenario, { out, backend: "js", threads: 1, progress: false });
    const figDir = join(out, "figures");
    const diffFiles = () => readdirSync(figDir).filter((f) => f.includes("-diff-")).sort();
    const drawn = diffFiles();
    expect(drawn).toContain("latencyS-vs-users.perSite-diff-greedy.svg");
    expect(drawn.every((f) => f.includes("-diff-greedy."))).toBe(true);

    // Every difference figure's data are paired.csv's rows of greedy and its metric.
    const paired = readFileSync(join(out, "paired.csv"), "utf8").trimEnd().split("\n");
    const dataFiles = drawn.filter((f) => f.endsWith(".data.csv"));
    expect(dataFiles.length).toBeGreaterThan(3);
    for (const f of dataFiles) {
      const metric = f.split("-vs-")[0];
      const rows = paired.slice(1).filter((l) => l.split(",")[2] === "greedy" && l.split(",")[3] === metric);
      expect(rows.map((l) => l.split(",")[1])).toEqual(["local", "random", "local", "random", "local", "random"]);
      expect(readFileSync(join(figDir, f), "utf8"), f).toBe(`${[paired[0], ...rows].join("\n")}\n`);
    }

    const before = new Map(drawn.map((f) => [f, readFileSync(join(figDir, f))]));
    rmSync(figDir, { recursive: true });
    const files = await plotResultDir(out, {}, () => {});
    expect(files.filter((p) => p.includes("-diff-")).length).toBe(drawn.length);
    expect(diffFiles()).toEqual(drawn);
    for (const [f, bytes] of before) expect(readFileSync(join(figDir, f)).equals(bytes), f).toBe(true);
    expect(existsSync(join(figDir, "latencyS-vs-users.perSite-diff-local.svg"))).toBe(false);

    // A hand-edited reference that no longer names the folder's policies is refused, naming the field.
    const stored = JSON.parse(readFileSync(join(out, "scenario.json"), "utf8"));
    for (const reference of ["nope", 7, [], ["greedy", "nope"]]) {
      writeFileSync(join(out, "scenario.json"), JSON.stringify({ ...stored, reference }));
      await expect(plotResultDir(out, {}, () => {})).rejects.toThrow(/reference: expected one of the folder's policies/);
    }
    vi.restoreAllMocks();
  }, 300_000);
});
