// merge and plot read the records themselves: checked as run checks them, conflicting
// duplicates refused, an --out of another scenario refused, and a scenario.json with a
// field today's schema does not know still merges and plots.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { sealRecord } from "../src/results/record-file.js";
import { mergeResults } from "../src/sweep/merge.js";
import { plotResultDir } from "../src/sweep/plot.js";
import { recordHash, runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const small = { name: "mrg", slots: 12, seeds: [1, 2], policies: ["local", "greedy"], sites: { count: 3 }, sweep: { "users.perSite": [2, 4] } };
function scenarioFile(content: object = small): string {
  const f = join(tmp("scn"), "s.json");
  writeFileSync(f, JSON.stringify(content));
  return f;
}
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const sweep = (f: string, out: string, index?: number) =>
  runSweep(f, { out, backend: "js", threads: 1, progress: false, figures: false, shard: index === undefined ? undefined : { index, count: 2 } });
const quiet = () => vi.spyOn(process.stderr, "write").mockImplementation(() => true);

async function shards(content: object = small) {
  const f = scenarioFile(content);
  const whole = tmp("whole"), s0 = tmp("s0"), s1 = tmp("s1");
  await sweep(f, whole);
  const a = await sweep(f, s0, 0);
  const b = await sweep(f, s1, 1);
  return { f, whole, s0, s1, a, b };
}

describe("merge", () => {
  it("refuses two valid records of one trial that differ (today the first folder listed wins)", async () => {
    const { s0, s1, a } = await shards();
    const r = a.records[0];
    if (r.status !== "ok") throw new Error("expected an ok record");
    const other = sealRecord({ ...r, metrics: { ...r.metrics, latencyS: (r.metrics.latencyS ?? 0) + 1 } }, recordHash);
    writeFileSync(join(s1, "trials", `${r.id}.json`), `${JSON.stringify(other, null, 2)}\n`);
    expect(() => mergeResults(join(tmp("m"), "m"), [s0, s1])).toThrow(/1 trial\(s\) have conflicting records, e\.g\. .*differ/);
    // An identical duplicate is no conflict.
    writeFileSync(join(s1, "trials", `${r.id}.json`), read(s0, `trials/${r.id}.json`));
    expect(mergeResults(join(tmp("m"), "m"), [s0, s1]).records).toHaveLength(8);
  });

  it("refuses an --out that holds another scenario's results", async () => {
    const { s0, s1 } = await shards();
    const out = tmp("other");
    await sweep(scenarioFile({ ...small, seeds: [7] }), out);
    const before = read(out, "summary.csv");
    expect(() => mergeResults(out, [s0, s1])).toThrow(/holds the results of a different scenario/);
    expect(read(out, "summary.csv")).toBe(before);
  });

  it("leaves out (and names) a record that fails its checks, so the trial counts as missing", async () => {
    const { s0, s1, a } = await shards();
    const victim = a.records[1];
    writeFileSync(join(s0, "trials", `${victim.id}.json`), read(s0, `trials/${victim.id}.json`).replace(/"seed": (\d)/, "\"seed\": 9$1"));
    const lines: string[] = [];
    expect(() => mergeResults(join(tmp("m"), "m"), [s0, s1], (l) => lines.push(l))).toThrow(/1 of 8 trials are in none of the folders/);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`trials/${victim.id}\\.json: .*; left out$`))]);
  });

  it("and plot work on a folder whose scenario.json has a field today's schema does not know", async () => {
    const { whole, s0, s1 } = await shards();
    for (const d of [s0, s1, whole]) {
      const s = JSON.parse(read(d, "scenario.json"));
      writeFileSync(join(d, "scenario.json"), JSON.stringify({ ...s, addedLater: { knob: 3 } }, null, 2));
    }
    const merged = join(tmp("m"), "m");
    mergeResults(merged, [s1, s0]);
    // The topology data too: every shard wrote the whole scenario's, the merged folder has the same.
    for (const file of ["summary.csv", "paired.csv", "trials.jsonl", "sites.csv", "layouts.csv", "users-snapshot.csv"]) expect(read(merged, file), file).toBe(read(whole, file));
    expect(readdirSync(join(merged, "trials")).sort()).toEqual(readdirSync(join(whole, "trials")).sort());
    const files = await plotResultDir(whole);
    expect(files.some((p) => p.endsWith("latencyS-vs-users.perSite.svg"))).toBe(true);
    // No reference in scenario.json: the differences are taken from its first policy.
    expect(files.some((p) => p.endsWith("latencyS-vs-users.perSite-diff-local.svg"))).toBe(true);
  }, 180_000);
});

describe("merge and the shards' topology files", () => {
  it("refuses (writing nothing) shards of which some have sites.csv and others not; merges shards that all lack it, saying so", async () => {
    const { s0, s1, whole } = await shards();
    rmSync(join(s1, "sites.csv"));
    const out = join(tmp("m"), "m");
    expect(() => mergeResults(out, [s0, s1], () => {})).toThrow(new RegExp(`${s0}/sites\\.csv exists but ${s1}/sites\\.csv does not: the shards were written by different twinedge versions`));
    expect(existsSync(out)).toBe(false);
    // Differing files are refused before anything is written too.
    writeFileSync(join(s1, "sites.csv"), read(s0, "sites.csv").replace("\nL1,", "\nL1,1"));
    expect(() => mergeResults(out, [s0, s1], () => {})).toThrow(/sites\.csv differ: the shards did not run the same worlds/);
    expect(existsSync(out)).toBe(false);
    // An --out that exists keeps what it held.
    const held = tmp("held");
    writeFileSync(join(held, "keep.txt"), "mine");
    expect(() => mergeResults(held, [s0, s1], () => {})).toThrow(/differ/);
    expect(readdirSync(held)).toEqual(["keep.txt"]);
    // Every shard without it: merged without it, and a line says so.
    rmSync(join(s0, "sites.csv"));
    rmSync(join(s1, "sites.csv"));
    const lines: string[] = [];
    mergeResults(out, [s0, s1], (l) => lines.push(l));
    expect(lines).toEqual(["merge: no shard has sites.csv (written by an older twinedge); the merged folder has none"]);
    expect(existsSync(join(out, "sites.csv"))).toBe(false);
    for (const file of ["summary.csv", "layouts.csv", "users-snapshot.csv"]) expect(read(out, file), file).toBe(read(whole, file));
  }, 120_000);
});

describe("plot", () => {
  it("leaves out a record without metrics, says so, and draws the rest (today: a stack trace)", async () => {
    const out = tmp("plot");
    const r = await sweep(scenarioFile({ ...small, sweep: {}, seeds: [1] }), out);
    const victim = r.records[0];
    const { metrics: _m, ...rest } = victim as typeof victim & { metrics: unknown };
    writeFileSync(join(out, "trials", `${victim.id}.json`), JSON.stringify(rest));
    rmSync(join(out, "figures"), { recursive: true, force: true });
    const lines: string[] = [];
    quiet();
    const files = await plotResultDir(out, {}, (l) => lines.push(l));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`trials/${victim.id}\\.json: not a trial record \\(.*\\); left out$`))]);
    expect(files.length).toBeGreaterThan(0);
    expect(readFileSync(files.find((p) => p.endsWith("latencyS-by-policy.data.csv"))!, "utf8")).not.toContain(`${victim.policy},`);
  }, 180_000);
});
