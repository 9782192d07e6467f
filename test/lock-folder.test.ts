// One writer per result folder, and no debris: a second writer is refused naming the
// holder, a dead writer's lock is taken over, the lock goes on exit and on signals,
// temporary files are never followed through a planted symlink and never left behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { FolderLock, LOCK_FILE } from "../src/results/lock.js";
import { mergeResults } from "../src/sweep/merge.js";
import { runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const CLI = join(ROOT, "bin", "twinedge.js");
const twinedge = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
function scenarioFile(content: object): string {
  const f = join(tmp("scn"), "s.json");
  writeFileSync(f, JSON.stringify(content));
  return f;
}
// Minutes of work: it is always killed long before it ends.
const long = { name: "long", slots: 300, seeds: 2000, policies: ["local", "greedy"], sites: { count: 4 }, users: { perSite: 10 } };
const quick = { name: "quick", slots: 10, seeds: [1], policies: ["local", "greedy"], sites: { count: 3 } };

async function waitFor(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on("exit", (code) => r(code))));

describe("the folder lock", () => {
  it("refuses a second run and a plot while a run writes, naming it; SIGTERM and SIGINT release it", async () => {
    const f = scenarioFile(long);
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const out = tmp("locked");
      const first = spawn(process.execPath, [CLI, "run", f, "--out", out, "--backend", "js", "--threads", "1", "--quiet", "--no-figures"], { stdio: "ignore" });
      try {
        await waitFor("the first run's first record", () => existsSync(join(out, "trials")) && readdirSync(join(out, "trials")).some((n) => n.endsWith(".json")));
        const holder = JSON.parse(readFileSync(join(out, LOCK_FILE), "utf8"));
        expect(holder).toMatchObject({ pid: first.pid, host: hostname() });
        if (signal === "SIGTERM") {
          const second = twinedge(["run", f, "--out", out, "--backend", "js", "--quiet", "--no-figures"]);
          expect(second.status).toBe(2);
          expect(second.stderr).toContain(`${join(out, LOCK_FILE)}: ${out} is being written by pid ${first.pid} on ${hostname()}`);
          expect(second.stderr).not.toMatch(/\n\s+at /);
          const plot = twinedge(["plot", out]);
          expect(plot.status).toBe(2);
          expect(plot.stderr).toContain(`is being written by pid ${first.pid}`);
        }
        first.kill(signal);
        expect(await exited(first)).toBe(signal === "SIGINT" ? 130 : 143);
        expect(existsSync(join(out, LOCK_FILE))).toBe(false);
      } finally {
        if (first.exitCode === null && first.signalCode === null) first.kill("SIGKILL");
      }
    }
  }, 300_000);

  it("refuses merge --out into a folder another live process holds", async () => {
    const shard = tmp("shard");
    await runSweep(scenarioFile(quick), { out: shard, backend: "js", threads: 1, progress: false, figures: false });
    const out = tmp("merge-out");
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" }));
    expect(() => mergeResults(out, [shard])).toThrow(`is being written by pid ${process.ppid} on ${hostname()}`);
    expect(readdirSync(out)).toEqual([LOCK_FILE]);
  }, 120_000);

  it("of a dead process is taken over with a message, and dead writers' temporary files are removed everywhere", async () => {
    const out = tmp("stale");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const pid = Number(dead.stdout);
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" }));
    const debris = ["x.json.0123456789abcdef.tmp", "trials/y.json.fedcba9876543210.tmp", "tasks/z.csv.00112233445566ff.tmp", "figures/a.svg.aabbccddeeff0011.tmp", "trials/old.json.4242.tmp"];
    for (const d of debris) {
      mkdirSync(join(out, d, ".."), { recursive: true });
      writeFileSync(join(out, d), "half");
    }
    const r = twinedge(["run", scenarioFile(quick), "--out", out, "--backend", "js", "--quiet", "--no-figures"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${join(out, LOCK_FILE)}: taking over the lock of pid ${pid} on ${hostname()}`);
    for (const d of debris) expect(existsSync(join(out, d)), d).toBe(false);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    expect(existsSync(join(out, "summary.csv"))).toBe(true);
  }, 120_000);
});

describe("atomic writes", () => {
  it("never follow a symlink planted at a temporary name (today's <file>.<pid>.tmp)", () => {
    const dir = tmp("plant");
    const victim = join(tmp("victim"), "precious.txt");
    writeFileSync(victim, "keep me");
    symlinkSync(victim, join(dir, `summary.csv.${process.pid}.tmp`));
    writeFileAtomic(join(dir, "summary.csv"), "new content\n");
    expect(readFileSync(victim, "utf8")).toBe("keep me");
    expect(readFileSync(join(dir, "summary.csv"), "utf8")).toBe("new content\n");
    expect(lstatSync(join(dir, "summary.csv")).isFile()).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp") && n !== `summary.csv.${process.pid}.tmp`)).toEqual([]);
  });

  it("a lock is refused to a second holder in one process and free again once released", () => {
    const dir = tmp("lock");
    const a = FolderLock.acquire(dir);
    expect(() => FolderLock.acquire(dir)).toThrow(`is being written by pid ${process.pid}`);
    a.release();
    FolderLock.acquire(dir).release();
    expect(readdirSync(dir)).toEqual([]);
    // A lock naming this pid that this process does not hold was left by a dead namesake.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" }));
    const said: string[] = [];
    FolderLock.acquire(dir, (l) => said.push(l)).release();
    expect(said).toEqual([`${join(dir, LOCK_FILE)}: taking over the lock of pid ${process.pid} on ${hostname()} (since 2026-01-01T00:00:00.000Z), which is no longer running`]);
  });
});
