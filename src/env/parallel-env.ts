// The stochastic game with PettingZoo's parallel API in TypeScript, over the vectorised
// environment (vector-env.ts): agents are users, keyed "user_<i>"; reset(seed) ->
// observations, infos; step(actions) -> observations, rewards, terminations, truncations,
// infos; state() the global view. Python users get the same through the twinedge package
// (python/, docs/python.md).
//
// Every agent is present every slot; only agents with a task (info.active) act: others'
// actions are ignored and their reward is 0. An episode is truncated after `slots` slots.
import type { Backend } from "../kernels/index.js";
import type { TrialConfig } from "../scenario/schema.js";
import { ACTIONS } from "../policy/encoding.js";
import { VectorEnv } from "./vector-env.js";

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
  private readonly env: VectorEnv;
  private readonly actions: Int32Array;
  private slot = 0;

  /** `slots`: episode length (default the scenario's learning.slotsPerEpisode). */
  constructor(config: TrialConfig, backend: Backend = "wasm", slots = config.learning.slotsPerEpisode, baseDir: string | null = null) {
    this.env = new VectorEnv(config, { backend, episode: "training", slots, baseDir, strictMasks: true });
    this.possibleAgents = Array.from({ length: this.env.users }, (_, i) => `user_${i}`);
    this.actions = new Int32Array(this.env.users);
  }

  reset(seed: number | string): { observations: ByAgent<AgentObservation>; infos: ByAgent<AgentInfo> } {
    this.env.reset(seed);
    this.slot = 0;
    this.agents = [...this.possibleAgents];
    return { observations: this.observe(), infos: this.infos() };
  }

  step(actions: ByAgent<number>): {
    observations: ByAgent<AgentObservation>; rewards: ByAgent<number>; terminations: ByAgent<boolean>; truncations: ByAgent<boolean>; infos: ByAgent<AgentInfo>;
  } {
    if (this.agents.length === 0) throw new Error("step: call reset(seed) first (the episode has ended)");
    const out = this.env.out;
    this.possibleAgents.forEach((agent, i) => {
      if (!out.active[i]) return;
      const a = actions[agent];
      if (!Number.isInteger(a) || a < 0 || a >= ACTIONS || out.mask[i * ACTIONS + a] !== 1) {
        throw new RangeError(`actions.${agent}: expected an allowed action (mask ${this.maskBits(i).toString(2)}), got ${a}`);
      }
      this.actions[i] = a;
    });
    this.env.step(this.actions);
    this.slot++;
    const done = this.slot >= this.env.slots;
    const rewards: ByAgent<number> = {}, terminations: ByAgent<boolean> = {}, truncations: ByAgent<boolean> = {};
    this.possibleAgents.forEach((a, i) => {
      rewards[a] = out.reward[i];
      terminations[a] = false;
      truncations[a] = done;
    });
    if (done) this.agents = [];
    return { observations: this.observe(), rewards, terminations, truncations, infos: this.infos() };
  }

  /** The global view: true positions and cells, and what the sites measured last slot. */
  state(): GlobalState {
    const s = this.env.state(), m = this.env.users;
    return {
      slot: this.slot,
      xM: Array.from(s.subarray(0, m)),
      yM: Array.from(s.subarray(m, 2 * m)),
      cell: Array.from(s.subarray(2 * m, 3 * m)),
      siteLoad: Array.from(s.subarray(3 * m)),
    };
  }

  private maskBits(i: number): number {
    let bits = 0;
    for (let a = 0; a < ACTIONS; a++) bits |= this.env.out.mask[i * ACTIONS + a] << a;
    return bits;
  }

  private observe(): ByAgent<AgentObservation> {
    const out: ByAgent<AgentObservation> = {};
    this.possibleAgents.forEach((a, i) => (out[a] = { state: this.env.out.state[i], mask: this.maskBits(i) }));
    return out;
  }

  private infos(): ByAgent<AgentInfo> {
    const out: ByAgent<AgentInfo> = {};
    this.possibleAgents.forEach((a, i) => (out[a] = { active: this.env.out.active[i] === 1 }));
    return out;
  }
}
