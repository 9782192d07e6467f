// The learners: independent Q-learners (IL), joint-action learners (JAL) and mean-field
// Q-learners (mfq), on the learning kernels (WASM or JS). They see the world only through the
// twin (src/policy/encoding.ts turns an observation into states, masks and decisions) and
// learn from each slot's outcome.
//
// Learning runs after each evaluated slot (one kernel call): with gamma = 0 (the default) each
// decision learns its reward at once; with gamma > 0 a decision's transition ends at the
// agent's next decision (its next slot with a task), the kernels keeping one pending decision
// per agent until then or until the episode ends (terminal). Step size and reward choices:
// the scenario's learning section, docs/model.md "## Learning".
// Rewards and JAL's buckets of the others' joint action: src/policy/rewards.ts.
import type { LearningKernels, LearningTables } from "../kernels/learning-tables.js";
import { ACTION_ROLES, ACTIONS, BUCKETS, MEAN_BINS, ROLES } from "./encoding.js";
import { checkSameMachine } from "../kernels/observation.js";
import { KernelEncoder } from "./kernel-encoder.js";
import { KernelRewards } from "./kernel-rewards.js";
import { streamState } from "../kernels/rng-seed.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { Observation } from "../twin/twin-layer.js";
import type { Decisions, SlotOutcome } from "../contracts/decisions.js";
import type { Policy, PolicyContext } from "./policy.js";

/**
 * Epsilon of training episode e: linear from start to end over the first decayShare of the
 * episodes (QLearner.epsilonAt; the learner tests' bandit follows the same schedule).
 */
export function epsilonAt(l: TrialConfig["learning"], e: number): number {
  const span = Math.max(1, Math.round(l.decayShare * l.episodes));
  return e >= span ? l.epsilonEnd : l.epsilonStart + ((l.epsilonEnd - l.epsilonStart) * e) / span;
}

export class QLearner implements Policy {
  readonly t: LearningTables;
  readonly encoder: KernelEncoder;
  /** Learning on (training) or off (evaluation: greedy, tables frozen). */
  training = true;
  epsilon: number;
  /** Some decision of this episode may still be pending (gamma > 0): endEpisode closes them. */
  private pending = false;
  private readonly rewards: KernelRewards;
  private rewardSum = 0;
  /** Byte offset of the "policy" stream in kernel memory: the exploration draws. */
  private readonly rngAt: number;
  private rewardCount = 0;
  /** mfq: per-site scratch (sum f64[n], count i32[n]) and each cell's last mean offloaded fraction f64[n]. */
  private readonly meanAt: { sum: number; count: number; mean: number } | null;

  constructor(
    readonly name: "il" | "jal" | "mfq",
    private readonly c: TrialConfig,
    ctx: PolicyContext,
    private readonly k: LearningKernels,
    users: number,
  ) {
    const n = c.sites.count;
    this.encoder = new KernelEncoder(k.machine, c, ctx, users);
    const tables = c.learning.sharing === "agent" ? users : c.learning.sharing === "site" ? n : 1;
    const jal = name === "jal", mfq = name === "mfq";
    // mfq folds the neighbours' mean-action bin into the state: S x MEAN_BINS states.
    const states = this.encoder.states * (mfq ? MEAN_BINS : 1);
    this.t = k.createTables({ agents: users, tables, states, actions: ACTIONS, buckets: jal ? BUCKETS : 0, roles: jal ? ROLES : 0 });
    if (jal) this.t.roleOf.set(ACTION_ROLES);
    this.meanAt = mfq ? { sum: k.machine.alloc(8 * n), count: k.machine.alloc(4 * n), mean: k.machine.alloc(8 * n) } : null;
    // Per-agent tables: agent i reads table i for good; one shared table: table 0.
    if (c.learning.sharing === "agent") for (let i = 0; i < users; i++) this.t.tableOf[i] = i;
    else this.t.tableOf.fill(0);
    this.rngAt = k.machine.alloc(16);
    k.machine.heap.u32.set(streamState(ctx.seed, "policy"), this.rngAt >>> 2);
    this.rewards = new KernelRewards(k.machine, users, n, c.learning);
    this.epsilon = c.learning.epsilonStart;
  }

  /** Epsilon of training episode e (the training loop, src/run/trial.ts). */
  epsilonAt(e: number): number {
    return epsilonAt(this.c.learning, e);
  }

  act(obs: Observation, out: Decisions): void {
    const t = this.t, enc = this.encoder;
    checkSameMachine(this.name, this.k.machine, obs.machine);
    enc.encode(obs.ptrs);
    const mf = this.meanAt;
    if (mf) this.k.machine.fns.mfqSelectStates(obs.users, MEAN_BINS, obs.ptrs.serving, enc.statePtr, mf.mean, t.state.byteOffset);
    else t.state.set(enc.state);
    t.mask.set(enc.mask);
    t.active.set(obs.active);
    if (this.c.learning.sharing === "site") t.tableOf.set(obs.serving);
    this.k.machine.fns.fillUniforms(this.rngAt, t.uniforms.byteOffset, t.uniforms.length);
    const eps = this.training ? this.epsilon : 0;
    if (this.name === "jal") this.k.jalSelect(t, eps);
    else if (this.name === "mfq") this.k.mfqSelect(t, this.c.learning.mfqBeta, !this.training);
    else this.k.ilSelect(t, eps);
    enc.action.set(t.action);
    enc.decide(obs.ptrs, out.theta.byteOffset, out.server.byteOffset);
  }

  feedback(obs: Observation, o: SlotOutcome): void {
    const r = this.rewards;
    this.rewardSum += r.compute(obs.ptrs, { active: o.active.byteOffset, theta: o.theta.byteOffset, server: o.server.byteOffset, tProcS: o.tProcS.byteOffset });
    this.t.reward.set(r.reward);
    this.t.bucket.set(r.bucket);
    const mf = this.meanAt;
    // mfq learns under this slot's mean action of the cell-mates (and keeps each cell's mean for the next selection).
    if (mf) {
      this.k.machine.fns.mfqLearnStates(obs.users, obs.ptrs.sites, MEAN_BINS, o.active.byteOffset, obs.ptrs.serving, o.theta.byteOffset,
        this.encoder.statePtr, mf.sum, mf.count, mf.mean, this.t.state.byteOffset);
    }
    const active = obs.active;
    for (let i = 0; i < obs.users; i++) this.rewardCount += active[i];
    if (this.training) {
      this.learn(false);
      this.pending = this.c.learning.gamma > 0;
    }
  }

  /** Closes the episode: the decisions still pending learn as terminal. */
  endEpisode(): void {
    if (this.pending) this.learn(true);
    this.pending = false;
    // mfq: the next episode is a fresh world, with no previous slot's mean actions.
    const mf = this.meanAt;
    if (mf) this.k.machine.heap.f64.fill(0, mf.mean >>> 3, (mf.mean >>> 3) + this.c.sites.count);
  }

  /** Mean reward per agent-step since the last call (the paper's Fig. 4 curve), then resets it. */
  takeMeanReward(): number | null {
    const m = this.rewardCount > 0 ? this.rewardSum / this.rewardCount : null;
    this.rewardSum = 0;
    this.rewardCount = 0;
    return m;
  }

  private learn(final: boolean): void {
    if (this.name === "jal") this.k.jalLearn(this.t, this.c.learning, final);
    else if (this.name === "mfq") this.k.mfqLearn(this.t, this.c.learning, this.c.learning.mfqBeta, final);
    else this.k.ilLearn(this.t, this.c.learning, final);
  }
}
