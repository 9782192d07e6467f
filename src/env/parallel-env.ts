// The stochastic game as an environment with PettingZoo's parallel API: agents are users,
// keyed "user_<i>"; reset(seed) -> observations, infos; step(actions) -> observations,
// rewards, terminations, truncations, infos; state() the global view. It drives the same
// Simulation as the trial runner, observes through the same twin and encodes and rewards as
// the learners do (src/policy/encoding.ts, src/policy/rewards.ts).
//
// Every agent is present every slot; only agents with a task (info.active) act: others'
// actions are ignored and their reward is 0. An episode is truncated after `slots` slots.
import type { Backend } from "../kernels/index.js";
import { buildSimulation } from "../run/build-simulation.js";
import type { Simulation } from "../run/simulation.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { Observation } from "../twin/twin-layer.js";
import { userCount } from "../scenario/users.js";
import { ACTIONS, Encoder } from "../policy/encoding.js";
import { RewardModel } from "../policy/rewards.js";

export interface AgentObservation {
  /** The encoded state (src/policy/encoding.ts). */
  state: number;
  /** Bit a set = action a allowed (ACTIONS = 7). */
  mask: number;
}

export interface AgentInfo {
  /** Whether the agent has a task to place this slot. */
  active: boolean;
}

export interface GlobalState {
  slot: number;
  xM: number[];
  yM: number[];
  cell: number[];
  siteLoad: number[];
}

type ByAgent<T> = Record<string, T>;

export class EdgeParallelEnv {
  readonly possibleAgents: string[];
  agents: string[] = [];
  private sim: Simulation | undefined;
  private obs: Observation | undefined;
  private slot = 0;
  private readonly state_: Int32Array;
  private readonly mask: Int32Array;
  private readonly reward: Float64Array;
  private readonly bucket: Int32Array;
  private readonly encoder: Encoder;
  private readonly rewards: RewardModel;
  private readonly users: number;

  /** `slots`: episode length (default the scenario's learning.slotsPerEpisode). */
  constructor(private readonly config: TrialConfig, private readonly backend: Backend = "wasm", private readonly slots = config.learning.slotsPerEpisode, private readonly baseDir: string | null = null) {
    this.users = userCount(config);
    this.possibleAgents = Array.from({ length: this.users }, (_, i) => `user_${i}`);
    this.encoder = new Encoder(config, { channel: config.channel }, this.users);
    this.rewards = new RewardModel(config.sites.count, config.learning);
    this.state_ = new Int32Array(this.users);
    this.mask = new Int32Array(this.users);
    this.reward = new Float64Array(this.users);
    this.bucket = new Int32Array(this.users);
  }

  reset(seed: number | string): { observations: ByAgent<AgentObservation>; infos: ByAgent<AgentInfo> } {
    const c = this.config;
    // Built once, then reset: a new episode reuses the kernel memory.
    if (this.sim) this.sim.reset(seed);
    else this.sim = buildSimulation(c, { seed, backend: this.backend, baseDir: this.baseDir });
    this.slot = 0;
    this.agents = [...this.possibleAgents];
    this.obs = this.sim.prepare(0);
    return { observations: this.observe(), infos: this.infos() };
  }

  step(actions: ByAgent<number>): {
    observations: ByAgent<AgentObservation>; rewards: ByAgent<number>; terminations: ByAgent<boolean>; truncations: ByAgent<boolean>; infos: ByAgent<AgentInfo>;
  } {
    const sim = this.sim, obs = this.obs;
    if (!sim || !obs || this.agents.length === 0) throw new Error("step: call reset(seed) first (the episode has ended)");
    const d = sim.decisions;
    for (let i = 0; i < this.users; i++) {
      if (!obs.active[i]) continue;
      const a = actions[this.possibleAgents[i]];
      if (!Number.isInteger(a) || a < 0 || a >= ACTIONS || !((this.mask[i] >> a) & 1)) {
        throw new RangeError(`actions.${this.possibleAgents[i]}: expected an allowed action (mask ${this.mask[i].toString(2)}), got ${a}`);
      }
      this.encoder.decide(i, a, d.theta, d.server);
    }
    sim.commit("env");
    this.reward.fill(0);
    this.rewards.compute(obs, sim.L, this.reward, this.bucket);
    sim.finish(false);
    const rewards: ByAgent<number> = {}, terminations: ByAgent<boolean> = {}, truncations: ByAgent<boolean> = {};
    this.slot++;
    const done = this.slot >= this.slots;
    this.possibleAgents.forEach((a, i) => {
      rewards[a] = obs.active[i] ? this.reward[i] : 0;
      terminations[a] = false;
      truncations[a] = done;
    });
    if (done) this.agents = [];
    else this.obs = sim.prepare(this.slot);
    return { observations: this.observe(), rewards, terminations, truncations, infos: this.infos() };
  }

  /** The global view: true positions and cells, and what the sites measured last slot. */
  state(): GlobalState {
    const sim = this.sim;
    if (!sim) throw new Error("state: call reset(seed) first");
    return {
      slot: this.slot,
      xM: Array.from(sim.world.pos.xM),
      yM: Array.from(sim.world.pos.yM),
      cell: Array.from(sim.world.serving),
      siteLoad: Array.from(sim.L.siteLoad.subarray(0, sim.sites)),
    };
  }

  private observe(): ByAgent<AgentObservation> {
    this.encoder.encode(this.obs!, this.state_, this.mask);
    const out: ByAgent<AgentObservation> = {};
    this.possibleAgents.forEach((a, i) => (out[a] = { state: this.state_[i], mask: this.mask[i] }));
    return out;
  }

  private infos(): ByAgent<AgentInfo> {
    const out: ByAgent<AgentInfo> = {};
    this.possibleAgents.forEach((a, i) => (out[a] = { active: this.obs!.active[i] === 1 }));
    return out;
  }
}
