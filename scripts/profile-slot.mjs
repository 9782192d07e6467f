// Seconds per slot of one policy at a given size, after a warm-up slot, on the WASM kernels:
// `node [--cpu-prof] scripts/profile-slot.mjs USERS SITES POLICY SLOTS [ARRIVAL_RATE]` (after `npm run build`),
// e.g. `1000000 100 nearest 3`, `100000 100 jal 20` (an untrained, frozen table, sharing "all") or
// `750 15 optimum 100 0.2` (which also prints the descent's sweeps and moves per slot).
import { fileURLToPath } from "node:url";
const root = fileURLToPath(new URL("..", import.meta.url));
const [users, sites, policy, slots, rate] = [+process.argv[2], +process.argv[3], process.argv[4], +(process.argv[5] ?? 3), +(process.argv[6] ?? 0.1)];
const { buildSimulation } = await import(`${root}/dist/src/run/build-simulation.js`);
const { createPolicy } = await import(`${root}/dist/src/policy/index.js`);
const { runEpisode } = await import(`${root}/dist/src/run/episode.js`);
const { resolveScenario } = await import(`${root}/dist/src/sweep/load.js`);
const { stream } = await import(`${root}/dist/src/world/rng.js`);
const c = resolveScenario({ users: { total: users }, sites: { count: sites }, tasks: { arrivalRate: rate }, learning: { sharing: "all", episodes: 1, slotsPerEpisode: 1 } }, "b.json").points[0].config;
const sim = buildSimulation(c, { seed: 1, backend: "wasm" });
const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(1, "policy"), seed: 1 };
const p = createPolicy(policy, ctx, { config: c, users: sim.users, backend: sim.k.machine, layout: sim.L });
if (p.training !== undefined) p.training = false;
runEpisode(sim, p, { slots: 1, warmupSlots: 0 });
const t0 = performance.now();
runEpisode(sim, p, { slots, warmupSlots: 0 });
const s = (performance.now() - t0) / 1000 / slots;
console.log(policy, users, sites, s < 0.01 ? s.toFixed(5) : s.toFixed(3), "s/slot");
if (p.stats) {
  const { slots: k, sweeps, moves, capHits, greedyCostS, optimumCostS } = p.stats;
  console.log(`sweeps/slot ${(sweeps / k).toFixed(2)}, moves/slot ${(moves / k).toFixed(1)}, cap hits ${capHits}, cost vs greedy's ${(optimumCostS / greedyCostS).toFixed(4)}`);
}
