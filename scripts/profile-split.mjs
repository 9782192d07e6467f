// The CPU-profile split of a training trial: runs `twinedge run` under `node --cpu-prof` for
// one backend and prints the share of samples in WASM functions, the share spent loading
// modules, and the top host (JavaScript/TypeScript) functions by self time.
//
//   node scripts/profile-split.mjs [--backend wasm|js] [--scenario file.json] [--episodes N] [--top 10] [--keep dir]
//
// Without --scenario it profiles the paper's JAL point: 30 users per site x 15 sites,
// 300 training episodes of 25 slots, then 200 slots (10 warm-up). The whole process is
// profiled (start-up included), as a user runs it. Needs `npm run build`.
//
// A sample is in WASM when its function's script URL is wasm://... (how V8 names a WASM
// module's functions); the host file dist/src/kernels/wasm.js that calls them is host code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

function options(argv) {
  const o = { backend: "wasm", scenario: null, episodes: 300, top: 10, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === "--backend" && (v === "wasm" || v === "js")) o.backend = v;
    else if (k === "--scenario" && v) o.scenario = v;
    else if (k === "--episodes" && Number.isSafeInteger(Number(v)) && Number(v) > 0) o.episodes = Number(v);
    else if (k === "--top" && Number.isSafeInteger(Number(v)) && Number(v) > 0) o.top = Number(v);
    else if (k === "--keep" && v) o.keep = v;
    else {
      console.error(`profile-split: bad argument ${JSON.stringify(k)}${v === undefined ? "" : ` ${JSON.stringify(v)}`}`);
      process.exit(2);
    }
    i++;
  }
  return o;
}

/** Is this profile node a WASM function? */
export const isWasm = (callFrame) => callFrame.url.startsWith("wasm://");
/** Is this node Node's module loader (resolving, reading, compiling modules)? */
const isModuleLoading = (callFrame) => /^node:internal\/modules\//.test(callFrame.url) || callFrame.functionName === "compileSourceTextModule";
const META = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** Self time (µs) per node id of a .cpuprofile: each sample counts the time delta that follows it. */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  return self;
}

/** The split of one profile: shares of WASM, module loading, GC, and the top host functions. */
export function split(profile, top = 10) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  let total = 0, idle = 0, wasm = 0, loading = 0, gc = 0;
  const host = new Map();
  for (const [id, us] of self) {
    const f = nodes.get(id).callFrame;
    total += us;
    if (f.functionName === "(idle)") { idle += us; continue; }
    if (isWasm(f)) { wasm += us; continue; }
    if (f.functionName === "(garbage collector)") gc += us;
    if (isModuleLoading(f)) loading += us;
    const where = f.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, "$1/");
    const key = META.has(f.functionName) ? f.functionName : `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}`;
    host.set(key, (host.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  return {
    busyMs: busy / 1000, wasmShare: wasm / busy, moduleLoadingShare: loading / busy, gcShare: gc / busy,
    top: [...host].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, selfMs: us / 1000, share: us / busy })),
  };
}

function paperScenario(episodes) {
  return { name: "profile-split", seeds: [1], policies: ["jal"], slots: 200, warmupSlots: 10, sites: { count: 15 }, users: { perSite: 30 }, learning: { episodes, slotsPerEpisode: 25 } };
}

function main() {
  const o = options(process.argv.slice(2));
  const dir = o.keep ?? mkdtempSync(join(tmpdir(), "twinedge-profile-"));
  let scenario = o.scenario;
  if (scenario === null) {
    scenario = join(dir, "scenario.json");
    writeFileSync(scenario, JSON.stringify(paperScenario(o.episodes)));
  }
  const profDir = join(dir, "profiles");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profDir, join(ROOT, "bin", "twinedge.js"), "run", scenario,
    "--backend", o.backend, "--threads", "1", "--no-figures", "--quiet", "--out", join(dir, "out")], { encoding: "utf8" });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(`profile-split: twinedge run exited ${r.status}:\n${r.stderr}`);
    process.exit(1);
  }
  // One profile per thread that ran JavaScript; with --threads 1 the trial is in the main thread's.
  const profiles = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")).map((f) => JSON.parse(readFileSync(join(profDir, f), "utf8")));
  const s = split(profiles.sort((a, b) => b.samples.length - a.samples.length)[0], o.top);
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  console.log(`profile-split: ${o.scenario ?? `paper JAL point (450 users x 15 sites, ${o.episodes} x 25 training slots + 200 slots)`}, backend ${o.backend}`);
  console.log(`  whole process ${wallS.toFixed(2)} s wall, ${(s.busyMs / 1000).toFixed(2)} s of samples (not idle)`);
  console.log(`  WASM functions      ${pct(s.wasmShare)}`);
  console.log(`  module loading      ${pct(s.moduleLoadingShare)}`);
  console.log(`  garbage collection  ${pct(s.gcShare)}`);
  console.log(`  top ${o.top} host functions by self time:`);
  for (const t of s.top) console.log(`    ${pct(t.share).padStart(7)}  ${t.selfMs.toFixed(0).padStart(6)} ms  ${t.fn}`);
  if (o.keep === null) rmSync(dir, { recursive: true, force: true });
  else console.log(`  profiles kept in ${profDir}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
