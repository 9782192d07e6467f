// Rewards of the stochastic game (paper IV-C) and the JAL's view of the others' actions,
// shared by the learners and the parallel environment.
import type { SlotOutcome } from "../contracts/decisions.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { Observation } from "../twin/twin-layer.js";
import { othersBucket } from "./encoding.js";

/** Whose reward (`reward`: team or agent) and its form (`rewardForm`: -T_proc or 1/T_proc), as the scenario's learning section says. */
export type RewardChoice = Pick<TrialConfig["learning"], "reward" | "rewardForm">;

/** T_proc is floored at 1 ms so one near-instant task cannot dominate a mean of 1/T_proc. */
const MIN_T_S = 1e-3;

export class RewardModel {
  private readonly cellSum: Float64Array;
  private readonly cellCount: Int32Array;
  private readonly offloadsTo: Int32Array;

  private readonly team: boolean;
  private readonly negLatency: boolean;

  constructor(sites: number, choice: RewardChoice) {
    this.team = choice.reward === "team";
    this.negLatency = choice.rewardForm === "negLatency";
    this.cellSum = new Float64Array(sites);
    this.cellCount = new Int32Array(sites);
    this.offloadsTo = new Int32Array(sites);
  }

  /**
   * Writes each active agent's reward (-T_proc or 1/T_proc, or with the team reward the mean
   * of that over its cell's acting agents) and its JAL bucket (the other agents, of every
   * cell, whose upload went to the site its own upload went to, bucketed; 0 when all local).
   * Returns the sum of the agents' own rewards, for the episode's mean reward.
   */
  compute(obs: Observation, o: SlotOutcome, reward: Float64Array, bucket: Int32Array): number {
    this.cellSum.fill(0);
    this.cellCount.fill(0);
    this.offloadsTo.fill(0);
    let own = 0;
    for (let i = 0; i < obs.users; i++) {
      if (!o.active[i]) continue;
      const r = this.negLatency ? -o.tProcS[i] : 1 / Math.max(o.tProcS[i], MIN_T_S);
      reward[i] = r;
      own += r;
      const cell = obs.serving[i];
      this.cellSum[cell] += r;
      this.cellCount[cell]++;
      if (o.theta[i] < 1) this.offloadsTo[o.server[i]]++;
    }
    for (let i = 0; i < obs.users; i++) {
      if (!o.active[i]) continue;
      const cell = obs.serving[i];
      if (this.team) reward[i] = this.cellSum[cell] / this.cellCount[cell];
      bucket[i] = o.theta[i] < 1 ? othersBucket(this.offloadsTo[o.server[i]] - 1) : 0;
    }
    return own;
  }
}
