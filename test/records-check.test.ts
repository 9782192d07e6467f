// Records are checked before they count: a tampered, truncated, copied, linked or special
// file under trials/ is never used, never crashes anything, and is recomputed with a notice.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sealRecord } from "../src/results/record-file.js";
import { ResultReader } from "../src/results/result-set.js";
import { recordHash, runSweep } from "../src/sweep/run-sweep.js";

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));
const small = { name: "rec", slots: 12, seeds: [1, 2], policies: ["local", "greedy"], sites: { count: 3 }, sweep: { "users.perSite": [2, 4] } };
function scenarioFile(content: object = small): string {
  const f = join(tmp("scn"), "s.json");
  writeFileSync(f, JSON.stringify(content));
  return f;
}
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const sweep = (f: string, out: string) => runSweep(f, { out, backend: "js", threads: 1, progress: false, figures: false });

/** Runs `act` and returns what it wrote to stderr. */
async function stderrOf(act: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { lines.push(String(s)); return true; });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return lines.join("");
}

afterEach(() => vi.restoreAllMocks());

describe("a committed record", () => {
  it("carries its config, point index and a digest; its id is re-derived from them", async () => {
    const out = tmp("rec");
    const r = await sweep(scenarioFile(), out);
    const stored = JSON.parse(read(out, `trials/${r.records[5].id}.json`));
    expect(stored).toMatchObject({ id: r.records[5].id, pointIndex: 1, config: { slots: 12, users: { perSite: 4 } } });
    expect(stored.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(recordHash({ config: stored.config, policy: stored.policy, seed: stored.seed }, 16)).toBe(stored.id);
  });

  it("with one flipped digit in a metric is recomputed, said so, and the summary equals a clean run's byte for byte", async () => {
    const f = scenarioFile();
    const clean = tmp("clean"), out = tmp("flip");
    await sweep(f, clean);
    const first = await sweep(f, out);
    const victim = first.records[3];
    const path = join(out, "trials", `${victim.id}.json`);
    const text = read(out, `trials/${victim.id}.json`);
    const m = /("latencyS": \d+\.\d*?)(\d)/.exec(text)!;
    const flipped = text.replace(m[0], `${m[1]}${(Number(m[2]) + 1) % 10}`);
    expect(flipped).not.toBe(text);
    writeFileSync(path, flipped);
    let again: Awaited<ReturnType<typeof sweep>> | undefined;
    const err = await stderrOf(async () => { again = await sweep(f, out); });
    expect(err).toContain(`trials/${victim.id}.json: its digest does not match its content (edited or corrupted); recomputing`);
    expect([again!.reused, again!.computed]).toEqual([7, 1]);
    expect(read(out, "summary.csv")).toBe(read(clean, "summary.csv"));
    expect(read(out, "trials.jsonl")).toBe(read(clean, "trials.jsonl"));
    expect(read(out, `trials/${victim.id}.json`)).toBe(text);
  });

  it("without metrics, as another trial's record under this id, or re-sealed with an edited config, is recomputed, never a crash", async () => {
    const f = scenarioFile();
    const clean = tmp("clean"), out = tmp("bad");
    await sweep(f, clean);
    const first = await sweep(f, out);
    const [a, b, c] = first.records;
    const file = (id: string) => join(out, "trials", `${id}.json`);
    // No metrics, digest re-made so only the schema can catch it.
    const { metrics: _m, ...noMetrics } = a as typeof a & { metrics: unknown };
    writeFileSync(file(a.id), JSON.stringify(sealRecord(noMetrics as typeof a, recordHash)));
    // b's file holds c's record, whole and valid.
    writeFileSync(file(b.id), read(out, `trials/${c.id}.json`));
    // c re-sealed with another config: digest fine, id no longer its hash.
    writeFileSync(file(c.id), JSON.stringify(sealRecord({ ...c, config: { ...c.config, slots: 13 } }, recordHash)));
    let again: Awaited<ReturnType<typeof sweep>> | undefined;
    const err = await stderrOf(async () => { again = await sweep(f, out); });
    expect(err).toMatch(new RegExp(`trials/${a.id}\\.json: not a trial record \\(metrics: .*\\); recomputing`));
    expect(err).toContain(`trials/${b.id}.json: holds the record of another trial (${c.id}); recomputing`);
    expect(err).toMatch(new RegExp(`trials/${c.id}\\.json: its id ${c.id} is not the hash of its config, policy and seed \\([0-9a-f]{16}\\); recomputing`));
    expect(again!.computed).toBe(3);
    expect(read(out, "summary.csv")).toBe(read(clean, "summary.csv"));
  });

  it("that is a symlink (to an edited copy) or a FIFO is refused without following or blocking, and recomputed", async () => {
    const f = scenarioFile();
    const clean = tmp("clean"), out = tmp("special");
    await sweep(f, clean);
    const first = await sweep(f, out);
    const [a, b] = first.records;
    // A symlink to an edited (here: untouched, so only the link itself is wrong) copy.
    const elsewhere = join(tmp("edit"), "x.json");
    renameSync(join(out, "trials", `${a.id}.json`), elsewhere);
    symlinkSync(elsewhere, join(out, "trials", `${a.id}.json`));
    renameSync(join(out, "trials", `${b.id}.json`), join(tmp("gone"), "b.json"));
    execFileSync("mkfifo", [join(out, "trials", `${b.id}.json`)]);

    const reader = new ResultReader(out, recordHash);
    const t0 = Date.now();
    expect(reader.readTrial(b.id)).toEqual({ problem: "not a regular file (a FIFO)" });
    expect(reader.readTrial(a.id)).toEqual({ problem: "a symbolic link, not a regular file" });
    expect(Date.now() - t0).toBeLessThan(5000);

    let again: Awaited<ReturnType<typeof sweep>> | undefined;
    const err = await stderrOf(async () => { again = await sweep(f, out); });
    expect(err).toContain(`trials/${a.id}.json: a symbolic link, not a regular file; recomputing`);
    expect(err).toContain(`trials/${b.id}.json: not a regular file (a FIFO); recomputing`);
    expect(again!.computed).toBe(2);
    expect(read(out, "summary.csv")).toBe(read(clean, "summary.csv"));
    expect(readdirSync(join(out, "trials")).filter((n) => n.endsWith(".json"))).toHaveLength(8);
  }, 120_000);
});
