// One slot of channel + latency (eq. 1-9), WASM vs pure JS, in one run so the ratio is
// measured under the same machine load: rounds alternate which backend goes first, and
// each backend's figure is the median over rounds of its per-round median slot time.
// Writes results/bench.json.
import { Bench } from "tinybench";
import { createKernels, evaluateSlot, type Backend, type SlotParams } from "../src/kernels/index.js";
import { fillRandomSlot } from "./fixtures/random-slot.js";
import { recordBench, type BenchRecord } from "./record.js";
import { median, QUICK, size } from "./size.js";

const params: SlotParams = { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null };
// Quick mode (bench/size.ts): the same three benchmarks at small sizes, briefly.
const sizes = [
  { name: "slot-paper", users: 750, sites: 15, timeMs: QUICK ? 20 : 300 },
  { name: "slot-massive", users: size("TWINEDGE_BENCH_SLOT_MASSIVE_USERS", 100_000, 5000), sites: 100, timeMs: QUICK ? 20 : 600 },
  { name: "slot-million", users: size("TWINEDGE_BENCH_SLOT_MILLION_USERS", 1_000_000, 20_000), sites: 100, timeMs: QUICK ? 20 : 1000 },
];
const ROUNDS = size("TWINEDGE_BENCH_ROUNDS", 5, 1);

const records: BenchRecord[] = [];
for (const size of sizes) {
  const slots = (["wasm", "js"] as Backend[]).map((backend) => {
    const k = createKernels(backend);
    const L = k.createLayout(size.users, size.sites);
    fillRandomSlot(L, size.users, size.sites, "bench");
    return { backend, run: () => { evaluateSlot(k, L, size.users, size.sites, params); } };
  });
  const msPerSlot: Record<string, number[]> = { wasm: [], js: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ name: size.name, time: size.timeMs, iterations: 3, warmupIterations: 1 });
    for (const s of round % 2 ? [...slots].reverse() : slots) bench.add(s.backend, s.run);
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== "completed") throw new Error(`${size.name}/${task.name}: ${r.state}`);
      msPerSlot[task.name].push(r.latency.p50 ?? r.latency.mean);
    }
  }
  const rate = (b: Backend) => size.users / (median(msPerSlot[b]) / 1000);
  for (const b of ["wasm", "js"] as Backend[]) records.push({ name: size.name, backend: b, users: size.users, sites: size.sites, usersPerSecond: Math.round(rate(b)) });
  console.log(`${size.name.padEnd(13)} M=${String(size.users).padStart(7)} N=${String(size.sites).padStart(3)}  `
    + `wasm ${fmt(rate("wasm"))} users/s  js ${fmt(rate("js"))} users/s  wasm/js ${(rate("wasm") / rate("js")).toFixed(2)}x`);
}
console.log(`wrote ${recordBench(records)}`);

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`;
}
