// A record moved to another sweep point (point, pointIndex or scenario edited, digest
// recomputed, which anyone can do) is never counted there: run recomputes it, merge and plot
// leave it out, each saying why.
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TrialRecord } from "../src/contracts/record.js";
import { sealRecord } from "../src/results/record-file.js";
import { mergeResults } from "../src/sweep/merge.js";
import { recordHash, runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const small = { name: "pt", slots: 8, seeds: [1, 2], policies: ["local"], sites: { count: 3 }, sweep: { "users.perSite": [2, 4] } };
const sweep = (f: string, out: string) => runSweep(f, { out, backend: "js", threads: 1, progress: false, figures: false });

/** Rewrites the record of point 0, seed 1 to claim point 1, with a digest that matches again. */
function movePoint(dir: string): string {
  for (const f of readdirSync(join(dir, "trials"))) {
    const path = join(dir, "trials", f);
    const r = JSON.parse(readFileSync(path, "utf8")) as TrialRecord & { digest?: string };
    if (r.pointIndex !== 0 || r.seed !== 1) continue;
    const { digest: _d, ...body } = r;
    writeFileSync(path, JSON.stringify(sealRecord({ ...body, pointIndex: 1, point: { "users.perSite": 4 } }, recordHash)));
    return f;
  }
  throw new Error("no record of point 0, seed 1");
}

afterEach(() => vi.restoreAllMocks());

describe("a record moved to another sweep point", () => {
  it("is recomputed by run, which says so, and the summary equals a clean run's", async () => {
    const f = join(tmp("scn"), "s.json");
    writeFileSync(f, JSON.stringify(small));
    const clean = tmp("clean");
    await sweep(f, clean);
    const forged = tmp("forged");
    cpSync(clean, forged, { recursive: true });
    const victim = movePoint(forged);
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { lines.push(String(s)); return true; });
    const again = await sweep(f, forged);
    vi.restoreAllMocks();
    expect(lines.join("")).toContain(`${victim}: claims sweep point 1`);
    expect(again.computed).toBe(1);
    expect(readFileSync(join(forged, "summary.csv"), "utf8")).toBe(readFileSync(join(clean, "summary.csv"), "utf8"));
  });

  it("is left out by merge, which names it", async () => {
    const f = join(tmp("scn"), "s.json");
    writeFileSync(f, JSON.stringify(small));
    const shard = tmp("shard");
    await sweep(f, shard);
    const victim = movePoint(shard);
    const said: string[] = [];
    expect(() => mergeResults(join(tmp("merged"), "m"), [shard], (l) => said.push(l))).toThrow(/in none of the folders/);
    expect(said.join("\n")).toMatch(new RegExp(`${victim}: claims users.perSite=4 while its config has 2`));
  });
});
