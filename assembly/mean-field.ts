// Mean-field Q-learning (mfq, Yang et al. 2018): the neighbours' mean action, binned and folded
// into each agent's state index, so the mfq kernels (learning.ts mfqSelect, mfqLearn) work on
// an IL-shaped table over S x K states. Neighbours are the agent's cell-mates; an action's
// "action" here is its offloaded fraction 1 - theta (0 all local .. 1 full offload). Twin:
// src/kernels/mean-field-js.ts.

/** Bin of a mean offloaded fraction x in [0, 1]: floor(x K), clamped to 0..K-1. */
// @ts-ignore: decorator
@inline
function meanBin(x: f64, K: i32): i32 {
  let b = <i32>(x * <f64>K);
  if (b >= K) b = K - 1;
  if (b < 0) b = 0;
  return b;
}

/**
 * Called by the learner host before mfqSelect (src/policy/learner.ts): out[i] = state[i] K +
 * bin(cellMean[serving[i]]), the mean offloaded fraction of the agent's cell in the last slot
 * its cell had acting agents (as MF-Q acts on the neighbours' previous mean action).
 */
export function mfqSelectStates(m: i32, K: i32, serving: usize, state: usize, cellMean: usize, out: usize): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const c = load<i32>(serving + i4);
    store<i32>(out + i4, load<i32>(state + i4) * K + meanBin(load<f64>(cellMean + (<usize>c << 3)), K));
  }
}

/**
 * Called by the learner host after an evaluated slot, before mfqLearn: for each active agent
 * out[i] = state[i] K + bin(mean offloaded fraction of the OTHER acting agents of its cell this
 * slot; bin 0 when it acted alone), the mean action its Q(s, a, mean) entry learns under; then
 * cellMean[j] = the mean over all of cell j's acting agents, for cells that had any (the next
 * slot's selection reads it). Scratch per site: cellSum f64[n], cellCount i32[n].
 */
export function mfqLearnStates(
  m: i32, n: i32, K: i32, active: usize, serving: usize, theta: usize, state: usize,
  cellSum: usize, cellCount: usize, cellMean: usize, out: usize,
): void {
  for (let j = 0; j < n; j++) {
    store<f64>(cellSum + (<usize>j << 3), 0.0);
    store<i32>(cellCount + (<usize>j << 2), 0);
  }
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) continue;
    const c = load<i32>(serving + i4);
    const c8 = cellSum + (<usize>c << 3), c4 = cellCount + (<usize>c << 2);
    store<f64>(c8, load<f64>(c8) + (1.0 - load<f64>(theta + (<usize>i << 3))));
    store<i32>(c4, load<i32>(c4) + 1);
  }
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) continue;
    const c = load<i32>(serving + i4);
    const others = load<i32>(cellCount + (<usize>c << 2)) - 1;
    const mean = others > 0 ? (load<f64>(cellSum + (<usize>c << 3)) - (1.0 - load<f64>(theta + (<usize>i << 3)))) / <f64>others : 0.0;
    store<i32>(out + i4, load<i32>(state + i4) * K + meanBin(mean, K));
  }
  for (let j = 0; j < n; j++) {
    const k = load<i32>(cellCount + (<usize>j << 2));
    if (k > 0) store<f64>(cellMean + (<usize>j << 3), load<f64>(cellSum + (<usize>j << 3)) / <f64>k);
  }
}
