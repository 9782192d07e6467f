// Whole-run benchmarks, WASM against JS in one run (rounds alternate which backend goes
// first; each figure is the median over rounds). They drive the simulator only through its
// public entry points (the CLI, runTrial, runTrials, buildSimulation and runEpisode), so they measure whatever the kernels
// become:
//   whole-trial-process    a JAL training trial at paper scale, `twinedge run` as a child process
//   whole-trial-inprocess  the same trial through runTrial in this process
//   eval-jal-massive       evaluation slots per second, JAL with sharing `all` at 100 000 x 100
//   slot-million-nearest   seconds per whole slot (prepare, decide, commit, finish), nearest, 10^6 x 100
//   sweep-learner          a learner sweep on 1 and on 2 worker threads, trials per second
// A per-slot figure times the slots of one simulation built as a trial builds it (one kernel
// memory, the policy in it; an untrained, frozen table for JAL), after one warm-up slot:
// (T of k slots) / k. Sizes: bench/size.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "../src/kernels/backend.js";
import { ROOT } from "../src/paths.js";
import { createPolicy, QLearner } from "../src/policy/index.js";
import { buildSimulation, kernelsFor } from "../src/run/build-simulation.js";
import { runEpisode } from "../src/run/episode.js";
import { runTrial } from "../src/run/trial.js";
import { userCount } from "../src/scenario/users.js";
import { stream } from "../src/world/rng.js";
import { UNLIMITED } from "../src/scenario/limits.js";
import type { PolicyName } from "../src/scenario/schema.js";
import type { TrialSpec } from "../src/contracts/trial-spec.js";
import { resolveScenario } from "../src/sweep/load.js";
import { runTrials } from "../src/sweep/pool.js";
import { recordBench, type BenchRecord } from "./record.js";
import { median, ROUNDS, size } from "./size.js";

const BACKENDS: Backend[] = ["wasm", "js"];
const dir = mkdtempSync(join(tmpdir(), "twinedge-bench-"));

/** The paper's JAL point (scenarios/paper-fig4.json, fewer episodes): 30 users per site x 15 sites. */
const train = {
  perSite: size("TWINEDGE_BENCH_TRAIN_PER_SITE", 30, 3), sites: size("TWINEDGE_BENCH_TRAIN_SITES", 15, 4),
  episodes: size("TWINEDGE_BENCH_TRAIN_EPISODES", 300, 3), slotsPerEpisode: size("TWINEDGE_BENCH_TRAIN_SLOTS_PER_EPISODE", 25, 5),
  slots: size("TWINEDGE_BENCH_TRAIN_SLOTS", 200, 20),
};
const trainScenario = {
  name: "bench-train", seeds: [1], policies: ["jal"], slots: train.slots, warmupSlots: Math.min(10, train.slots - 1),
  sites: { count: train.sites }, users: { perSite: train.perSite }, learning: { episodes: train.episodes, slotsPerEpisode: train.slotsPerEpisode },
};
const evalSize = { users: size("TWINEDGE_BENCH_EVAL_USERS", 100_000, 2000), sites: size("TWINEDGE_BENCH_EVAL_SITES", 100, 20), slots: size("TWINEDGE_BENCH_EVAL_SLOTS", 20, 3) };
const millionSize = { users: size("TWINEDGE_BENCH_MILLION_USERS", 1_000_000, 20_000), sites: size("TWINEDGE_BENCH_MILLION_SITES", 100, 20), slots: size("TWINEDGE_BENCH_MILLION_SLOTS", 3, 2) };
const sweepSize = {
  perSite: size("TWINEDGE_BENCH_SWEEP_PER_SITE", 10, 2), seeds: size("TWINEDGE_BENCH_SWEEP_SEEDS", 2, 1),
  episodes: size("TWINEDGE_BENCH_SWEEP_EPISODES", 40, 2), slots: size("TWINEDGE_BENCH_SWEEP_SLOTS", 100, 10),
};

/** The single trial of a scenario object, validated as a file would be (without the size limits). */
function trialOf(raw: object): TrialSpec {
  const [t] = resolveScenario(raw, "bench", { limits: UNLIMITED }).trials;
  return t;
}

/** Seconds of one runTrial call; a failed trial stops the benchmark. */
function timeTrial(spec: TrialSpec, backend: Backend): number {
  const t0 = performance.now();
  const { record } = runTrial(spec, backend);
  const s = (performance.now() - t0) / 1000;
  if (record.status !== "ok") throw new Error(`${spec.scenario}/${backend}: ${record.error}`);
  return s;
}

/** Each backend's figures over ROUNDS rounds, the first backend alternating. */
async function alternate(measure: (b: Backend) => number | Promise<number>): Promise<Record<Backend, number>> {
  const xs: Record<Backend, number[]> = { wasm: [], js: [] };
  for (let r = 0; r < ROUNDS; r++) for (const b of r % 2 ? [...BACKENDS].reverse() : BACKENDS) xs[b].push(await measure(b));
  return { wasm: median(xs.wasm), js: median(xs.js) };
}

/** A pair of records of one measure (lower `seconds` is better) with the WASM/JS speed ratio. */
function pair(base: Omit<BenchRecord, "backend" | "usersPerSecond">, seconds: Record<Backend, number>, userSlotsPerRun: number, extra: (s: number) => Partial<BenchRecord>): BenchRecord[] {
  const ratio = seconds.js / seconds.wasm;
  return BACKENDS.map((b) => ({ ...base, backend: b, usersPerSecond: Math.round(userSlotsPerRun / seconds[b]), ...extra(seconds[b]), wasmOverJs: b === "wasm" ? ratio : 1 / ratio }));
}

const line = (name: string, unit: string, v: Record<Backend, number>, better: "lower" | "higher") =>
  console.log(`${name.padEnd(22)} wasm ${fmt(v.wasm)} ${unit}  js ${fmt(v.js)} ${unit}  wasm/js ${(better === "lower" ? v.js / v.wasm : v.wasm / v.js).toFixed(2)}x`);
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));

const records: BenchRecord[] = [];
// Warm-up: JIT, WASM compilation and the kernels' layouts, so no backend pays them in round 0.
for (const b of BACKENDS) timeTrial(trialOf({ ...trainScenario, slots: 3, warmupSlots: 0, learning: { episodes: 1, slotsPerEpisode: 2 } }), b);

// 1. A training trial end to end: a whole process, then in process.
const trainUsers = train.perSite * train.sites;
const trainUserSlots = trainUsers * (train.slots + train.episodes * train.slotsPerEpisode);
const scenarioFile = join(dir, "train.json");
writeFileSync(scenarioFile, JSON.stringify(trainScenario));
let runNo = 0;
const processSeconds = await alternate((backend) => {
  const out = join(dir, `run-${runNo++}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", scenarioFile, "--backend", backend, "--threads", "1", "--no-figures", "--quiet", "--out", out], { encoding: "utf8" });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`twinedge run --backend ${backend} exited ${r.status}: ${r.stderr}`);
  rmSync(out, { recursive: true, force: true });
  return s;
});
const trainSize = { users: trainUsers, sites: train.sites };
records.push(...pair({ name: "whole-trial-process", ...trainSize, measure: `node bin/twinedge.js run (jal, ${train.episodes}x${train.slotsPerEpisode} training + ${train.slots} slots) --threads 1 --no-figures: whole process` },
  processSeconds, trainUserSlots, (s) => ({ secondsPerRun: s })));
line("whole-trial-process", "s", processSeconds, "lower");

const trainSpec = trialOf(trainScenario);
const inProcessSeconds = await alternate((b) => timeTrial(trainSpec, b));
records.push(...pair({ name: "whole-trial-inprocess", ...trainSize, measure: `runTrial (jal, ${train.episodes}x${train.slotsPerEpisode} training + ${train.slots} slots) in process` },
  inProcessSeconds, trainUserSlots, (s) => ({ secondsPerRun: s })));
line("whole-trial-inprocess", "s", inProcessSeconds, "lower");

// 2. Evaluation at 100 000 x 100 with JAL sharing one table (untrained: one training slot).
/** Seconds per evaluation slot of a scenario: two trials differing only in their slots. */
function secondsPerSlot(raw: object, slots: number): Promise<Record<Backend, number>> {
  const spec = trialOf({ ...raw, slots: 1 + slots });
  return alternate((b) => {
    const c = spec.config;
    const kernels = kernelsFor(b, userCount(c), c.sites.count);
    const sim = buildSimulation(c, { seed: spec.seed, backend: b, kernels });
    const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(spec.seed, "policy"), seed: spec.seed };
    const policy = createPolicy(spec.policy as PolicyName, ctx, { config: c, users: sim.users, backend: kernels.k.machine, layout: kernels.L });
    if (policy instanceof QLearner) policy.training = false;
    runEpisode(sim, policy, { slots: 1, warmupSlots: 0 }); // warm-up: JIT, tier-up, first touch of the memory
    const t0 = performance.now();
    runEpisode(sim, policy, { slots, warmupSlots: 0 });
    return (performance.now() - t0) / 1000 / slots;
  });
}
const evalPerSlot = await secondsPerSlot({
  name: "bench-eval", seeds: [1], policies: ["jal"], sites: { count: evalSize.sites }, users: { total: evalSize.users },
  learning: { episodes: 1, slotsPerEpisode: 1, sharing: "all" },
}, evalSize.slots);
records.push(...pair({ name: "eval-jal-massive", users: evalSize.users, sites: evalSize.sites, measure: "JAL (sharing all, untrained, frozen) evaluation slots of one simulation, after a warm-up slot" },
  evalPerSlot, evalSize.users, (s) => ({ slotsPerSecond: 1 / s, secondsPerSlot: s })));
line("eval-jal-massive", "slots/s", { wasm: 1 / evalPerSlot.wasm, js: 1 / evalPerSlot.js }, "higher");

// 3. One whole slot of 10^6 users x 100 sites with the nearest-site policy.
const millionPerSlot = await secondsPerSlot({ name: "bench-million", seeds: [1], policies: ["nearest"], sites: { count: millionSize.sites }, users: { total: millionSize.users } }, millionSize.slots);
records.push(...pair({ name: "slot-million-nearest", users: millionSize.users, sites: millionSize.sites, measure: "nearest: one whole slot (prepare, decide, commit, finish) of one simulation, after a warm-up slot" },
  millionPerSlot, millionSize.users, (s) => ({ slotsPerSecond: 1 / s, secondsPerSlot: s })));
line("slot-million-nearest", "s/slot", millionPerSlot, "lower");

// 4. A learner sweep on 1 and 2 worker threads (1 runs in this thread, 2 in a pool).
const { trials } = resolveScenario({
  name: "bench-sweep", seeds: sweepSize.seeds, policies: ["il", "jal"], slots: sweepSize.slots, sites: { count: 15 }, users: { perSite: sweepSize.perSite },
  learning: { episodes: sweepSize.episodes, slotsPerEpisode: 25 },
}, "bench", { limits: UNLIMITED });
const sweepUserSlots = trials.length * sweepSize.perSite * 15 * (sweepSize.slots + sweepSize.episodes * 25);
for (const threads of [1, 2]) {
  const seconds = await alternate(async (b) => {
    const t0 = performance.now();
    let failed = 0;
    await runTrials(trials, b, threads, ({ record }) => { if (record.status !== "ok") failed++; });
    if (failed) throw new Error(`sweep-learner/${b}/${threads} threads: ${failed} trials failed`);
    return (performance.now() - t0) / 1000;
  });
  records.push(...pair({ name: "sweep-learner", users: sweepSize.perSite * 15, sites: 15, threads, measure: `${trials.length} learner trials (il, jal), ${sweepSize.episodes}x25 training + ${sweepSize.slots} slots, runTrials on ${threads} thread(s)` },
    seconds, sweepUserSlots, (s) => ({ trialsPerSecond: trials.length / s, secondsPerRun: s })));
  line(`sweep-learner ${threads}T`, "trials/s", { wasm: trials.length / seconds.wasm, js: trials.length / seconds.js }, "higher");
}

console.log(`wrote ${recordBench(records)}`);
rmSync(dir, { recursive: true, force: true });
