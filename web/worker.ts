// The simulator in a Web Worker, on the same WASM kernels and the same JavaScript the CLI runs
// (the bundle is built from dist/src, web/vite.config.ts): scenarios validated by the same
// schema (resolveScenario), live lanes built as a trial builds them (startTrial) and stepped
// by the trial's own slot step (runSlot), and whole trials run by runTrial and sealed as
// `twinedge run` writes trials/<id>.json.
import { resolveScenario, type LoadedScenario } from "../src/sweep/load.js";
import { estimateTrialMemory, formatGiB } from "../src/sweep/memory.js";
import { DEFAULT_MAX_TRIALS, type Limits } from "../src/scenario/limits.js";
import { userCount } from "../src/scenario/users.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { contentHash } from "../src/sweep/hash.js";
import { runTrial, startTrial } from "../src/run/trial.js";
import { runSlot } from "../src/run/episode.js";
import { json, sealRecord } from "../src/results/record-file.js";
import { QLearner, type Policy } from "../src/policy/index.js";
import type { Simulation } from "../src/run/simulation.js";
import type { PolicyName } from "../src/scenario/schema.js";
import { InputError } from "../src/validation.js";
import { codeHash } from "./seams/code-hash.js";
import { provideKernelBytes, wasmSha256 } from "./seams/kernel-module.js";
import { AUTH_REFUSAL } from "./seams/auth-control.js";
import { CODE, type Controls, type LaneSlot, type Reply, type Request } from "./protocol.js";

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Request>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (r: Reply, transfer: Transferable[] = []): void => scope.postMessage(r, transfer);

/** One policy on the shared world: its own simulation of the same config and seed. */
interface Lane {
  policy: PolicyName;
  sim: Simulation;
  pol: Policy;
  episode: number;
}

let lanes: Lane[] = [];
let shown = 0;
let slot = 0;
let warmupSlots = 0;
/** The scenario's `slots`: a live episode stops there, as a trial's does. */
let slotsPerRun = 0;
/** The live episode: 0 is the trial's world (its seed); Run after the end starts the next. */
let liveEpisode = 0;
let liveSeed = 0;
let running = false;
let rate = 10;
let paceStart = 0;
let paceDone = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
/** End times of recent slots (ms), for the measured pace. */
const recent: number[] = [];

/** The raw scenario with the page's controls applied: what is validated, and what `twinedge run` would be given. */
function effectiveScenario(raw: unknown, controls: Controls, policies: PolicyName[]): Record<string, unknown> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw as Record<string, unknown>; // resolveScenario names the problem
  const s = structuredClone(raw) as Record<string, unknown>;
  s.policies = policies;
  s.seeds = [controls.seed];
  if (controls.usersPerSite !== null) {
    const { total: _t, ...users } = (s.users && typeof s.users === "object" ? s.users : {}) as Record<string, unknown>;
    s.users = { ...users, perSite: controls.usersPerSite };
  }
  if (controls.taskMeanBits !== null) {
    s.tasks = { ...((s.tasks && typeof s.tasks === "object" ? s.tasks : {}) as object), bits: { dist: "centred", mean: controls.taskMeanBits } };
  }
  return s;
}

/**
 * The most simulated users (users x policies side by side, summed over the lanes) the page
 * takes: every lane is a simulation of its own, and the shown lane's users are drawn every
 * frame. Measured in headless Chromium on the 2-core machine, paced at 20 slots/s (docs/view.md,
 * "How large a world"): 20 000 users in one lane drew 35 frames/s and 5 000 users x 4 lanes 57;
 * 30 000 users in one lane drew 16, and 30 000 x 4 lanes 14 (1.5 M x 4 took 3.7 GB and froze
 * the tab). Larger scenarios run with `twinedge run`.
 */
const MAX_LIVE_USER_LANES = 20_000;
/** The most memory (the trial estimate, summed over the lanes) the page allocates. */
const MAX_LIVE_BYTES = 2 ** 30;

/** The browser checks its own caps (checkSize), which are far below the CLI's per-trial memory cap, so that message (an option the page lacks) never shows. */
const BROWSER_LIMITS: Limits = { maxTrials: DEFAULT_MAX_TRIALS, maxMemoryBytes: Infinity };

/** Validates as the CLI does, then refuses what the browser cannot run, naming the field. */
function resolve(raw: unknown, source: string, name: string): LoadedScenario {
  const loaded = resolveScenario(raw, source, { fallbackName: name, limits: BROWSER_LIMITS });
  const issues = new Set<string>();
  for (const p of loaded.points) {
    if (p.config.auth.mode !== "off") issues.add(`auth.mode: "${p.config.auth.mode}": ${AUTH_REFUSAL}`);
    if (p.config.mobility.model === "trace") issues.add("mobility.model: \"trace\" replays a file from disk, which the browser view cannot read; run it with `twinedge run`");
  }
  if (issues.size) throw new InputError(source, [...issues]);
  return loaded;
}

/** Refuses, before anything is allocated, a world too large for the page: users x lanes above MAX_LIVE_USER_LANES, or lanes' memory above MAX_LIVE_BYTES. */
function checkSize(c: TrialConfig, policies: PolicyName[], source: string, what: string): void {
  const users = userCount(c), lanes = policies.length, field = c.users.total !== undefined ? "users.total" : "users.perSite (Users per site)";
  const count = c.users.total !== undefined ? `${users} users` : `${c.users.perSite} users per site x ${c.sites.count} sites`;
  if (users * lanes > MAX_LIVE_USER_LANES) {
    const perSite = Math.max(0, Math.floor(MAX_LIVE_USER_LANES / lanes / c.sites.count));
    throw new InputError(source, [`${field}: ${count}${lanes > 1 ? ` x ${lanes} policies side by side` : ""} = ${users * lanes} simulated users, above the `
      + `${MAX_LIVE_USER_LANES} the browser view ${what} (so that the page stays responsive): at most ${perSite} users per site here${lanes > 1 ? ", or tick fewer policies" : ""}; `
      + "`twinedge run` runs larger scenarios"]);
  }
  const bytes = policies.reduce((a, p) => a + estimateTrialMemory(c, [p]).bytes, 0);
  if (bytes > MAX_LIVE_BYTES) {
    const top = estimateTrialMemory(c, policies).terms[0].field;
    throw new InputError(source, [`${top}: ${lanes > 1 ? `${lanes} policies side by side need` : "the trial needs"} an estimated ${formatGiB(bytes)}, above the ${formatGiB(MAX_LIVE_BYTES)} the browser view ${what}; `
      + "`twinedge run` runs larger scenarios"]);
  }
}

function pointOf(loaded: LoadedScenario, pointIndex: number): number {
  if (!Number.isInteger(pointIndex) || pointIndex < 0 || pointIndex >= loaded.points.length) {
    throw new InputError("point", [`expected a sweep point in 0..${loaded.points.length - 1}, got ${pointIndex}`]);
  }
  return pointIndex;
}

/** A sweep point for the selector: its values ("migration.mode=proactive, …"), or its index without a sweep. */
function pointLabel(values: Record<string, unknown>, k: number): string {
  const parts = Object.entries(values).map(([key, v]) => `${key}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(", ") : String(k);
}

function load(r: Extract<Request, { type: "load" }>): void {
  stop();
  lanes = [];
  const effective = effectiveScenario(r.raw, r.controls, r.controls.policies);
  const loaded = resolve(effective, r.source, r.name);
  const point = loaded.points[pointOf(loaded, r.controls.pointIndex)];
  const c = point.config;
  if (!r.controls.policies.length) throw new InputError(r.source, ["policies: tick at least one policy to run live"]);
  checkSize(c, r.controls.policies, r.source, "runs live");
  // The effective scenario lists exactly the controls' built-in policies (effectiveScenario).
  lanes = r.controls.policies.map((policy) => {
    const { sim, policy: pol } = startTrial({ config: c, policy, seed: r.controls.seed, baseDir: null }, "wasm");
    return { policy, sim, pol, episode: 0 };
  });
  for (const lane of lanes) learnerEpisode(lane);
  shown = lanes.length - 1; // the last policy listed: the scenario's main one, usually
  slot = 0;
  warmupSlots = c.warmupSlots;
  slotsPerRun = c.slots;
  liveEpisode = 0;
  liveSeed = r.controls.seed;
  const sites = lanes[0].sim.world.sites;
  post({
    type: "world", name: loaded.name, points: loaded.points.map((p, k) => pointLabel(p.values, k)), users: lanes[0].sim.users, sites: sites.count, widthM: c.area.widthM, heightM: c.area.heightM,
    siteX: sites.xM.slice(0, sites.count), siteY: sites.yM.slice(0, sites.count), policies: lanes.map((l) => l.policy), slots: c.slots, seeds: loaded.scenario.seeds, effective,
  });
  postFrame([]);
}

/**
 * After the scenario's `slots`, the next live episode: every lane's world reset to the seed's
 * live episode `<seed>/live<n>` (a new world of the same config, as a learner's training
 * episodes are `<seed>/train<e>`); learners keep their tables and their episode count.
 */
function nextEpisode(): void {
  liveEpisode++;
  for (const lane of lanes) lane.sim.reset(`${liveSeed}/live${liveEpisode}`);
  slot = 0;
  recent.length = 0;
  post({ type: "episode", episode: liveEpisode, seed: `${liveSeed}/live${liveEpisode}` });
}

/** A learner in the live view learns online: training, its epsilon on the scenario's schedule, an episode every learning.slotsPerEpisode slots. */
function learnerEpisode(lane: Lane): void {
  if (!(lane.pol instanceof QLearner)) return;
  lane.pol.training = true;
  lane.pol.epsilon = lane.pol.epsilonAt(lane.episode);
}

/** Advances every lane one slot; returns each lane's means over the slot's tasks. */
function step(): { slot: number; lanes: LaneSlot[] } {
  const out: LaneSlot[] = [];
  for (const lane of lanes) {
    const { sim, pol } = lane;
    runSlot(sim, pol, slot, slot >= warmupSlots);
    if (pol instanceof QLearner && (slot + 1) % sim.world.config.learning.slotsPerEpisode === 0) {
      pol.endEpisode();
      pol.takeMeanReward();
      lane.episode++;
      learnerEpisode(lane);
    }
    const L = sim.L;
    let tasks = 0, latency = 0, missed = 0, offloaded = 0;
    for (let i = 0; i < sim.users; i++) {
      if (!L.active[i]) continue;
      tasks++;
      latency += L.tProcS[i];
      if (!L.deadlineMet[i]) missed++;
      offloaded += 1 - L.theta[i];
    }
    out.push({ policy: lane.policy, tasks, latencyS: tasks ? latency / tasks : null, deadlineMissRate: tasks ? missed / tasks : null, offloadRatio: tasks ? offloaded / tasks : null });
  }
  const done = { slot, lanes: out };
  slot++;
  const now = performance.now();
  recent.push(now);
  while (recent.length > 2 && now - recent[0] > 2000) recent.shift();
  return done;
}

/** The shown lane's users after the last slot: positions, decision codes, upload targets; and each site's load. */
function postFrame(steps: { slot: number; lanes: LaneSlot[] }[]): void {
  const lane = lanes[shown];
  if (!lane) return;
  const { sim } = lane, L = sim.L, m = sim.users;
  const x = new Float32Array(m), y = new Float32Array(m), code = new Uint8Array(m), server = new Int16Array(m);
  x.set(sim.world.motion.xM.subarray(0, m));
  y.set(sim.world.motion.yM.subarray(0, m));
  for (let i = 0; i < m; i++) {
    server[i] = L.server[i];
    if (slot === 0 || !L.active[i]) code[i] = CODE.idle;
    else if (L.refused[i]) code[i] = CODE.refused;
    else if (L.theta[i] >= 1) code[i] = CODE.local;
    else if (L.migrateTo[i] >= 0) code[i] = CODE.migrating;
    else code[i] = L.theta[i] > 0 ? CODE.partial : CODE.offloaded;
  }
  const siteLoad = L.siteLoad.slice(0, sim.sites);
  const span = recent.length > 1 ? recent[recent.length - 1] - recent[0] : 0;
  const slotsPerSecond = span > 0 ? ((recent.length - 1) * 1000) / span : 0;
  post({ type: "frame", steps, shown, x, y, code, server, siteLoad, slotsPerSecond }, [x.buffer, y.buffer, code.buffer, server.buffer, siteLoad.buffer]);
}

function stop(): void {
  running = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

/** Runs the slots due at the asked pace (as many as fit in ~25 ms at "max"), posts one frame, and comes back. */
function tick(): void {
  timer = undefined;
  if (!running) return;
  const begin = performance.now();
  const due = Number.isFinite(rate) ? Math.floor(((begin - paceStart) * rate) / 1000) - paceDone : Infinity;
  const steps: { slot: number; lanes: LaneSlot[] }[] = [];
  try {
    while (steps.length < due && slot < slotsPerRun && performance.now() - begin < 25) steps.push(step());
  } catch (e) {
    stop();
    post({ type: "error", context: "run", message: e instanceof Error ? e.message : String(e) });
    return;
  }
  paceDone += steps.length;
  if (steps.length) postFrame(steps);
  if (slot >= slotsPerRun) {
    stop();
    post({ type: "ended", slots: slotsPerRun, episode: liveEpisode });
    return;
  }
  const wait = Number.isFinite(rate) ? Math.max(0, paceStart + ((paceDone + 1) * 1000) / rate - performance.now()) : 0;
  timer = setTimeout(tick, wait);
}

function handle(r: Request): void {
  switch (r.type) {
    case "load":
      return load(r);
    case "run":
      rate = r.slotsPerSecond > 0 ? r.slotsPerSecond : Infinity;
      stop();
      if (lanes.length && slot >= slotsPerRun) nextEpisode();
      running = lanes.length > 0;
      paceStart = performance.now();
      paceDone = 0;
      recent.length = 0;
      return tick();
    case "pause":
      return stop();
    case "step":
      stop();
      if (!lanes.length) return;
      if (slot >= slotsPerRun) nextEpisode();
      postFrame([step()]);
      if (slot >= slotsPerRun) post({ type: "ended", slots: slotsPerRun, episode: liveEpisode });
      return;
    case "unload":
      stop();
      lanes = [];
      return;
    case "show":
      shown = Math.max(0, Math.min(lanes.length - 1, r.lane));
      if (!running) postFrame([]);
      return;
    case "trial": {
      const t0 = performance.now();
      // The trial's own scenario: its seed, its policy and the controls it ran with, so `twinedge run` on it gives this trial.
      const effective = effectiveScenario(r.raw, r.controls, [r.policy]);
      const loaded = resolve(effective, r.source, r.name);
      const spec = loaded.trials.find((t) => t.pointIndex === pointOf(loaded, r.controls.pointIndex))!;
      checkSize(spec.config, [r.policy], r.source, "runs as a whole trial");
      const { record } = runTrial(spec, "wasm");
      post({ type: "trial", id: record.id, json: json(sealRecord(record, contentHash)), ms: performance.now() - t0, name: loaded.name, effective });
    }
  }
}

async function init(): Promise<void> {
  const response = await fetch(new URL("../build/kernels.wasm", import.meta.url));
  if (!response.ok) throw new Error(`kernels.wasm: HTTP ${response.status}`);
  provideKernelBytes(new Uint8Array(await response.arrayBuffer()));
  post({ type: "ready", wasmSha256: wasmSha256(), codeHash: codeHash() });
}

const ready = init();
scope.onmessage = (e) => {
  ready.then(() => handle(e.data)).catch((err: unknown) => {
    const context = e.data.type === "trial" ? "trial" : e.data.type === "load" ? "load" : "run";
    post({ type: "error", context, message: err instanceof Error ? err.message : String(err) });
  });
};
