import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import type { TrialRecord } from "../src/contracts/record.js";
import { resolveScenario } from "../src/sweep/load.js";
import { mergeResults } from "../src/sweep/merge.js";
import { runTrials } from "../src/sweep/pool.js";
import { Progress } from "../src/sweep/progress.js";
import { sealRecord } from "../src/results/record-file.js";
import { recordHash, runSweep } from "../src/sweep/run-sweep.js";
import { inShard, parseShard, shardFromEnv } from "../src/sweep/shard.js";
import { InputError } from "../src/validation.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const twinedge = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });

const small = { name: "small", slots: 15, seeds: [1, 2, 3], policies: ["local", "nearest", "greedy"], sites: { count: 4 }, sweep: { "users.perSite": [3, 6] } };
function scenarioFile(content: object = small): string {
  const f = join(tmp("scn"), "s.json");
  writeFileSync(f, JSON.stringify(content));
  return f;
}
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

describe("shards", () => {
  it("cover each trial exactly once for every n from 1 to 16", () => {
    const rng = seedrandom.alea("shards");
    for (let n = 1; n <= 16; n++) {
      for (const total of [0, 1, n - 1, n, n + 1, 37, Math.floor(rng() * 200)]) {
        const hits = new Array(total).fill(0);
        for (let i = 0; i < n; i++) for (let k = 0; k < total; k++) if (inShard(k, { index: i, count: n })) hits[k]++;
        expect(hits.every((h) => h === 1)).toBe(true);
      }
    }
  });

  it("parses i/n and the cluster environments, refusing bad shares with the source named", () => {
    expect(parseShard("1/3")).toEqual({ index: 1, count: 3 });
    for (const bad of ["3/3", "2/1", "1/0", "a/b", "-1/2", "1"]) expect(() => parseShard(bad)).toThrow(/--shard: expected I\/N/);
    expect(shardFromEnv({})).toBeUndefined();
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_COUNT: "2" })).toEqual({ index: 1, count: 2 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: "2", TWINEDGE_SHARD_COUNT: "3" })).toEqual({ index: 2, count: 3 });
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: "2" })).toThrow(/TWINEDGE_SHARD_COUNT/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: "7", SLURM_ARRAY_TASK_COUNT: "2" })).toThrow(InputError);
  });

  it("shards 0/2 and 1/2, merged, equal the unsharded sweep byte for byte", async () => {
    const f = scenarioFile();
    const whole = tmp("whole"), s0 = tmp("s0"), s1 = tmp("s1"), merged = join(tmp("merged"), "m");
    await runSweep(f, { out: whole, backend: "wasm", threads: 2, progress: false });
    // Worker threads run dist/ as the CLI does: the code hash (of the modules that run) is the same in every folder.
    const a = await runSweep(f, { out: s0, backend: "wasm", threads: 2, shard: { index: 0, count: 2 }, progress: false });
    const b = await runSweep(f, { out: s1, backend: "wasm", threads: 2, shard: { index: 1, count: 2 }, progress: false });
    expect(a.records.length + b.records.length).toBe(2 * 3 * 3);
    expect(a.records.length).toBe(9);
    mergeResults(merged, [s1, s0]);
    for (const file of ["summary.csv", "trials.jsonl", "scenario.json"]) expect(read(merged, file), file).toBe(read(whole, file));
    expect(readdirSync(join(merged, "trials")).sort()).toEqual(readdirSync(join(whole, "trials")).sort());
    expect(JSON.parse(read(merged, "manifest.json")).mergedFrom).toHaveLength(2);
  });

  it("merge refuses shards of different scenarios and incomplete sets, naming what is wrong", async () => {
    const s0 = tmp("s0"), other = tmp("other");
    await runSweep(scenarioFile(), { out: s0, backend: "js", threads: 1, shard: { index: 0, count: 2 }, progress: false });
    await runSweep(scenarioFile({ ...small, slots: 16 }), { out: other, backend: "js", threads: 1, shard: { index: 1, count: 2 }, progress: false });
    expect(() => mergeResults(join(tmp("m"), "m"), [s0, other])).toThrow(/a different scenario/);
    expect(() => mergeResults(join(tmp("m"), "m"), [s0])).toThrow(/9 of 18 trials are in none of the folders/);
    expect(() => mergeResults(join(tmp("m"), "m"), [tmp("empty")])).toThrow(/scenario\.json: missing/);
  });
});

describe("nothing lost", () => {
  it("after kill -9 mid-sweep, a rerun recomputes only the missing trials and writes a byte-identical summary", async () => {
    const f = scenarioFile({ ...small, slots: 150, seeds: 4, sweep: { "users.perSite": [10, 20] } });
    const reference = tmp("ref");
    // On worker threads, which run dist/ like the CLI below, so the records name the same code.
    await runSweep(f, { out: reference, backend: "wasm", threads: 2, progress: false });
    const out = tmp("killed");
    const child = spawn(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", f, "--out", out, "--threads", "1", "--quiet"], { stdio: "ignore" });
    const trialsDir = join(out, "trials");
    const count = () => (existsSync(trialsDir) ? readdirSync(trialsDir).filter((n) => n.endsWith(".json")).length : 0);
    const deadline = Date.now() + 30_000;
    while (count() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const before = count();
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(24);
    expect(existsSync(join(out, "summary.csv"))).toBe(false);

    const r = twinedge(["run", f, "--out", out, "--threads", "2", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(read(out, "manifest.json"));
    expect(manifest.trials).toMatchObject({ expected: 24, reused: before, computed: 24 - before, failed: 0 });
    expect(read(out, "summary.csv")).toBe(read(reference, "summary.csv"));
    expect(read(out, "trials.jsonl")).toBe(read(reference, "trials.jsonl"));
    expect(readdirSync(trialsDir).some((n) => n.endsWith(".tmp"))).toBe(false);
  });

  it("never reuses a record computed by other code or another backend", async () => {
    const f = scenarioFile({ ...small, seeds: [1], sweep: {} });
    const out = tmp("reuse");
    const first = await runSweep(f, { out, backend: "js", threads: 1, progress: false });
    expect(first.computed).toBe(3);
    expect((await runSweep(f, { out, backend: "js", threads: 1, progress: false })).reused).toBe(3);
    const victim = first.records[1];
    // Sealed with a valid digest: only the code hash says it is stale.
    writeFileSync(join(out, "trials", `${victim.id}.json`), JSON.stringify(sealRecord({ ...victim, codeHash: "0000000000000000" }, recordHash)));
    const again = await runSweep(f, { out, backend: "js", threads: 1, progress: false });
    expect([again.reused, again.computed]).toEqual([2, 1]);
    expect((await runSweep(f, { out, backend: "wasm", threads: 1, progress: false })).computed).toBe(3);
  });

  it("refuses to resume a folder that holds another scenario's results", async () => {
    const out = tmp("other");
    await runSweep(scenarioFile({ ...small, seeds: [1], sweep: {} }), { out, backend: "js", threads: 1, progress: false });
    await expect(runSweep(scenarioFile({ ...small, seeds: [2], sweep: {} }), { out, backend: "js", threads: 1, progress: false }))
      .rejects.toThrow(/holds the results of a different scenario/);
  });

  it("records a trial that throws as failed, with its error, and goes on", async () => {
    const { trials } = resolveScenario({ ...small, seeds: [1], policies: ["local"], sweep: {} }, "s.json");
    const broken = { ...trials[0], id: "broken", config: { ...trials[0].config, mobility: { model: "teleport" } } } as unknown as typeof trials[0];
    for (const threads of [1, 2]) {
      const got: TrialRecord[] = [];
      await runTrials([broken, trials[0]], "wasm", threads, (r) => got.push(r.record));
      const failed = got.find((r) => r.id === "broken")!;
      expect(failed.status).toBe("failed");
      expect(failed.status === "failed" && failed.error).toMatch(/\S/);
      expect(got.find((r) => r.id === trials[0].id)!.status).toBe("ok");
    }
  });
});

describe("bad sweeps fail before any trial runs", () => {
  const cases: [string, object | undefined, string[], NodeJS.ProcessEnv, RegExp][] = [
    ["empty axis", { ...small, sweep: { "users.perSite": [] } }, [], {}, /sweep\.users\.perSite: expected a non-empty list/],
    ["unknown policy", { ...small, policies: ["local", "jal2"] }, [], {}, /policies\[1\]: expected one of/],
    ["bad --shard", small, ["--shard", "2/2"], {}, /--shard: expected I\/N with 0 <= I < N, got "2\/2"/],
    ["bad Slurm share", small, [], { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "2" }, /SLURM_ARRAY_TASK_ID: expected I\/N/],
    ["bad --threads", small, ["--threads", "0"], {}, /--threads: expected a positive integer/],
  ];
  for (const [what, content, args, env, message] of cases) {
    it(what, () => {
      const out = join(tmp("bad"), "out");
      const r = twinedge(["run", scenarioFile(content), "--out", out, ...args], env);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("progress", () => {
  const sink = (tty: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY: tty, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
  };
  it("prints plain periodic lines off a terminal, with done, failed, rate and ETA", () => {
    let t = 0;
    const { chunks, stream } = sink(false);
    const p = new Progress({ total: 10, reused: 2, stream, everyS: 5, now: () => t });
    t = 1; p.tick(false);
    t = 2; p.tick(true);
    t = 7; p.tick(false);
    p.finish();
    expect(chunks).toEqual([
      "3/10 trials (2 reused), 0 failed, 1.00/s, elapsed 1s, ETA 7s\n",
      "5/10 trials (2 reused), 1 failed, 0.43/s, elapsed 7s, ETA 12s\n",
      "5/10 trials (2 reused), 1 failed, 0.43/s, elapsed 7s, ETA 12s\n",
    ]);
  });
  it("redraws one bar line on a terminal", () => {
    let t = 0;
    const { chunks, stream } = sink(true);
    const p = new Progress({ total: 4, reused: 0, stream, now: () => t });
    t = 2; p.tick(false);
    expect(chunks[0]).toMatch(/^\r\[######\.{18}\] 1\/4 trials, 0 failed, 0\.50\/s, elapsed 2s, ETA 6s\x1b\[K$/);
  });
});
