// The learners' rewards and JAL buckets (src/policy/rewards.ts RewardModel) over kernel
// memory: one `rewards` kernel call per slot (assembly/rewards.ts, twin
// src/kernels/rewards-js.ts), the same rewards, buckets and sum as RewardModel.compute.
import type { Machine } from "../kernels/machine.js";
import type { ObservationPtrs } from "../kernels/observation.js";
import type { RewardChoice } from "./rewards.js";

/** The evaluated slot in kernel memory (SlotOutcome): active i32[m], theta f64[m], server i32[m], tProcS f64[m]. */
export interface OutcomePtrs {
  readonly active: number;
  readonly theta: number;
  readonly server: number;
  readonly tProcS: number;
}

export class KernelRewards {
  /** Byte offsets: reward f64[m], bucket i32[m]; per-site scratch. */
  readonly rewardPtr: number;
  readonly bucketPtr: number;
  private readonly cellSum: number;
  private readonly cellCount: number;
  private readonly offloadsTo: number;
  /** Views of reward and bucket (re-created when the memory grows); only active users' entries are written. */
  reward!: Float64Array;
  bucket!: Int32Array;

  private readonly team: number;
  private readonly negLatency: number;

  constructor(private readonly machine: Machine, readonly users: number, readonly sites: number, choice: RewardChoice) {
    this.team = choice.reward === "team" ? 1 : 0;
    this.negLatency = choice.rewardForm === "negLatency" ? 1 : 0;
    this.rewardPtr = machine.alloc(8 * users);
    this.bucketPtr = machine.alloc(4 * users);
    this.cellSum = machine.alloc(8 * sites);
    this.cellCount = machine.alloc(4 * sites);
    this.offloadsTo = machine.alloc(4 * sites);
    machine.bind((h) => {
      this.reward = h.f64.subarray(this.rewardPtr >>> 3, (this.rewardPtr >>> 3) + users);
      this.bucket = h.i32.subarray(this.bucketPtr >>> 2, (this.bucketPtr >>> 2) + users);
    });
  }

  /**
   * Writes each active agent's reward (-T_proc or 1/T_proc, or with the team reward the mean
   * of that over its cell's acting agents) and its JAL bucket; returns the sum of the agents'
   * own rewards. One kernel call.
   */
  compute(obs: ObservationPtrs, o: OutcomePtrs): number {
    if (obs.users > this.users || obs.sites > this.sites) throw new RangeError(`rewards: ${obs.users} users / ${obs.sites} sites exceed ${this.users} / ${this.sites}`);
    return this.machine.fns.rewards(
      obs.users, obs.sites, this.team, this.negLatency, o.active, obs.serving, o.theta, o.server, o.tProcS,
      this.rewardPtr, this.bucketPtr, this.cellSum, this.cellCount, this.offloadsTo,
    );
  }
}
