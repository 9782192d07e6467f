// One slot of channel + latency (eq. 1-9), WASM vs pure JS, in one run so the ratio
// is measured under the same machine load. Writes results/bench.json.
import { Bench } from "tinybench";
import { createKernels, evaluateSlot, type Backend, type SlotParams } from "../src/kernels/index.js";
import { fillRandomSlot } from "../src/kernels/synthetic.js";
import { recordBench, type BenchRecord } from "./record.js";

const params: SlotParams = { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null };
const sizes = [
  { name: "slot-paper", users: 750, sites: 15, time: 1000 },
  { name: "slot-massive", users: 100_000, sites: 100, time: 2000 },
  { name: "slot-million", users: 1_000_000, sites: 100, time: 3000 },
];

const records: BenchRecord[] = [];
for (const size of sizes) {
  const bench = new Bench({ name: size.name, time: size.time, iterations: 5, warmupIterations: 2 });
  for (const backend of ["wasm", "js"] as Backend[]) {
    const k = createKernels(backend);
    const L = k.createLayout(size.users, size.sites);
    fillRandomSlot(L, size.users, size.sites, "bench");
    bench.add(backend, () => { evaluateSlot(k, L, size.users, size.sites, params); });
  }
  await bench.run();
  const rate: Record<string, number> = {};
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${size.name}/${task.name}: ${r.state}`);
    rate[task.name] = size.users / (r.latency.mean / 1000);
    records.push({ name: size.name, backend: task.name as Backend, users: size.users, sites: size.sites, usersPerSecond: Math.round(rate[task.name]) });
  }
  console.log(`${size.name.padEnd(13)} M=${String(size.users).padStart(7)} N=${String(size.sites).padStart(3)}  `
    + `wasm ${fmt(rate.wasm)} users/s  js ${fmt(rate.js)} users/s  wasm/js ${(rate.wasm / rate.js).toFixed(2)}x`);
}
const path = recordBench(records);
console.log(`wrote ${path}`);

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`;
}
