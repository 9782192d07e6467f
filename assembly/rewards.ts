// Rewards of the stochastic game (paper IV-C: 1/T_proc; by default -T_proc, see docs/model.md
// "## Learning") and the JAL's view of the others' actions (port of src/policy/rewards.ts
// RewardModel.compute, twin src/kernels/rewards-js.ts).

/** T_proc is floored at 1 ms so one near-instant task cannot dominate a mean of 1/T_proc. */
const MIN_T_S: f64 = 1e-3;

/** Buckets of the others' joint action (JAL): other agents (every cell) uploading to the agent's site: 0, 1, 2-3, 4-6, 7+. */
// @ts-ignore: decorator
@inline
function othersBucket(count: i32): i32 {
  return count == 0 ? 0 : count == 1 ? 1 : count <= 3 ? 2 : count <= 6 ? 3 : 4;
}

/**
 * Called by the learners' host once per slot, after the slot is evaluated: writes each active
 * agent's reward (f64[m]: its own task's -T_proc with `negLatency` != 0, else 1/T_proc with
 * T_proc floored at 1 ms; with `team` != 0 the mean of that over its cell's acting agents)
 * and its JAL bucket (i32[m]: the other agents, of every cell, whose upload went to the site
 * its own upload went to, bucketed; 0 for an all-local agent).
 * Returns the sum of the agents' own rewards, for the episode's mean reward.
 * Scratch per site: cellSum f64[n], cellCount i32[n], offloadsTo i32[n]. O(m + n).
 */
export function rewards(
  m: i32, n: i32, team: i32, negLatency: i32, active: usize, serving: usize, theta: usize, server: usize, tProcS: usize,
  reward: usize, bucket: usize, cellSum: usize, cellCount: usize, offloadsTo: usize,
): f64 {
  for (let j = 0; j < n; j++) {
    store<f64>(cellSum + (<usize>j << 3), 0.0);
    store<i32>(cellCount + (<usize>j << 2), 0);
    store<i32>(offloadsTo + (<usize>j << 2), 0);
  }
  let own = 0.0;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const t = load<f64>(tProcS + i8);
    const r = negLatency != 0 ? -t : 1.0 / max(t, MIN_T_S);
    store<f64>(reward + i8, r);
    own += r;
    const cell = load<i32>(serving + i4);
    const c4 = <usize>cell << 2, c8 = <usize>cell << 3;
    store<f64>(cellSum + c8, load<f64>(cellSum + c8) + r);
    store<i32>(cellCount + c4, load<i32>(cellCount + c4) + 1);
    if (load<f64>(theta + i8) < 1.0) {
      const j4 = <usize>load<i32>(server + i4) << 2;
      store<i32>(offloadsTo + j4, load<i32>(offloadsTo + j4) + 1);
    }
  }
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const cell = load<i32>(serving + i4);
    const c4 = <usize>cell << 2;
    if (team != 0) store<f64>(reward + i8, load<f64>(cellSum + (<usize>cell << 3)) / <f64>load<i32>(cellCount + c4));
    store<i32>(bucket + i4, load<f64>(theta + i8) < 1.0 ? othersBucket(load<i32>(offloadsTo + (<usize>load<i32>(server + i4) << 2)) - 1) : 0);
  }
  return own;
}
