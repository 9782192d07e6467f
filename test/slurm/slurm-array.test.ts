// A real Slurm job array on this machine: scripts/slurm/setup-single-node.sh starts a
// one-node cluster, then scenarios/slurm/sweep-array.sbatch runs a scenario as two array
// tasks that take their shares from Slurm's environment (no --shard flag), `twinedge merge`
// combines them, and the merged summary.csv and trials.jsonl must be byte-identical to those
// of an unsharded run.
//
// It needs root (it installs Slurm and munge from Debian and starts their daemons), so it
// runs on its own, under vitest.slurm.config.ts (npm run test:slurm; .ci/run runs it):
//   npx vitest run --config vitest.slurm.config.ts          (after npm run build)
// TWINEDGE_SLURM_KEEP=1 leaves the daemons running afterwards.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "twinedge.js");
const SBATCH_SCRIPT = join(ROOT, "scenarios", "slurm", "sweep-array.sbatch");
const STATE = process.env.TWINEDGE_SLURM_ROOT ?? "/var/spool/twinedge-slurm";
const MINUTE = 60_000;
const JOB_TIMEOUT_MS = 10 * MINUTE;

const SCENARIO = {
  name: "slurm",
  slots: 20,
  seeds: [1, 2, 3],
  policies: ["local", "greedy"],
  users: { perSite: 5 },
  sites: { count: 4 },
  sweep: { "users.perSite": [3, 6] },
};
const TRIALS = 2 * 2 * 3; // points x policies x seeds

/** The environment less anything that would make twinedge pick a shard by itself. */
function unshardedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("SLURM_") && k !== "JOB_COMPLETION_INDEX" && k !== "TWINEDGE_SHARD_COUNT") env[k] = v;
  }
  return env;
}

const sh = (cmd: string, args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { encoding: "utf8", cwd: opts.cwd ?? ROOT, env: opts.env ?? unshardedEnv(), timeout: opts.timeout, maxBuffer: 64 << 20 });

const twinedge = (args: string[]) => sh(process.execPath, [BIN, ...args], { timeout: 5 * MINUTE });

const describeProc = (r: SpawnSyncReturns<string>) =>
  `status ${r.status}${r.signal ? ` signal ${r.signal}` : ""}${r.error ? ` error ${r.error.message}` : ""}\n--- stdout\n${r.stdout ?? ""}\n--- stderr\n${r.stderr ?? ""}`;

const tail = (file: string, lines = 60) => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch (e) {
    return `(cannot read: ${(e as Error).message})`;
  }
};

/** Everything that helps tell why a job failed: its output files, Slurm's view, the daemons' logs. */
function diagnostics(work: string, jobId?: string): string {
  const out: string[] = [];
  for (const f of existsSync(work) ? readdirSync(work).filter((f) => f.endsWith(".out")).sort() : []) {
    out.push(`===== job output ${f}\n${tail(join(work, f), 200)}`);
  }
  const cmds: [string, string[]][] = [
    ["sinfo", ["-N", "-l"]],
    ["sinfo", ["-R"]],
    ["squeue", ["-a"]],
    ...(jobId ? [["scontrol", ["show", "job", jobId]] as [string, string[]]] : []),
  ];
  for (const [cmd, args] of cmds) {
    const r = sh(cmd, args, { timeout: 20_000 });
    out.push(`===== ${cmd} ${args.join(" ")}\n${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}`);
  }
  for (const f of [join(STATE, "log", "slurmctld.log"), join(STATE, "log", "slurmd.log"), "/var/log/munge/munged.log"]) {
    out.push(`===== tail ${f}\n${tail(f)}`);
  }
  return out.join("\n");
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
const trialIds = (dir: string) => lines(join(dir, "trials.jsonl")).map((l) => JSON.parse(l).id as string);

describe("a Slurm job array (real single-node cluster)", () => {
  beforeAll(() => {
    const t0 = Date.now();
    const r = sh("bash", [join(ROOT, "scripts", "slurm", "setup-single-node.sh")], { timeout: 15 * MINUTE });
    console.log(`[slurm] setup took ${((Date.now() - t0) / 1000).toFixed(1)} s\n${r.stderr}`);
    if (r.status !== 0) throw new Error(`scripts/slurm/setup-single-node.sh failed: ${describeProc(r)}`);
  }, 16 * MINUTE);

  afterAll(() => {
    if (process.env.TWINEDGE_SLURM_KEEP === "1") return;
    const r = sh("bash", [join(ROOT, "scripts", "slurm", "teardown.sh")], { timeout: 2 * MINUTE });
    if (r.status !== 0) console.error(`[slurm] teardown failed: ${describeProc(r)}`);
  }, 3 * MINUTE);

  it("runs a trivial two-task array, each task seeing its index and the count", () => {
    // A trivial array first: if this fails, the cluster is at fault, not twinedge.
    const work = mkdtempSync(join(tmpdir(), "twinedge-slurm-echo-"));
    const r = sh("sbatch", ["--parsable", "--wait", "--array=0-1", "--cpus-per-task=1", `--chdir=${work}`, `--output=${join(work, "echo-%a.out")}`,
      "--wrap", "echo task=$SLURM_ARRAY_TASK_ID min=$SLURM_ARRAY_TASK_MIN count=$SLURM_ARRAY_TASK_COUNT"], { timeout: JOB_TIMEOUT_MS });
    const jobId = (r.stdout ?? "").trim().split(";")[0];
    if (r.status !== 0) throw new Error(`sbatch --wrap failed: ${describeProc(r)}\n${diagnostics(work, jobId)}`);
    expect(readFileSync(join(work, "echo-0.out"), "utf8").trim()).toBe("task=0 min=0 count=2");
    expect(readFileSync(join(work, "echo-1.out"), "utf8").trim()).toBe("task=1 min=0 count=2");
    rmSync(work, { recursive: true, force: true });
  });

  it("merges the two shards of sweep-array.sbatch into the unsharded run's summary.csv and trials.jsonl, byte for byte", () => {
    const work = mkdtempSync(join(tmpdir(), "twinedge-slurm-"));
    const scenario = join(work, "slurm.json");
    writeFileSync(scenario, JSON.stringify(SCENARIO, null, 2));
    const results = join(work, "results");

    // The example script itself, run from the repository root, its results sent to `work`.
    const env = {
      ...unshardedEnv(),
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      SCENARIO: scenario,
      RESULTS: results,
    };
    const t0 = Date.now();
    const sb = sh("sbatch", ["--parsable", "--wait", "--array=0-1", "--cpus-per-task=1", `--chdir=${ROOT}`, `--output=${join(work, "slurm-%A_%a.out")}`, SBATCH_SCRIPT],
      { env, timeout: JOB_TIMEOUT_MS });
    const jobId = (sb.stdout ?? "").trim().split(";")[0];
    console.log(`[slurm] job array ${jobId} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const diag = () => diagnostics(work, jobId);
    if (sb.status !== 0 || !/^\d+$/.test(jobId)) throw new Error(`sbatch failed: ${describeProc(sb)}\n${diag()}`);

    try {
      const shards = [0, 1].map((i) => join(results, jobId, `shard-${i}`));
      for (const s of shards) expect(existsSync(join(s, "trials.jsonl")), `${s}/trials.jsonl`).toBe(true);

      // Each shard holds only part of the trials, and the two together all of them, once.
      const [a, b] = shards.map(trialIds);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(a.length).toBeLessThan(TRIALS);
      expect(b.length).toBeLessThan(TRIALS);
      expect(a.length + b.length).toBe(TRIALS);
      expect(new Set([...a, ...b]).size).toBe(TRIALS);
      for (const s of shards) {
        if (existsSync(join(s, "trials"))) expect(readdirSync(join(s, "trials")).length).toBeLessThan(TRIALS);
      }

      const merged = join(results, jobId, "merged");
      const m = twinedge(["merge", "--out", merged, ...shards]);
      expect(m.status, `twinedge merge: ${describeProc(m)}`).toBe(0);

      const whole = join(work, "whole");
      const w = twinedge(["run", scenario, "--out", whole, "--threads", "1", "--quiet"]);
      expect(w.status, `unsharded twinedge run: ${describeProc(w)}`).toBe(0);
      expect(trialIds(whole)).toHaveLength(TRIALS);
      expect(new Set(trialIds(whole))).toEqual(new Set([...a, ...b]));

      for (const f of ["summary.csv", "paired.csv", "trials.jsonl"]) {
        // latin1 maps bytes one to one: equal strings are equal bytes, and a failure shows a diff.
        const got = readFileSync(join(merged, f)).toString("latin1");
        const want = readFileSync(join(whole, f)).toString("latin1");
        expect(got, `${f}: the merged shards differ from the unsharded run`).toBe(want);
      }
    } catch (e) {
      console.error(`[slurm] diagnostics for job ${jobId} (files kept in ${work}):\n${diag()}`);
      throw e;
    }
    if (process.env.TWINEDGE_SLURM_KEEP !== "1") rmSync(work, { recursive: true, force: true });
  });
});
