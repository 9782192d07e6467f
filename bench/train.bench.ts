// Training throughput of the learners at paper scale (15 sites x 50 users), WASM vs JS, in
// one run with alternating rounds. An agent-step is one agent in one slot (every user is an
// agent every slot; about a tenth of them have a task and act); the whole slot is timed:
// world, twin, learner (select and TD update) and the slot kernels. Then the learning kernels
// alone (select and update, every agent acting), to show where the time goes.
import { createPolicy, QLearner } from "../src/policy/index.js";
import { runEpisode } from "../src/run/episode.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import type { Backend } from "../src/kernels/index.js";
import { createLearningKernels } from "../src/kernels/learning.js";
import { resolveScenario } from "../src/sweep/load.js";
import { stream } from "../src/world/rng.js";
import { recordBench, type BenchRecord } from "./record.js";
import { median, ROUNDS, size } from "./size.js";

const EPISODES = size("TWINEDGE_BENCH_TRAIN_BENCH_EPISODES", 12, 1), SLOTS = 25, KERNEL_STEPS = size("TWINEDGE_BENCH_KERNEL_STEPS", 400, 20);
const c = resolveScenario({ users: { perSite: 50 }, learning: { episodes: EPISODES, slotsPerEpisode: SLOTS } }, "bench").points[0].config;

function agentStepsPerSecond(name: "il" | "jal", backend: Backend): number {
  const users = c.users.perSite! * c.sites.count;
  const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(1, "policy"), seed: 1 };
  // As a trial does: one simulation reset for each episode, the learner in its kernel memory.
  const sim = buildSimulation(c, { seed: "bench/0", backend });
  const learner = createPolicy(name, ctx, { config: c, users, backend: sim.k.machine }) as QLearner;
  const t0 = performance.now();
  for (let e = 0; e < EPISODES; e++) {
    learner.epsilon = learner.epsilonAt(e);
    sim.reset(`bench/${e}`);
    runEpisode(sim, learner, { slots: SLOTS, warmupSlots: 0 });
    learner.endEpisode();
  }
  return (users * EPISODES * SLOTS) / ((performance.now() - t0) / 1000);
}

const records: BenchRecord[] = [];
for (const name of ["il", "jal"] as const) {
  const rates: Record<Backend, number[]> = { wasm: [], js: [] };
  agentStepsPerSecond(name, "wasm"); // warm-up: JIT and module compilation
  for (let r = 0; r < ROUNDS; r++) for (const b of (r % 2 ? ["js", "wasm"] : ["wasm", "js"]) as Backend[]) rates[b].push(agentStepsPerSecond(name, b));
  const w = median(rates.wasm), j = median(rates.js);
  for (const [b, v] of [["wasm", w], ["js", j]] as const) records.push({ name: `train-${name}`, backend: b, users: c.users.perSite! * c.sites.count, sites: c.sites.count, usersPerSecond: Math.round(v) });
  console.log(`train-${name.padEnd(4)} M=750 N=15  wasm ${(w / 1e6).toFixed(2)}M agent-steps/s  js ${(j / 1e6).toFixed(2)}M agent-steps/s  wasm/js ${(w / j).toFixed(2)}x`);
}
// The learning kernels alone: select and learn over synthetic tables of the same size.
function kernelStepsPerSecond(name: "il" | "jal", backend: Backend): number {
  const k = createLearningKernels(backend);
  const users = 750, r = stream(2, "bench");
  const t = k.createTables({ agents: users, tables: 15, states: 540, actions: 7, buckets: name === "jal" ? 4 : 0 });
  for (let i = 0; i < users; i++) {
    t.tableOf[i] = i % 15; t.state[i] = Math.floor(r() * 540); t.mask[i] = 0x7f; t.active[i] = 1;
    t.reward[i] = r() * 5; t.bucket[i] = i % 4;
  }
  for (let i = 0; i < t.uniforms.length; i++) t.uniforms[i] = r();
  // gamma > 0: every step also closes each agent's pending decision, the heavier path.
  const rule = { gamma: 0.5, stepSize: "visits", alpha: 0.1, alphaMin: 0.01 } as const;
  const steps = KERNEL_STEPS, t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    if (name === "jal") { k.jalSelect(t, 0.1); k.jalLearn(t, rule, false); } else { k.ilSelect(t, 0.1); k.ilLearn(t, rule, false); }
  }
  return (users * steps) / ((performance.now() - t0) / 1000);
}
for (const name of ["il", "jal"] as const) {
  kernelStepsPerSecond(name, "wasm");
  const rates: Record<Backend, number[]> = { wasm: [], js: [] };
  for (let r = 0; r < ROUNDS; r++) for (const b of (r % 2 ? ["js", "wasm"] : ["wasm", "js"]) as Backend[]) rates[b].push(kernelStepsPerSecond(name, b));
  const w = median(rates.wasm), j = median(rates.js);
  for (const [b, v] of [["wasm", w], ["js", j]] as const) records.push({ name: `learn-kernels-${name}`, backend: b, users: 750, sites: 15, usersPerSecond: Math.round(v) });
  console.log(`kernels-${name.padEnd(4)} M=750 S=540 A=7  wasm ${(w / 1e6).toFixed(2)}M agent-steps/s  js ${(j / 1e6).toFixed(2)}M agent-steps/s  wasm/js ${(w / j).toFixed(2)}x`);
}
console.log(`wrote ${recordBench(records)}`);
