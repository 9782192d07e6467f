import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const twinedge = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd });

describe("twinedge run", () => {
  it("writes scenario.json, manifest.json, trials.jsonl, trials/ and a tidy summary.csv", () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-run-"));
    const scenario = join(dir, "sweep.json");
    writeFileSync(scenario, JSON.stringify({ name: "tiny", slots: 12, seeds: [1, 2], policies: ["local", "greedy"], sites: { count: 4 }, sweep: { "users.perSite": [3, 6] } }));
    const out = join(dir, "out");
    const r = twinedge(["run", scenario, "--out", out, "--backend", "js"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(r.stderr).toMatch(/8\/8 trials, 0 failed/);
    expect(readdirSync(out).sort()).toEqual(["figures", "layouts.csv", "manifest.json", "paired.csv", "scenario.json", "sites.csv", "summary.csv", "trials", "trials.jsonl", "users-snapshot.csv"]);
    expect(readdirSync(join(out, "figures"))).toContain("latencyS-vs-users.perSite.svg");
    // One site layout (the sweep changes only the users): one topology figure.
    expect(readdirSync(join(out, "figures")).filter((f) => f.startsWith("topology") && f.endsWith(".svg"))).toEqual(["topology.svg"]);
    // Beside it the paired difference from the first policy (the scenario names no reference).
    expect(readdirSync(join(out, "figures"))).toContain("latencyS-vs-users.perSite-diff-local.svg");

    const trials = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(trials).toHaveLength(2 * 2 * 2);
    expect(readdirSync(join(out, "trials")).sort()).toEqual(trials.map((t) => `${t.id}.json`).sort());
    expect(trials[0]).toMatchObject({ scenario: "tiny", point: { "users.perSite": 3 }, policy: "local", seed: 1, backend: "js", status: "ok", users: 12, sites: 4 });
    expect(Object.keys(trials[0].metrics)).toEqual(expect.arrayContaining(["latencyS", "deadlineMissRate", "offloadRatio"]));

    const csv = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("users.perSite,policy,metric,n,mean,sd,ci95Low,ci95High");
    const row = csv.find((l) => l.startsWith("6,greedy,latencyS,"))!.split(",");
    const xs = trials.filter((t) => t.point["users.perSite"] === 6 && t.policy === "greedy").map((t) => t.metrics.latencyS);
    expect(Number(row[3])).toBe(2);
    expect(Number(row[4])).toBeCloseTo((xs[0] + xs[1]) / 2, 12);
    const sd = Math.abs(xs[0] - xs[1]) / Math.SQRT2;
    expect(Number(row[5])).toBeCloseTo(sd, 12);
    expect(Number(row[7]) - Number(row[4])).toBeCloseTo((12.706204736174705 * sd) / Math.SQRT2, 9);

    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ scenario: "tiny", seeds: [1, 2], backend: "js", axes: ["users.perSite"], shard: "0/1", trials: { expected: 8, done: 8, failed: 0, reused: 0, computed: 8 } });
    expect(manifest.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.wasmSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.versions.node).toBe(process.version);
    expect(typeof manifest.wallTimeS).toBe("number");
    expect(JSON.parse(readFileSync(join(out, "scenario.json"), "utf8")).tasks.arrivalRate).toBe(0.1);
  });

  it("defaults to a new folder under results/", () => {
    const cwd = mkdtempSync(join(tmpdir(), "twinedge-cwd-"));
    writeFileSync(join(cwd, "s.json"), JSON.stringify({ slots: 3, seeds: 1, policies: ["local"], users: { total: 5 }, sites: { count: 2 } }));
    const r = twinedge(["run", "s.json", "--quiet"], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^results[/\\]s-\d{8}-\d{6}$/);
    expect(existsSync(join(cwd, r.stdout.trim(), "summary.csv"))).toBe(true);
  });

  it("refuses a malformed scenario with the field's path, a non-zero exit and nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-bad-"));
    const cases: [object | string, RegExp][] = [
      [{ sites: { count: -3 } }, /sites\.count: expected a positive integer/],
      [{ policies: ["local", "bogus"] }, /policies\[1\]: expected one of/],
      [{ users: { perSite: 10, speed: 3 } }, /users\.speed: unknown field/],
      [{ sweep: { "tasks.arrivalRate": [0.1, 0.9] } }, /sweep point \(tasks\.arrivalRate=0\.9\): tasks\.arrivalRate: expected a number in \(0, 0\.2\]/],
      ["{ \"slots\": ", /not valid JSON/],
    ];
    cases.forEach(([content, message], k) => {
      const f = join(dir, `bad${k}.json`);
      writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
      const out = join(dir, `out${k}`);
      const r = twinedge(["run", f, "--out", out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
    const badBackend = twinedge(["run", join(ROOT, "scenarios", "quick.json"), "--backend", "gpu", "--out", join(dir, "o")]);
    expect(badBackend.status).not.toBe(0);
    expect(badBackend.stderr).toMatch(/--backend/);
    expect(existsSync(join(dir, "o"))).toBe(false);
  });

  it("validate reports the expansion; schema prints the JSON Schema", () => {
    const v = twinedge(["validate", join(ROOT, "scenarios", "quick.json")]);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/1 point\(s\) x 4 policies x 3 seeds = 12 trials/);
    const s = twinedge(["schema"]);
    expect(JSON.parse(s.stdout).title).toBe("twinedge scenario");
  });
});
