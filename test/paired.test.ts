// paired.csv: each policy's difference from each reference policy, taken seed by seed (the
// same worlds), as a mean, sd, 95 % t-interval and the share of seeds where it is lower.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS, type Metrics, type TrialRecord } from "../src/contracts/record.js";
import { pairedCsv } from "../src/results/paired.js";
import { ROOT } from "../src/paths.js";
import { resolveScenario } from "../src/sweep/load.js";

function rec(policy: string, seed: number, latencyS: number | null, point = 10, status: "ok" | "failed" = "ok"): TrialRecord {
  const metrics = Object.fromEntries(METRICS.map((m) => [m, null])) as Metrics;
  metrics.latencyS = latencyS;
  const base = { id: `${policy}${seed}${point}`, scenario: "s", pointIndex: 0, point: { "users.perSite": point }, policy, seed, config: {}, backend: "js" as const, codeHash: "x", wasmSha256: null };
  return status === "ok" ? { ...base, status, users: 1, sites: 1, slots: 1, metrics } : { ...base, status, error: "boom" };
}

const rows = (csv: string) => csv.trim().split("\n").map((l) => l.split(","));

describe("paired differences", () => {
  it("pairs by seed: mean, sd, t-interval and share lower of policy - reference", () => {
    const trials = [rec("a", 1, 1.0), rec("a", 2, 2.0), rec("a", 3, 4.0), rec("b", 1, 1.5), rec("b", 2, 1.0), rec("b", 3, 5.0)];
    const r = rows(pairedCsv(trials, ["users.perSite"], ["b"]));
    expect(r[0]).toEqual(["users.perSite", "policy", "reference", "metric", "n", "meanDiff", "sdDiff", "ci95Low", "ci95High", "shareLower"]);
    const lat = r.filter((x) => x[3] === "latencyS");
    expect(lat.map((x) => x.slice(0, 3))).toEqual([["10", "a", "b"]]); // b is not paired with itself
    const d = [-0.5, 1.0, -1.0], mean = (d[0] + d[1] + d[2]) / 3, sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const [n, m, s, lo, hi, share] = lat[0].slice(4).map(Number);
    expect(n).toBe(3);
    expect(m).toBeCloseTo(mean, 12);
    expect(s).toBeCloseTo(sd, 12);
    expect(hi - m).toBeCloseTo((4.302652729749464 * sd) / Math.sqrt(3), 9); // t(0.975, 2)
    expect(m - lo).toBeCloseTo(hi - m, 12);
    expect(share).toBeCloseTo(2 / 3, 12);
    // A metric no trial has: n 0, empty statistics.
    expect(r.find((x) => x[3] === "reward")!.slice(4)).toEqual(["0", "", "", "", "", ""]);
  });

  it("leaves out seeds where either trial failed or lacks the value, and pairs only within a point", () => {
    const trials = [
      rec("a", 1, 1), rec("a", 2, 3), rec("a", 3, 0, 10, "failed"), rec("a", 4, null), rec("a", 5, 9),
      rec("b", 1, 2), rec("b", 2, 1), rec("b", 3, 1), rec("b", 4, 1),
      rec("a", 1, 100, 20), rec("b", 1, 0, 20),
    ];
    const r = rows(pairedCsv(trials, ["users.perSite"], ["a", "b"])).filter((x) => x[3] === "latencyS");
    expect(r.map((x) => x.slice(0, 5))).toEqual([["10", "a", "b", "latencyS", "2"], ["10", "b", "a", "latencyS", "2"], ["20", "a", "b", "latencyS", "1"], ["20", "b", "a", "latencyS", "1"]]);
    expect(Number(r[0][5])).toBeCloseTo(((1 - 2) + (3 - 1)) / 2, 12);
    expect(Number(r[1][5])).toBeCloseTo(-Number(r[0][5]), 12);
    expect(r[2].slice(5)).toEqual(["100", "", "", "", "0"]); // one pair: no sd or interval
  });

  it("takes references from the scenario, validated against its policies, and leaves trial ids alone", () => {
    const raw = { slots: 5, seeds: 2, policies: ["local", "greedy"], sites: { count: 2 }, users: { perSite: 2 } };
    const ids = (extra: object) => resolveScenario({ ...raw, ...extra }, "s.json").trials.map((t) => t.id);
    expect(ids({ reference: "greedy" })).toEqual(ids({}));
    expect(() => resolveScenario({ ...raw, reference: ["greedy", "il"] }, "s.json")).toThrow(/reference\[1\]: expected one of this scenario's policies \(local, greedy\), got "il"/);
    expect(() => resolveScenario({ ...raw, reference: 3 }, "s.json")).toThrow(/reference: expected a policy name or a list of them/);
  });

  it("is written by twinedge run, against the scenario's reference", () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-paired-"));
    const scenario = join(dir, "s.json");
    writeFileSync(scenario, JSON.stringify({ name: "p", slots: 12, seeds: [1, 2, 3], policies: ["local", "random", "greedy"], reference: "local", sites: { count: 3 }, users: { perSite: 4 } }));
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", scenario, "--out", out, "--backend", "js", "--no-figures", "--quiet"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const paired = rows(readFileSync(join(out, "paired.csv"), "utf8"));
    expect(paired[0].slice(0, 3)).toEqual(["policy", "reference", "metric"]);
    const lat = paired.filter((x) => x[2] === "latencyS");
    expect(lat.map((x) => `${x[0]}-${x[1]}`)).toEqual(["random-local", "greedy-local"]);
    const trials = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const of = (p: string) => [1, 2, 3].map((s) => trials.find((t) => t.policy === p && t.seed === s).metrics.latencyS as number);
    const d = of("greedy").map((g, k) => g - of("local")[k]);
    expect(Number(lat[1][4])).toBeCloseTo((d[0] + d[1] + d[2]) / 3, 12);
    expect(Number(lat[1][8])).toBeCloseTo(d.filter((x) => x < 0).length / 3, 12);
  });
});
