// Random-action stepping of the vectorised environment from Node, the yardstick of the Python
// bridge's benchmark (bench/python_env_bench.py runs it in the same run, alternating rounds).
// One process for all rounds, like the Python side's env-server: after a warm-up episode,
// each line read on stdin (a world seed) runs one timed evaluation episode of the scenario
// point, reset included, each agent with a task taking a uniformly random allowed action every
// slot, and prints one JSON line {"agentStepsPerS", "agents", "slots"}. Without stdin lines
// (stdin closed at once), `episodes` timed episodes and one line.
// Arguments: <scenario> [pointIndex] [episodes].
import { createInterface } from "node:readline";
import { openScenario } from "../src/env/open-scenario.js";
import { VectorEnv } from "../src/env/vector-env.js";
import { ACTIONS } from "../src/policy/encoding.js";

const [file = "scenarios/paper-fig5.json", point = "4", episodes = "1"] = process.argv.slice(2);
const s = openScenario({ path: file, point: Number(point) });
const env = new VectorEnv(s.point.config, { backend: "wasm", episode: "evaluation", baseDir: s.baseDir, strictMasks: true });
const actions = new Int32Array(env.users);
let x = 0x9e3779b9 >>> 0;
/** xorshift32: a uniform in [0, 1). */
const rand = (): number => {
  x ^= x << 13; x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5; x >>>= 0;
  return x / 4294967296;
};
/** One episode of world `seed`; returns its slots. */
function episode(seed: number): number {
  env.reset(seed);
  for (let slot = 0; slot < env.slots; slot++) {
    const { mask, active } = env.out;
    for (let i = 0; i < env.users; i++) {
      if (!active[i]) continue;
      // The allowed action of the largest random key (as the Python side draws it).
      let best = 0, key = -1;
      for (let a = 0; a < ACTIONS; a++) {
        if (!mask[i * ACTIONS + a]) continue;
        const k = rand();
        if (k > key) { key = k; best = a; }
      }
      actions[i] = best;
    }
    env.step(actions);
  }
  return env.slots;
}
function timed(seeds: number[]): void {
  const t0 = performance.now();
  let steps = 0;
  for (const seed of seeds) steps += episode(seed);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ agentStepsPerS: (steps * env.users) / seconds, agents: env.users, slots: steps }));
}

episode(99);
let rounds = 0;
for await (const line of createInterface({ input: process.stdin })) {
  timed([Number(line) || 1]);
  rounds++;
}
if (rounds === 0) timed(Array.from({ length: Number(episodes) }, (_, e) => e + 1));
