// I/O failures of run, merge and plot exit 2 with "PATH: cannot write (CODE)", no stack
// trace and no temporary file left: --out naming a file, a directory where a file goes,
// a full disk (a tiny tmpfs) and a read-only place (a read-only tmpfs).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { LOCK_FILE } from "../src/results/lock.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8" });
function scenarioFile(content: object): string {
  const f = join(tmp("scn"), "s.json");
  writeFileSync(f, JSON.stringify(content));
  return f;
}
const quick = { name: "io", slots: 10, seeds: [1], policies: ["local", "greedy"], sites: { count: 3 } };
const run = (f: string, out: string) => twinedge(["run", f, "--out", out, "--backend", "js", "--threads", "1", "--quiet", "--no-figures"]);

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => !statSync(join(dir, p)).isDirectory());
}
function expectRefused(r: ReturnType<typeof twinedge>, message: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** Mounts a tmpfs with `options` at a fresh folder for `act`, then unmounts it. */
function withTmpfs(options: string, act: (dir: string) => void): void {
  const dir = tmp("mnt");
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  try {
    act(dir);
  } finally {
    execFileSync("umount", [dir]);
  }
}

describe("output failures", () => {
  it("--out naming a file: run, merge and plot exit 2 naming it", () => {
    const file = join(tmp("file"), "not-a-folder");
    writeFileSync(file, "x");
    expectRefused(run(scenarioFile(quick), file), `${file}: cannot write (EEXIST)`);
    const shard = tmp("shard");
    expect(run(scenarioFile(quick), shard).status).toBe(0);
    expectRefused(twinedge(["merge", "--out", file, shard, "--no-figures"]), `${file}: cannot write (EEXIST)`);
    expectRefused(twinedge(["merge", "--out", join(file, "sub"), shard, "--no-figures"]), `${join(file, "sub")}: cannot write (ENOTDIR)`);
    expectRefused(twinedge(["plot", file]), `${join(file, "scenario.json")}: cannot read the file (ENOTDIR)`);
  }, 180_000);

  it("a folder where summary.csv goes: EISDIR, the lock released, no temporary file left", () => {
    const out = tmp("eisdir");
    mkdirSync(join(out, "summary.csv"));
    expectRefused(run(scenarioFile(quick), out), `${join(out, "summary.csv")}: cannot write (EISDIR)`);
    expect(files(out).filter((p) => p.endsWith(".tmp") || p === LOCK_FILE)).toEqual([]);
  }, 120_000);

  it("a full disk (200 kB tmpfs): ENOSPC, the lock released, no temporary file left", () => {
    const many = { ...quick, seeds: 60 };
    withTmpfs("size=200k", (dir) => {
      const out = join(dir, "out");
      expectRefused(run(scenarioFile(many), out), ": cannot write (ENOSPC)");
      expect(files(out).filter((p) => p.endsWith(".tmp") || p === LOCK_FILE)).toEqual([]);
      expect(files(out).filter((p) => p.startsWith("trials")).length).toBeGreaterThan(0);
    });
  }, 180_000);

  it("a read-only place: EROFS for run and merge --out, nothing written", () => {
    const shard = tmp("shard");
    expect(run(scenarioFile(quick), shard).status).toBe(0);
    withTmpfs("ro,size=64k", (dir) => {
      expectRefused(run(scenarioFile(quick), join(dir, "out")), `${join(dir, "out")}: cannot write (EROFS)`);
      expectRefused(twinedge(["merge", "--out", dir, shard, "--no-figures"]), `${dir}/${LOCK_FILE}: cannot write (EROFS)`);
      expect(readdirSync(dir)).toEqual([]);
    });
    expect(existsSync(shard)).toBe(true);
  }, 180_000);
});
