// An async act, feedback or createPolicy fails its trial naming the policy ("must be
// synchronous"), with either thread count, and its rejection never crashes the run (the issue-12
// adversary's `async act(){ throw }` crashed --threads 1 with an unhandled rejection and passed
// as "ok" with --threads 2).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { runSweep } from "../src/sweep/run-sweep.js";

const MODULES: Record<string, string> = {
  "actthrows.mjs": "export const createPolicy = () => ({ async act(obs) { throw new Error('async boom'); } });\n",
  "actok.mjs": "export const createPolicy = () => ({ async act(obs) {} });\n",
  "thenable.mjs": "export const createPolicy = () => ({ act(obs) { return { then(ok, fail) { fail(new Error('no')); } }; } });\n",
  "feedback.mjs": "export const createPolicy = () => ({ act() {}, async feedback() { throw new Error('late'); } });\n",
  "factory.mjs": "export const createPolicy = async () => { throw new Error('factory boom'); };\n",
};
const WANT: Record<string, RegExp> = {
  actthrows: /^policy actthrows: act must be synchronous \(it returned a promise in slot 0: is it async\?\)$/,
  actok: /^policy actok: act must be synchronous \(it returned a promise in slot 0/,
  thenable: /^policy thenable: act must be synchronous \(it returned a promise in slot 0/,
  feedback: /^policy feedback: feedback must be synchronous \(it returned a promise in slot 0/,
  factory: /^policy factory: createPolicy must be synchronous \(it returned a promise/,
};

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-async-"));
  for (const [name, text] of Object.entries(MODULES)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "s.json"), JSON.stringify({
    slots: 5, seeds: [1, 2], sites: { count: 3 }, users: { perSite: 4 }, tasks: { arrivalRate: 0.2 },
    policies: ["local", ...Object.keys(MODULES).map((f) => ({ name: f.replace(".mjs", ""), module: `./${f}` }))],
  }));
  return dir;
}

describe("an asynchronous plug-in", () => {
  for (const threads of [1, 2]) {
    it(`fails its trials naming the policy, the others run (threads ${threads})`, async () => {
      const dir = folder();
      const r = await runSweep(join(dir, "s.json"), { out: join(dir, "out"), backend: "js", threads, progress: false, figures: false });
      expect(r.records.filter((t) => t.policy === "local").map((t) => t.status)).toEqual(["ok", "ok"]);
      for (const [name, want] of Object.entries(WANT)) {
        const mine = r.records.filter((t) => t.policy === name);
        expect(mine.length, name).toBe(2);
        for (const t of mine) expect(t.status === "failed" ? t.error : "ok", name).toMatch(want);
      }
      expect(r.failed).toBe(2 * Object.keys(WANT).length);
    });
  }

  it("the CLI with --threads 1 records the failures and exits 1 (no unhandled rejection)", () => {
    const dir = folder();
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", join(dir, "s.json"), "--out", out, "--threads", "1", "--no-figures", "--quiet"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/unhandled|async boom|factory boom/i);
    const records = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { policy: string; status: string });
    expect(records.filter((t) => t.status === "failed")).toHaveLength(2 * Object.keys(WANT).length);
  });
});
