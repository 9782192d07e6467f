// Rewards of the stochastic game (paper IV-C) and the JAL's view of the others' actions,
// shared by the learners and the parallel environment.
import type { SlotOutcome } from "../contracts/decisions.js";
import type { Observation } from "../twin/twin-layer.js";
import { othersBucket } from "./encoding.js";

/** T_proc is floored at 1 ms so one near-instant task cannot dominate a mean of 1/T_proc. */
const MIN_T_S = 1e-3;

export class RewardModel {
  private readonly cellSum: Float64Array;
  private readonly cellCount: Int32Array;
  private readonly offloadsTo: Int32Array;

  constructor(sites: number, private readonly team: boolean) {
    this.cellSum = new Float64Array(sites);
    this.cellCount = new Int32Array(sites);
    this.offloadsTo = new Int32Array(sites);
  }

  /**
   * Writes each active agent's reward (1/T_proc, or with the team reward the mean of its cell's
   * agents' 1/T_proc) and its JAL bucket (other agents of its cell that offloaded to the cell's
   * site). Returns the sum of the agents' own 1/T_proc, for the episode's mean reward.
   */
  compute(obs: Observation, o: SlotOutcome, reward: Float64Array, bucket: Int32Array): number {
    this.cellSum.fill(0);
    this.cellCount.fill(0);
    this.offloadsTo.fill(0);
    let own = 0;
    for (let i = 0; i < obs.users; i++) {
      if (!o.active[i]) continue;
      const r = 1 / Math.max(o.tProcS[i], MIN_T_S);
      reward[i] = r;
      own += r;
      const cell = obs.serving[i];
      this.cellSum[cell] += r;
      this.cellCount[cell]++;
      if (o.theta[i] < 1 && o.server[i] === cell) this.offloadsTo[cell]++;
    }
    for (let i = 0; i < obs.users; i++) {
      if (!o.active[i]) continue;
      const cell = obs.serving[i];
      if (this.team) reward[i] = this.cellSum[cell] / this.cellCount[cell];
      const mine = o.theta[i] < 1 && o.server[i] === cell ? 1 : 0;
      bucket[i] = othersBucket(this.offloadsTo[cell] - mine);
    }
    return own;
  }
}
