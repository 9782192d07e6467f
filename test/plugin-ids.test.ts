// A plug-in's trial id hashes its module's bytes and its options (not its path), so a changed
// plug-in is never reused; built-ins' ids do not change; a record read back must still hash to
// its id with its plug-in's hash.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRecordFile, sealRecord } from "../src/results/record-file.js";
import { loadScenario } from "../src/sweep/load.js";
import { recordHash, runSweep } from "../src/sweep/run-sweep.js";

const MODULE = "export const createPolicy = (ctx) => ({ act(obs, out) { for (let i = 0; i < obs.users; i++) if (obs.active[i] && ctx.options.offload) { out.theta[i] = 0.5; } } });\n";

function folder(module = MODULE, options: object = {}, path = "./p.mjs"): string {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-plugin-ids-"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, path), module);
  writeFileSync(join(dir, "s.json"), JSON.stringify({ slots: 8, seeds: [1, 2], sites: { count: 3 }, users: { perSite: 3 }, policies: ["greedy", { name: "p", module: path, options }] }));
  return dir;
}
const ids = (dir: string) => {
  const t = loadScenario(join(dir, "s.json")).trials;
  return { builtIn: t.filter((x) => x.policy === "greedy").map((x) => x.id), plugin: t.filter((x) => x.policy === "p").map((x) => x.id) };
};

describe("a plug-in's trial ids", () => {
  it("change with the module's bytes and with its options, not with its path; built-ins' stay", () => {
    const a = ids(folder());
    expect(ids(folder()), "deterministic").toEqual(a);
    const edited = ids(folder(`${MODULE}// a comment changes the bytes\n`));
    expect(edited.builtIn).toEqual(a.builtIn);
    expect(edited.plugin.filter((id) => a.plugin.includes(id))).toEqual([]);
    const opts = ids(folder(MODULE, { offload: true }));
    expect(opts.builtIn).toEqual(a.builtIn);
    expect(opts.plugin.filter((id) => a.plugin.includes(id))).toEqual([]);
    expect(ids(folder(MODULE, {}, "./sub/moved.mjs")), "same bytes elsewhere: same trials").toEqual(a);
    // A scenario without plug-ins keeps the ids it had before plug-ins existed (hash of {config, policy, seed}).
    const plain = mkdtempSync(join(tmpdir(), "twinedge-plugin-ids-"));
    writeFileSync(join(plain, "s.json"), JSON.stringify({ slots: 8, seeds: [1, 2], sites: { count: 3 }, users: { perSite: 3 }, policies: ["greedy"] }));
    const t = loadScenario(join(plain, "s.json")).trials[0];
    expect(t.id).toBe(recordHash({ config: t.config, policy: "greedy", seed: 1 }, 16));
    expect(t.id).toBe(a.builtIn[0]);
  });

  it("a changed module is computed anew, never reused: its old folder is refused, a new one computes it", async () => {
    const dir = folder();
    const first = await runSweep(join(dir, "s.json"), { out: join(dir, "out1"), backend: "js", threads: 1, progress: false, figures: false });
    expect([first.computed, first.failed]).toEqual([4, 0]);
    const again = await runSweep(join(dir, "s.json"), { out: join(dir, "out1"), backend: "js", threads: 1, progress: false, figures: false });
    expect([again.reused, again.computed], "unchanged: reused").toEqual([4, 0]);

    writeFileSync(join(dir, "p.mjs"), MODULE.replace("ctx.options.offload", "true"));
    await expect(runSweep(join(dir, "s.json"), { out: join(dir, "out1"), backend: "js", threads: 1, progress: false, figures: false }))
      .rejects.toThrow(/holds the results of a different scenario/);
    const changed = await runSweep(join(dir, "s.json"), { out: join(dir, "out2"), backend: "js", threads: 1, progress: false, figures: false });
    expect([changed.reused, changed.computed, changed.failed]).toEqual([0, 4, 0]);
    const old = first.records.filter((r) => r.policy === "p"), now = changed.records.filter((r) => r.policy === "p");
    expect(now.map((r) => r.id).filter((id) => old.some((o) => o.id === id))).toEqual([]);
    // The new code ran: it offloads half of every task, the old one nothing.
    expect(old.map((r) => r.status === "ok" && r.metrics.offloadRatio)).toEqual([0, 0]);
    expect(now.every((r) => r.status === "ok" && (r.metrics.offloadRatio ?? 0) > 0)).toBe(true);
  });

  it("a record whose plug-in hash or options were edited no longer reads back as its trial", async () => {
    const dir = folder();
    const out = join(dir, "out");
    const r = await runSweep(join(dir, "s.json"), { out, backend: "js", threads: 1, progress: false, figures: false });
    const rec = r.records.find((x) => x.policy === "p")!;
    const file = join(out, "trials", `${rec.id}.json`);
    expect("record" in readRecordFile(file, rec.id, recordHash)).toBe(true);
    for (const plugin of [{ ...rec.plugin!, sha256: "0".repeat(64) }, { ...rec.plugin!, options: { offload: true } }]) {
      writeFileSync(file, JSON.stringify(sealRecord({ ...rec, plugin }, recordHash)));
      const back = readRecordFile(file, rec.id, recordHash);
      expect("problem" in back && back.problem).toMatch(/is not the hash of its config, policy and seed/);
    }
    // Moving the module (same bytes) keeps the record: the path is not part of the id.
    writeFileSync(file, JSON.stringify(sealRecord({ ...rec, plugin: { ...rec.plugin!, module: "./elsewhere.mjs" } }, recordHash)));
    expect("record" in readRecordFile(file, rec.id, recordHash)).toBe(true);
  });
});
