// Sweep scaling: scenarios/sweep-small.json on 1 thread (in-process) and on 2 worker threads,
// alternating in one run so both see the same machine load. Prints the speed-up and adds
// records to results/bench.json (usersPerSecond = user-slots simulated per second).
import { join } from "node:path";
import type { Backend } from "../src/kernels/types.js";
import { ROOT } from "../src/paths.js";
import { resolveScenario } from "../src/sweep/load.js";
import { readJsonFile } from "../src/validation.js";
import { runTrials } from "../src/sweep/pool.js";
import { userCount } from "../src/scenario/users.js";
import { recordBench, type BenchRecord } from "./record.js";
import { QUICK, ROUNDS } from "./size.js";

const backend: Backend = "wasm";
const file = join(ROOT, "scenarios", "sweep-small.json");
const raw = readJsonFile(file) as Record<string, unknown>;
// Quick mode (bench/size.ts): 4 short trials instead of 60.
const { trials } = resolveScenario(QUICK ? { ...raw, slots: 20, seeds: 1, sweep: { "users.perSite": [2, 4] }, policies: ["nearest", "greedy"] } : raw, file);
const userSlots = trials.reduce((a, t) => a + userCount(t.config) * t.config.slots, 0);

const seconds: Record<number, number[]> = { 1: [], 2: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const threads of round % 2 ? [2, 1] : [1, 2]) {
    const t0 = performance.now();
    let failed = 0;
    await runTrials(trials, backend, threads, ({ record }) => { if (record.status === "failed") failed++; });
    if (failed) throw new Error(`${failed} trials failed`);
    seconds[threads].push((performance.now() - t0) / 1000);
  }
}
const best = (t: number) => Math.min(...seconds[t]);
const records: BenchRecord[] = [1, 2].map((threads) => ({
  name: "sweep-small", backend, users: userSlots / trials.length, sites: trials[0].config.sites.count,
  usersPerSecond: Math.round(userSlots / best(threads)), threads, trialsPerSecond: trials.length / best(threads),
}));
console.log(`sweep-small   ${trials.length} trials  1 thread ${best(1).toFixed(2)} s  2 threads ${best(2).toFixed(2)} s  speed-up ${(best(1) / best(2)).toFixed(2)}x`);
console.log(`wrote ${recordBench(records)}`);
