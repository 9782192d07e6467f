import { describe, expect, it } from "vitest";
import { SlotLayout } from "../src/layout.js";
import { LearningTables } from "../src/kernels/learning-tables.js";
import { DEFAULT_LIMITS, GIB } from "../src/scenario/limits.js";
import { resolveScenario } from "../src/sweep/load.js";
import { estimateTrialMemory } from "../src/sweep/memory.js";
import { InputError } from "../src/validation.js";

function errorsOf(raw: unknown, limits = DEFAULT_LIMITS): string[] {
  try {
    resolveScenario(raw, "s.json", { limits });
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

const one = { seeds: [1], policies: ["local"] };

describe("memory estimate of a trial", () => {
  it("follows the documented formula", () => {
    const { points } = resolveScenario({ ...one, users: { total: 1000 }, sites: { count: 10 }, twin: { historyLength: 16 } }, "s.json");
    const e = estimateTrialMemory(points[0].config, ["local"]);
    const users = SlotLayout.byteLength(1000, 10) + 1000 * 640 + 10 * 256;
    expect(e.terms).toEqual(expect.arrayContaining([
      { field: "users.total", bytes: users },
      { field: "twin.historyLength", bytes: 16 * (1000 * 24 + 10 * 4) },
      // The Markov counts and best successors, and two site lookups of 32 x 10 + 64 cells with 8 candidates per cell.
      { field: "sites.count", bytes: 10 * 144 * (10 + 2) * 4 + 2 * (4 * (32 * 10 + 65) + 4 * 8 * (32 * 10 + 64)) },
    ]));
    expect(e.bytes).toBe(e.terms.reduce((a, t) => a + t.bytes, 0));
    // Learner tables only count when a learner runs: JAL with a table per agent.
    const jal = estimateTrialMemory({ ...points[0].config, learning: { ...points[0].config.learning, sharing: "agent" } }, ["local", "jal"]);
    const states = 10 * 72; // 72 states per cell: 6 distance bins x 4 load bins x 3 size bins (src/policy/encoding.ts)
    // Q values and their visit counts over 5 buckets, beliefs per state, 3 site roles and bucket; per agent 16 B of uniforms, 8 B of reward and 8 B of pending reward,
    // 10 i32 (table, state, mask, active, action, bucket and the pending table, state, action, bucket), 12 B of the rewards kernel's output.
    const term = jal.terms.find((t) => t.field === "learning.sharing")!.bytes;
    expect(term).toBe((2 * 1000 * states * 7 * 5 + 1000 * states * 3 * 5) * 8 + 1000 * (16 + 8 + 8 + 10 * 4 + 12));
    // The formula follows the tables' real layout (to its 16-byte alignment), rewards' 12 B per agent beside it.
    const real = new LearningTables({ agents: 1000, tables: 1000, states, actions: 7, buckets: 5, roles: 3 }).byteLength + 1000 * 12;
    expect(Math.abs(term - real)).toBeLessThanOrEqual(16 * 16);
    // The held-out evaluation's copy of the learner's memory, on the host (not in the 4 GiB kernel memory).
    expect(jal.terms.find((t) => t.field === "learning.heldOut")!.bytes).toBe(term);
    expect(jal.bytes - jal.kernelBytes).toBe(term);
    // mfq: IL-shaped tables over 5 mean-action bins per state, no beliefs; the layout agrees as for JAL.
    const mfq = estimateTrialMemory({ ...points[0].config, learning: { ...points[0].config.learning, sharing: "agent" } }, ["mfq"]);
    const mfqTerm = mfq.terms.find((t) => t.field === "learning.sharing")!.bytes;
    expect(mfqTerm).toBe(2 * 1000 * states * 5 * 7 * 8 + 1000 * (16 + 8 + 8 + 10 * 4 + 12));
    const mfqReal = new LearningTables({ agents: 1000, tables: 1000, states: states * 5, actions: 7, buckets: 0 }).byteLength + 1000 * 12;
    expect(Math.abs(mfqTerm - mfqReal)).toBeLessThanOrEqual(16 * 16);
    const noHeldOut = estimateTrialMemory({ ...points[0].config, learning: { ...points[0].config.learning, sharing: "agent", heldOut: { every: 0, worlds: 2, slots: 50 } } }, ["jal"]);
    expect(noHeldOut.terms.find((t) => t.field === "learning.heldOut")).toBeUndefined();
  });

  // Before: validate accepted it, and run allocated until about 4 GB.
  it("refuses users.total: 1e9 at once, saying the estimate in GiB and the field", () => {
    const t0 = performance.now();
    const errs = errorsOf({ ...one, users: { total: 1e9 } });
    expect((performance.now() - t0) / 1000).toBeLessThan(5);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^users\.total: one trial needs an estimated ([\d.]+) GiB \(1000000000 users x 15 sites; users\.total [\d.]+ GiB, twin\.historyLength [\d.]+ GiB\), above the cap of 8 GiB per trial \(raise it with --max-memory-gib G\)$/);
    const gib = Number(/estimated (\S+) GiB/.exec(errs[0])![1]);
    expect(gib).toBeGreaterThan(500);
  });

  it("names the field behind the estimate: history length, sites, catalogue, learner tables", () => {
    expect(errorsOf({ ...one, users: { total: 1e6 }, twin: { historyLength: 1e6 } })[0]).toMatch(/^twin\.historyLength: one trial needs an estimated \d+/);
    expect(errorsOf({ ...one, users: { total: 1 }, sites: { count: 1e5 } })[0]).toMatch(/^sites\.count: one trial needs/);
    expect(errorsOf({ ...one, tasks: { catalogue: { types: 1e9 } } })[0]).toMatch(/^tasks\.catalogue\.types: one trial needs/);
    expect(errorsOf({ seeds: [1], policies: ["jal"], users: { total: 1e5 }, learning: { sharing: "agent" } })[0]).toMatch(/^learning\.sharing: one trial needs/);
  });

  it("names the sweep point, and lets the cap be raised or lowered", () => {
    const raw = { ...one, users: { total: 1e5 }, sweep: { "twin.historyLength": [16, 1000] } };
    const errs = errorsOf(raw, { ...DEFAULT_LIMITS, maxMemoryBytes: 1 * GIB });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^sweep point \(twin\.historyLength=1000\): twin\.historyLength: one trial needs an estimated 2(\.\d)? GiB/);
    expect(resolveScenario(raw, "s.json").points).toHaveLength(2);
    expect(errorsOf({ ...one, users: { total: 1e6 } }, { ...DEFAULT_LIMITS, maxMemoryBytes: 0.1 * GIB })[0]).toMatch(/above the cap of 0\.1 GiB per trial/);
    // A trial's buffers live in one kernel memory: past 4 GiB no cap lets it run, so it is refused up front.
    expect(errorsOf({ ...one, users: { total: 6e6 } }, { ...DEFAULT_LIMITS, maxMemoryBytes: 100 * GIB })[0])
      .toMatch(/^users\.total: one trial needs an estimated [\d.]+ GiB .*of which [\d.]+ GiB in its kernel memory, above the 4 GiB one WebAssembly memory holds/);
  });

  it("admits every shipped scenario under the default cap", async () => {
    const { readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { ROOT } = await import("../src/paths.js");
    const { loadScenario } = await import("../src/sweep/load.js");
    for (const f of readdirSync(join(ROOT, "scenarios")).filter((n) => n.endsWith(".json") && n !== "schema.json")) {
      const s = loadScenario(join(ROOT, "scenarios", f));
      const { policyNames } = await import("../src/scenario/plugin-entry.js");
      for (const p of s.points) expect(estimateTrialMemory(p.config, policyNames(s.scenario.policies)).bytes, f).toBeLessThan(GIB);
    }
  });
});
