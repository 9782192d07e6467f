// The stochastic game as a vectorised environment: every agent (user) at once, in flat arrays
// (StepArrays), for the Python bridge (src/env/server.ts) and the dictionary environment
// (parallel-env.ts). It steps the trial runner's Simulation (buildSimulation: the same world,
// twin, kernels and control units, migration and authentication as the scenario says),
// encodes states and masks with the learners' kernel encoder and rewards with their kernel
// reward model, and after an episode's last slot gives the metrics record `twinedge run`
// writes (trials/<id>.json "metrics"): an episode of the built-in `local`, driven here by
// action 0 for every agent, equals that trial's metrics (test/env-vector.test.ts).
//
// Episodes: "evaluation" runs the scenario's `slots` with its `warmupSlots` left out of the
// metrics (the trial's evaluation episode); "training" runs learning.slotsPerEpisode slots,
// all counted (a trial's training episode). Every agent is present every slot; an agent
// without a task (active 0) may only take action 0, its action is ignored and its reward is 0.
import type { Backend } from "../kernels/index.js";
import type { Metrics } from "../contracts/record.js";
import { buildSimulation } from "../run/build-simulation.js";
import { episodeMetrics, twinMark } from "../run/episode.js";
import type { TwinTotals } from "../run/metrics.js";
import type { Simulation } from "../run/simulation.js";
import type { TrialConfig } from "../scenario/schema.js";
import { userCount } from "../scenario/users.js";
import { ACTIONS, STATES_PER_CELL } from "../policy/encoding.js";
import { KernelEncoder } from "../policy/kernel-encoder.js";
import { KernelRewards } from "../policy/kernel-rewards.js";
import { KernelBaselines } from "../policy/kernel-baselines.js";
import type { Observation } from "../twin/twin-layer.js";
import { FEATURES, writeFeatures } from "./features.js";
import { DONE, StepArrays } from "./step-arrays.js";

export type EpisodeKind = "evaluation" | "training";
/** The built-in policies the environment can apply for a step (stepPolicy): the baselines. */
export const ENV_POLICIES = ["local", "random", "nearest", "greedy"] as const;
export type EnvPolicy = (typeof ENV_POLICIES)[number];

export interface VectorEnvOptions {
  backend: Backend;
  episode: EpisodeKind;
  /** Where a trace file is read from (the scenario's folder). */
  baseDir: string | null;
  /** A masked action of an active agent is an error (ActionError) instead of running as action 0. */
  strictMasks: boolean;
  /** Slots per episode instead of the episode kind's. */
  slots?: number;
  /** Bytes left free before the step arrays' payload (the server's frame header). */
  headerBytes?: number;
}

/** A caller's action that cannot be taken: out of range, or masked with strictMasks. */
export class ActionError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "ActionError";
  }
}

/** Misuse of the environment's sequence: a step before reset or after the episode ended, metrics before its end. */
export class EnvStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvStateError";
  }
}

export class VectorEnv {
  readonly users: number;
  readonly sites: number;
  /** Tabular states: sites x STATES_PER_CELL (72, src/policy/encoding.ts). */
  readonly states: number;
  /** Slots per episode, and those left out of the metrics at its start. */
  readonly slots: number;
  readonly warmupSlots: number;
  /** What the last reset or step wrote, for all agents. */
  readonly out: StepArrays;
  private sim: Simulation | undefined;
  private encoder: KernelEncoder | undefined;
  private rewards: KernelRewards | undefined;
  private baselines: KernelBaselines | undefined;
  private obs: Observation | undefined;
  private slot = 0;
  private seed: number | string = 0;
  private atWarmupEnd: TwinTotals | undefined;
  private result: Metrics | null = null;
  private readonly cellScaleM: number;

  constructor(readonly config: TrialConfig, readonly o: VectorEnvOptions) {
    const c = config;
    this.users = userCount(c);
    this.sites = c.sites.count;
    this.states = this.sites * STATES_PER_CELL;
    this.slots = o.slots ?? (o.episode === "evaluation" ? c.slots : c.learning.slotsPerEpisode);
    this.warmupSlots = o.episode === "evaluation" ? c.warmupSlots : 0;
    this.cellScaleM = Math.sqrt((c.area.widthM * c.area.heightM) / this.sites) / 2;
    this.out = new StepArrays(this.users, FEATURES.length, o.headerBytes ?? 0);
  }

  /** A new episode of world seed `seed` (a trial's seed gives the trial's world); writes the first observation. */
  reset(seed: number | string): void {
    const c = this.config;
    // Built once, then reset: a new episode reuses the kernel memory.
    if (this.sim) this.sim.reset(seed);
    else {
      const sim = (this.sim = buildSimulation(c, { seed, backend: this.o.backend, baseDir: this.o.baseDir }));
      this.encoder = new KernelEncoder(sim.k.machine, c, { channel: c.channel }, this.users);
      this.rewards = new KernelRewards(sim.k.machine, this.users, this.sites, c.learning);
    }
    this.seed = seed;
    this.baselines?.reset(seed);
    this.slot = 0;
    this.result = null;
    this.atWarmupEnd = twinMark(this.sim);
    this.out.reward.fill(0);
    this.out.masked.fill(0);
    this.prepare();
  }

  /** One slot with each active agent's action (`actions[i]` in 0..6); inactive agents' entries are ignored. */
  step(actions: Int32Array): void {
    const { sim, obs, encoder } = this.running();
    if (actions.length !== this.users) throw new ActionError(`actions: expected ${this.users} actions (one per agent), got ${actions.length}`);
    const act = encoder!.action, mask = this.out.mask, masked = this.out.masked;
    masked.fill(0);
    for (let i = 0; i < this.users; i++) {
      if (!obs.active[i]) continue;
      const a = actions[i];
      if (!(a >= 0 && a < ACTIONS)) throw new ActionError(`actions[${i}] (user_${i}): expected an action in 0..${ACTIONS - 1}, got ${a}`);
      if (mask[i * ACTIONS + a] === 1) {
        act[i] = a;
        continue;
      }
      if (this.o.strictMasks) throw new ActionError(`actions[${i}] (user_${i}): action ${a} is masked in slot ${this.slot} (allowed: ${this.allowed(i).join(", ")})`);
      act[i] = 0;
      masked[i] = 1;
    }
    encoder!.decide(obs.ptrs, sim.L.theta.byteOffset, sim.L.server.byteOffset);
    this.evaluate("env");
  }

  /** One slot decided by the built-in policy `name` (the trial runner's kernels, its random stream seeded by the episode's seed). */
  stepPolicy(name: EnvPolicy): void {
    const { sim, obs } = this.running();
    this.out.masked.fill(0);
    if (name !== "local") {
      const c = this.config;
      this.baselines ??= new KernelBaselines(sim.k.machine, { channel: c.channel, localFractions: c.actions.localFractions, seed: this.seed }, this.sites);
      this.baselines[name](obs.ptrs, sim.L.theta.byteOffset, sim.L.server.byteOffset);
    }
    this.evaluate(name);
  }

  /** The episode's metrics record, once its last slot is stepped. */
  metrics(): Metrics {
    if (this.result === null) throw new EnvStateError(this.sim ? `metrics: the episode has not ended (slot ${this.slot} of ${this.slots})` : "metrics: call reset(seed) first");
    return this.result;
  }

  /** The global view (true state): positions (m), serving cells, then what each site measured last slot. */
  state(): Float64Array {
    const sim = this.sim;
    if (!sim) throw new EnvStateError("state: call reset(seed) first");
    const m = this.users, out = new Float64Array(3 * m + this.sites);
    out.set(sim.world.pos.xM.subarray(0, m), 0);
    out.set(sim.world.pos.yM.subarray(0, m), m);
    out.set(sim.world.serving.subarray(0, m), 2 * m);
    out.set(sim.L.siteLoad.subarray(0, this.sites), 3 * m);
    return out;
  }

  private running(): { sim: Simulation; obs: Observation; encoder: KernelEncoder } {
    const { sim, obs, encoder } = this;
    if (!sim || !obs || !encoder) throw new EnvStateError(sim ? "step: the episode has ended; call reset(seed)" : "step: call reset(seed) first");
    return { sim, obs, encoder };
  }

  private allowed(i: number): number[] {
    return [...Array(ACTIONS).keys()].filter((a) => this.out.mask[i * ACTIONS + a] === 1);
  }

  /** Commits the slot with the decisions written, rewards the acting agents, and moves to the next slot or ends the episode. */
  private evaluate(who: string): void {
    const sim = this.sim!, obs = this.obs!, L = sim.L, rw = this.rewards!;
    sim.commit(who);
    rw.compute(obs.ptrs, { active: L.active.byteOffset, theta: L.theta.byteOffset, server: L.server.byteOffset, tProcS: L.tProcS.byteOffset });
    const reward = this.out.reward;
    for (let i = 0; i < this.users; i++) reward[i] = L.active[i] ? rw.reward[i] : 0;
    sim.finish(this.slot >= this.warmupSlots);
    this.slot++;
    if (this.slot === this.warmupSlots) this.atWarmupEnd = twinMark(sim);
    if (this.slot < this.slots) {
      this.prepare();
      return;
    }
    // The episode is over: the last observation stays, with no agent active.
    this.result = episodeMetrics(sim, this.atWarmupEnd!);
    this.obs = undefined;
    const { header, mask, active, features } = this.out;
    header[0] = this.slot;
    header[1] = DONE;
    active.fill(0);
    mask.fill(0);
    for (let i = 0; i < this.users; i++) {
      mask[i * ACTIONS] = 1;
      features[i * FEATURES.length] = 0;
    }
  }

  /** Moves the simulation to the current slot and encodes its observation. */
  private prepare(): void {
    const sim = this.sim!, enc = this.encoder!;
    const obs = (this.obs = sim.prepare(this.slot));
    enc.encode(obs.ptrs);
    const { header, state, mask, active, features } = this.out;
    header[0] = this.slot;
    header[1] = 0;
    state.set(enc.state);
    const bits = enc.mask;
    for (let i = 0; i < this.users; i++) {
      const b = bits[i], row = i * ACTIONS;
      for (let a = 0; a < ACTIONS; a++) mask[row + a] = (b >> a) & 1;
      active[i] = obs.active[i];
    }
    const heap = sim.k.machine.heap;
    writeFeatures(obs, heap.i32.subarray(enc.activeInPtr >>> 2, (enc.activeInPtr >>> 2) + this.sites), this.cellScaleM, features);
  }
}
