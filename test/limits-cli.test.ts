// The limits through the command line: each refusal exits 2 quickly, with nothing written.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const dir = mkdtempSync(join(tmpdir(), "twinedge-limits-cli-"));
/** The environment without any scheduler's shard variables. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|JOB_COMPLETION_INDEX|TWINEDGE_SHARD_COUNT)/.test(k)));

function twinedge(args: string[], env: NodeJS.ProcessEnv = cleanEnv) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { ...r, seconds: (performance.now() - t0) / 1000 };
}

function scenario(name: string, body: object | string): string {
  const f = join(dir, name);
  writeFileSync(f, typeof body === "string" ? body : JSON.stringify(body));
  return f;
}

const one = { slots: 3, seeds: [1], policies: ["local"], sites: { count: 2 }, users: { total: 4 } };

describe("limits refused up front (CLI)", () => {
  const fifoPath = join(dir, "fifo.csv");
  execFileSync("mkfifo", [fifoPath]);
  // Node and the command's modules take their own time on a loaded machine: the bound is on
  // the time beyond starting up (`twinedge --version`, the best of two).
  let startupS = Infinity;
  const within = (seconds: number) => {
    if (startupS === Infinity) startupS = Math.min(twinedge(["--version"]).seconds, twinedge(["--version"]).seconds);
    return seconds - startupS;
  };
  const cases: [string, string, RegExp][] = [
    ["seeds: 1e9", scenario("seeds-1e9.json", { seeds: 1e9 }), /seeds: the scenario expands to 1 point\(s\) x 4 policies x 1000000000 seeds = 4000000000 trials, above the cap of 100000 \(raise it with --max-trials N\)/],
    ["seeds: 1e7", scenario("seeds-1e7.json", { seeds: 1e7, policies: ["local"] }), /seeds: .* = 10000000 trials, above the cap of 100000/],
    ["a 10^9-point sweep", scenario("sweep-1e9.json", { ...one, sweep: { "tasks.deadlineS": { min: 1, max: 1e9, step: 1 } } }), /sweep\.tasks\.deadlineS: .* = 1000000000 trials/],
    ["users.total: 1e9", scenario("users-1e9.json", { ...one, users: { total: 1e9 } }), /users\.total: one trial needs an estimated [\d.]+ GiB .* above the cap of 8 GiB per trial \(raise it with --max-memory-gib G\)/],
    ["a trace /dev/zero", scenario("zero.json", { ...one, mobility: { model: "trace", file: "/dev/zero" } }), /mobility\.file: \/dev\/zero: not a regular file \(a character device\)/],
    ["a trace FIFO", scenario("fifo.json", { ...one, mobility: { model: "trace", file: "fifo.csv" } }), /mobility\.file: .*fifo\.csv: not a regular file \(a FIFO\)/],
    ["sweep __proto__.slots", scenario("proto.json", `{"seeds": [1], "policies": ["local"], "sweep": {"__proto__.slots": [1, 2, 3]}}`), /sweep\.__proto__\.slots: "__proto__" is not a field name/],
  ];
  for (const [what, file, message] of cases) {
    it(`refuses ${what} in validate and run: exit 2 within 5 s of starting up, nothing written`, () => {
      const v = twinedge(["validate", file]);
      expect(v.status, v.stderr).toBe(2);
      expect(v.stderr).toMatch(message);
      expect(v.stdout).toBe("");
      expect(within(v.seconds)).toBeLessThan(5);
      const out = join(dir, `out-${what.replace(/\W+/g, "-")}`);
      const r = twinedge(["run", file, "--out", out, "--quiet"]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(within(r.seconds)).toBeLessThan(5);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("raises and lowers the caps with --max-trials and --max-memory-gib", () => {
    const twelve = scenario("twelve.json", { ...one, seeds: 3, policies: ["local", "random"], sweep: { "users.total": [4, 8] } });
    const low = twinedge(["validate", twelve, "--max-trials", "11"]);
    expect(low.status).toBe(2);
    expect(low.stderr).toMatch(/= 12 trials, above the cap of 11 \(raise it with --max-trials N\)/);
    expect(twinedge(["validate", twelve, "--max-trials", "12"]).stdout).toMatch(/= 12 trials/);
    const big = scenario("big.json", { ...one, users: { total: 1e5 }, twin: { historyLength: 1000 } });
    expect(twinedge(["validate", big, "--max-memory-gib", "1"]).stderr).toMatch(/twin\.historyLength: one trial needs an estimated 2(\.\d)? GiB/);
    expect(twinedge(["validate", big]).status).toBe(0);
    // Past the 4 GiB of one kernel memory no cap helps: refused whatever --max-memory-gib says.
    const huge = scenario("huge.json", { ...one, users: { total: 1e6 }, twin: { historyLength: 1000 } });
    const r = twinedge(["validate", huge, "--max-memory-gib", "64"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/twin\.historyLength: one trial needs an estimated 2\d(\.\d)? GiB .*above the 4 GiB one WebAssembly memory holds/);
    const bad = twinedge(["validate", twelve, "--max-trials", "lots"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--max-trials: expected a positive integer, got "lots"/);
  });
});

describe("run: threads and shards said on stderr", () => {
  const tiny = scenario("tiny.json", { ...one, seeds: [1, 2] });

  // Before: silent.
  it("warns when --threads is above the core count", () => {
    const out = join(dir, "threads");
    const r = twinedge(["run", tiny, "--out", out, "--quiet", "--no-figures", "--backend", "js", "--threads", String(availableParallelism() + 1)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`--threads ${availableParallelism() + 1} is above this machine's ${availableParallelism()} cores`));
    const fine = twinedge(["run", tiny, "--out", out, "--quiet", "--no-figures", "--backend", "js", "--threads", "1"]);
    expect(fine.stderr).toBe("");
  });

  // Before: a job that inherited SLURM_ARRAY_TASK_ID silently ran half the trials.
  it("announces a shard taken from the environment", () => {
    const out = join(dir, "slurm");
    const r = twinedge(["run", tiny, "--out", out, "--quiet", "--no-figures", "--backend", "js", "--threads", "1"], { ...cleanEnv, SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/running shard 1\/2 only, from the environment \(SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2\); --shard 0\/1 runs every trial/);
    const explicit = twinedge(["run", tiny, "--out", join(dir, "explicit"), "--quiet", "--no-figures", "--backend", "js", "--threads", "1", "--shard", "0/1"], { ...cleanEnv, SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2" });
    expect(explicit.stderr).toBe("");
  });
});
