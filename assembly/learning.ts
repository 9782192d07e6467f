// Tabular multi-agent Q-learning: independent learners (IL) and joint-action learners (JAL).
//
// IL: each agent learns Q(s, a) over its own action and treats the others as part of the
// environment. JAL: Claus & Boutilier (1998) joint-action learners, with the others' joint
// action compressed to one of B buckets, as mean-field Q-learning (Yang et al. 2018)
// compresses it to the mean action: Q(s, a, b) and visit counts of b in s give the
// expected value EV(s, a) = sum_b P(b|s) Q(s, a, b), over which the agent acts greedily.
//
// Tables are row-major f64: IL q[t][s][a], JAL q[t][s][a][b] and belief[t][s][b].
// tableOf[i] picks agent i's table, so parameter sharing is the caller's choice. Agents
// are updated one at a time in index order: agents sharing a table see each other's
// updates within a step, and the pure-TS twin (src/kernels/learning-js.ts) does the same
// arithmetic in the same order, so the two backends agree bit for bit.
//
// Action sets are bit masks (bit a set = action a allowed, A <= 30). Exploration draws
// come from the host (two uniforms per agent), so the kernels hold no random state.

/** Allowed actions as a bit set: the mask's bits below A (A <= 30, so 1 << A fits an i32). */
// @ts-ignore: decorator
@inline
function allowedBits(mask: i32, A: i32): i32 {
  return mask & ((1 << A) - 1);
}

/** The k-th (from 0) allowed action: drop the k lowest set bits, take the next one. */
// @ts-ignore: decorator
@inline
function kthAllowed(bits: i32, k: i32): i32 {
  for (let j = 0; j < k; j++) bits &= bits - 1;
  return ctz(bits);
}

/** The explored action: the k-th allowed one, k = floor(u * count); u = 1 is clamped in range. */
// @ts-ignore: decorator
@inline
function explore(bits: i32, u: f64): i32 {
  const count = popcnt(bits);
  let k = <i32>(u * <f64>count);
  if (k >= count) k = count - 1;
  return kthAllowed(bits, k);
}

/** Byte offset of row (t, s) in a [tables x S x width] f64 table. */
// @ts-ignore: decorator
@inline
function rowOf(base: usize, t: i32, s: i32, S: i32, width: i32): usize {
  return base + (((<usize>t * <usize>S + <usize>s) * <usize>width) << 3);
}

/** Greedy action over the allowed set (bits != 0) of a row of A values; ties go to the lowest a. */
// @ts-ignore: decorator
@inline
function argmaxAllowed(row: usize, bits: i32): i32 {
  let best = ctz(bits);
  let v = load<f64>(row + (<usize>best << 3));
  bits &= bits - 1;
  while (bits != 0) {
    const a = ctz(bits);
    const w = load<f64>(row + (<usize>a << 3));
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest value over the allowed set of a row of A values; 0 when nothing is allowed. */
// @ts-ignore: decorator
@inline
function maxAllowed(row: usize, bits: i32): f64 {
  if (bits == 0) return 0.0;
  let v = load<f64>(row + (<usize>ctz(bits) << 3));
  bits &= bits - 1;
  while (bits != 0) {
    const w = load<f64>(row + (<usize>ctz(bits) << 3));
    if (w > v) v = w;
    bits &= bits - 1;
  }
  return v;
}

/**
 * P(b|s) from the visit counts of a belief row, written to `prob` [B]: count / total,
 * or 1/B for a state never visited. Division per bucket, not a shared reciprocal, so
 * the probabilities are the correctly rounded quotients the twin computes.
 */
// @ts-ignore: decorator
@inline
function beliefProbs(beliefRow: usize, B: i32, prob: usize): void {
  let total: f64 = 0.0;
  for (let b = 0; b < B; b++) total += load<f64>(beliefRow + (<usize>b << 3));
  if (total == 0.0) {
    const u = 1.0 / <f64>B;
    for (let b = 0; b < B; b++) store<f64>(prob + (<usize>b << 3), u);
  } else {
    for (let b = 0; b < B; b++) {
      const bo = <usize>b << 3;
      store<f64>(prob + bo, load<f64>(beliefRow + bo) / total);
    }
  }
}

/** EV(s, a) = sum_b P(b|s) q[s, a, b], summed in bucket order from 0. */
// @ts-ignore: decorator
@inline
function expected(qRow: usize, a: i32, B: i32, prob: usize): f64 {
  const qa = qRow + ((<usize>a * <usize>B) << 3);
  let ev: f64 = 0.0;
  for (let b = 0; b < B; b++) {
    const bo = <usize>b << 3;
    ev += load<f64>(prob + bo) * load<f64>(qa + bo);
  }
  return ev;
}

/** Greedy action on EV over the allowed set (bits != 0); ties go to the lowest a. */
// @ts-ignore: decorator
@inline
function argmaxExpected(qRow: usize, bits: i32, B: i32, prob: usize): i32 {
  let best = ctz(bits);
  let v = expected(qRow, best, B, prob);
  bits &= bits - 1;
  while (bits != 0) {
    const a = ctz(bits);
    const w = expected(qRow, a, B, prob);
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest EV over the allowed set (bits != 0). */
// @ts-ignore: decorator
@inline
function maxExpected(qRow: usize, bits: i32, B: i32, prob: usize): f64 {
  let v = expected(qRow, ctz(bits), B, prob);
  bits &= bits - 1;
  while (bits != 0) {
    const w = expected(qRow, ctz(bits), B, prob);
    if (w > v) v = w;
    bits &= bits - 1;
  }
  return v;
}

/**
 * Called by the host each step for IL agents (src/kernels/learning-wasm.ts): epsilon-greedy
 * action of every active agent from its table's row q[tableOf[i], state[i]]. uniforms[2i]
 * < epsilon explores (the k-th allowed action, k = floor(uniforms[2i+1] * count)), else the
 * greedy allowed action, lowest on ties. No allowed action gives 0; inactive agents get -1.
 */
export function ilSelect(
  m: i32, S: i32, A: i32, epsilon: f64,
  q: usize, tableOf: usize, state: usize, mask: usize, active: usize, uniforms: usize, action: usize,
): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) {
      store<i32>(action + i4, -1);
      continue;
    }
    const bits = allowedBits(load<i32>(mask + i4), A);
    let a = 0;
    if (bits != 0) {
      const u = uniforms + (<usize>i << 4);
      a = load<f64>(u) < epsilon
        ? explore(bits, load<f64>(u, 8))
        : argmaxAllowed(rowOf(q, load<i32>(tableOf + i4), load<i32>(state + i4), S, A), bits);
    }
    store<i32>(action + i4, a);
  }
}

/**
 * Called by the host after each step for IL agents (src/kernels/learning-wasm.ts): the
 * Q-learning update q[t,s,a] += alpha (target - q[t,s,a]) of every active agent with an
 * action, target = reward + gamma max_{a' allowed by nextMask} q[t,s',a'], or just the
 * reward when nextState < 0 (terminal); no allowed a' counts as 0. Agents in index order.
 */
export function ilUpdate(
  m: i32, S: i32, A: i32, alpha: f64, gamma: f64,
  q: usize, tableOf: usize, state: usize, active: usize, action: usize,
  reward: usize, nextState: usize, nextMask: usize,
): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const a = load<i32>(action + i4);
    if (load<i32>(active + i4) == 0 || a < 0) continue;
    const t = load<i32>(tableOf + i4);
    const sn = load<i32>(nextState + i4);
    let target = load<f64>(reward + (<usize>i << 3));
    if (sn >= 0) {
      target += gamma * maxAllowed(rowOf(q, t, sn, S, A), allowedBits(load<i32>(nextMask + i4), A));
    }
    const at = rowOf(q, t, load<i32>(state + i4), S, A) + (<usize>a << 3);
    const v = load<f64>(at);
    store<f64>(at, v + alpha * (target - v));
  }
}

/**
 * Called by the host each step for JAL agents (src/kernels/learning-wasm.ts): as ilSelect,
 * but greedy on EV(s, a) = sum_b P(b|s) q[t,s,a,b] with P from the belief counts of
 * (t, s) (uniform when unvisited). `prob` is B f64 of scratch.
 */
export function jalSelect(
  m: i32, S: i32, A: i32, B: i32, epsilon: f64,
  q: usize, belief: usize, tableOf: usize, state: usize, mask: usize, active: usize, uniforms: usize,
  action: usize, prob: usize,
): void {
  const width = A * B;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) {
      store<i32>(action + i4, -1);
      continue;
    }
    const bits = allowedBits(load<i32>(mask + i4), A);
    let a = 0;
    if (bits != 0) {
      const u = uniforms + (<usize>i << 4);
      if (load<f64>(u) < epsilon) {
        a = explore(bits, load<f64>(u, 8));
      } else {
        const t = load<i32>(tableOf + i4);
        const s = load<i32>(state + i4);
        beliefProbs(rowOf(belief, t, s, S, B), B, prob);
        a = argmaxExpected(rowOf(q, t, s, S, width), bits, B, prob);
      }
    }
    store<i32>(action + i4, a);
  }
}

/**
 * Called by the host after each step for JAL agents (src/kernels/learning-wasm.ts): for
 * every active agent with an action, in index order, target = reward + gamma max_{a'
 * allowed by nextMask} EV(s', a') with the beliefs as they are before this agent's count
 * (just the reward when terminal); q[t,s,a,bucket] += alpha (target - q[t,s,a,bucket]);
 * then belief[t,s,bucket] += 1. `prob` is B f64 of scratch.
 */
export function jalUpdate(
  m: i32, S: i32, A: i32, B: i32, alpha: f64, gamma: f64,
  q: usize, belief: usize, tableOf: usize, state: usize, active: usize, action: usize,
  reward: usize, nextState: usize, nextMask: usize, bucket: usize, prob: usize,
): void {
  const width = A * B;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const a = load<i32>(action + i4);
    if (load<i32>(active + i4) == 0 || a < 0) continue;
    const t = load<i32>(tableOf + i4);
    const s = load<i32>(state + i4);
    const sn = load<i32>(nextState + i4);
    const b = load<i32>(bucket + i4);
    let target = load<f64>(reward + (<usize>i << 3));
    if (sn >= 0) {
      const bits = allowedBits(load<i32>(nextMask + i4), A);
      let next: f64 = 0.0;
      if (bits != 0) {
        beliefProbs(rowOf(belief, t, sn, S, B), B, prob);
        next = maxExpected(rowOf(q, t, sn, S, width), bits, B, prob);
      }
      target += gamma * next;
    }
    const at = rowOf(q, t, s, S, width) + ((<usize>a * <usize>B + <usize>b) << 3);
    const v = load<f64>(at);
    store<f64>(at, v + alpha * (target - v));
    const seen = rowOf(belief, t, s, S, B) + (<usize>b << 3);
    store<f64>(seen, load<f64>(seen) + 1.0);
  }
}
