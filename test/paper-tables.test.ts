// scripts/paper-tables.mjs prints docs/model.md's experiment tables from a result folder: its
// cells must be the folder's summary.csv means and paired.csv differences, and bad usage exits 2.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: "utf8", cwd: ROOT });
const csv = (path: string) => {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const keys = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, k) => [keys[k], v])));
};

describe("scripts/paper-tables.mjs", () => {
  it("prints the folder's means and paired differences", () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-tables-"));
    writeFileSync(join(dir, "s.json"), JSON.stringify({ name: "t", seeds: 3, policies: ["local", "greedy", "il"], slots: 20, warmupSlots: 2, learning: { episodes: 4, slotsPerEpisode: 5, heldOut: { every: 2, slots: 5 } }, sweep: { "users.perSite": [4, 8] } }));
    const run = node([join(ROOT, "bin", "twinedge.js"), "run", join(dir, "s.json"), "--out", join(dir, "o"), "--no-figures", "--quiet"]);
    expect(run.status, run.stderr).toBe(0);
    const r = node([join(ROOT, "scripts", "paper-tables.mjs"), join(dir, "o"), "--pairs", "greedy-local"]);
    expect(r.status, r.stderr).toBe(0);
    const [means, diffs] = r.stdout.trim().split("\n\n").map((t) => t.split("\n").slice(2).map((l) => l.split("|").map((c) => c.trim()).slice(1, -1)));
    const summary = csv(join(dir, "o", "summary.csv")).filter((x) => x.metric === "latencyS");
    const paired = csv(join(dir, "o", "paired.csv")).filter((x) => x.metric === "latencyS" && x.policy === "greedy" && x.reference === "local");
    expect(means).toHaveLength(2);
    // Then the learner's training curves: its reward windows and held-out evaluations, per point.
    const curves = r.stdout.trim().split("\n\n").slice(2).join("\n");
    expect(curves).toMatch(/users\.perSite = 4, il \(3 seeds\): training reward per agent-step, 1-4: /);
    expect(curves).toMatch(/held-out latencyS: 2: \d\.\d{3}, 4: \d\.\d{3}/);
    for (const [k, users] of ["4", "8"].entries()) {
      const greedy = summary.find((x) => x["users.perSite"] === users && x.policy === "greedy")!;
      expect(means[k][2]).toBe(Number(greedy.mean).toFixed(3));
      const p = paired.find((x) => x["users.perSite"] === users)!;
      const lower = Math.round(Number(p.shareLower) * 3);
      expect(diffs[k][1]).toContain(`${Math.abs(Number(p.meanDiff)).toFixed(3)} [`);
      expect(diffs[k][1]).toContain(`(${lower}/3)`);
    }
  });

  it("exits 2 without a folder", () => {
    expect(node([join(ROOT, "scripts", "paper-tables.mjs")]).status).toBe(2);
  });
});
