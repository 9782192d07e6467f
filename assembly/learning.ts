// Tabular multi-agent Q-learning: independent learners (IL) and joint-action learners (JAL).
//
// IL: each agent learns Q(s, a) over its own action and treats the others as part of the
// environment. JAL: Claus & Boutilier (1998) joint-action learners, with the others' joint
// action compressed to what changes this agent's reward: each action a has a site role
// roleOf[a] (the site it uploads to, as seen from the agent: serving, closest other, second
// other; -1 for an action that uploads nowhere), and b is the bucket of the load the others
// put on that site. Q(s, a, b) and visit counts of b per (s, role) give the expected value
// EV(s, a) = sum_b P(b | s, roleOf[a]) Q(s, a, b) (EV = Q(s, a, 0) for a role -1 action),
// over which the agent acts greedily and bootstraps (max_a' EV(s', a')). With one role for
// every action this is a JAL with one belief per state.
//
// Tables are row-major f64: IL q[t][s][a], JAL q[t][s][a][b] and belief[t][s][r][b].
// tableOf[i] picks agent i's table, so parameter sharing is the caller's choice. Agents
// are updated one at a time in index order: agents sharing a table see each other's
// updates within a step, and the pure-TS twin (src/kernels/learning-js.ts) does the same
// arithmetic in the same order, so the two backends agree bit for bit.
//
// Action sets are bit masks (bit a set = action a allowed, A <= 30). Exploration draws
// come from the host (two uniforms per agent), so the kernels hold no random state.
//
// Learning (ilLearn, jalLearn) runs once per evaluated step. A decision's transition ends at
// the agent's next decision (its next step with a task), however many task-less steps come
// between, so each agent keeps one pending decision in kernel memory until then, or until
// the episode ends (terminal). With gamma = 0 the target is the reward alone and a decision
// is learned at once. The step size is a constant alpha or 1/n of the entry's visit count
// n, floored at alphaMin; the counts sit in a table parallel to q.

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

/** P(b | s, r) of every role r of a (t, s) belief row [R x B] into prob [R x B] (beliefProbs per role). */
// @ts-ignore: decorator
@inline
function roleProbs(beliefRow: usize, R: i32, B: i32, prob: usize): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>r * <usize>B) << 3;
    beliefProbs(beliefRow + o, B, prob + o);
  }
}

/**
 * EV(s, a) = sum_b P(b | s, roleOf[a]) q[s, a, b], summed in bucket order from 0; q[s, a, 0]
 * when roleOf[a] < 0 (an action whose reward no other agent's action changes).
 */
// @ts-ignore: decorator
@inline
function expected(qRow: usize, a: i32, B: i32, prob: usize, roleOf: usize): f64 {
  const qa = qRow + ((<usize>a * <usize>B) << 3);
  const r = load<i32>(roleOf + (<usize>a << 2));
  if (r < 0) return load<f64>(qa);
  const pr = prob + ((<usize>r * <usize>B) << 3);
  let ev: f64 = 0.0;
  for (let b = 0; b < B; b++) {
    const bo = <usize>b << 3;
    ev += load<f64>(pr + bo) * load<f64>(qa + bo);
  }
  return ev;
}

/** Greedy action on EV over the allowed set (bits != 0); ties go to the lowest a. */
// @ts-ignore: decorator
@inline
function argmaxExpected(qRow: usize, bits: i32, B: i32, prob: usize, roleOf: usize): i32 {
  let best = ctz(bits);
  let v = expected(qRow, best, B, prob, roleOf);
  bits &= bits - 1;
  while (bits != 0) {
    const a = ctz(bits);
    const w = expected(qRow, a, B, prob, roleOf);
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest EV over the allowed set (bits != 0). */
// @ts-ignore: decorator
@inline
function maxExpected(qRow: usize, bits: i32, B: i32, prob: usize, roleOf: usize): f64 {
  let v = expected(qRow, ctz(bits), B, prob, roleOf);
  bits &= bits - 1;
  while (bits != 0) {
    const w = expected(qRow, ctz(bits), B, prob, roleOf);
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
 * The step size of an update whose entry has now been visited n times (this update
 * included): alpha when byVisits = 0, else max(1/n, alphaMin).
 */
// @ts-ignore: decorator
@inline
function stepOf(n: f64, byVisits: i32, alpha: f64, alphaMin: f64): f64 {
  return byVisits != 0 ? max(1.0 / n, alphaMin) : alpha;
}

/** q[at] += step (target - q[at]) after counting the visit of `at` in the parallel visits table. */
// @ts-ignore: decorator
@inline
function updateEntry(q: usize, visits: usize, offset: usize, target: f64, byVisits: i32, alpha: f64, alphaMin: f64): void {
  const n = load<f64>(visits + offset) + 1.0;
  store<f64>(visits + offset, n);
  const at = q + offset;
  const v = load<f64>(at);
  store<f64>(at, v + stepOf(n, byVisits, alpha, alphaMin) * (target - v));
}

/**
 * The body of ilLearn and mfqLearn (inlined into each, so `boltzmann` is a constant there): the
 * pending decision bootstraps on max_{a' allowed} q[t, s', a'] or, with boltzmann, on the
 * Boltzmann value of s' at inverse temperature beta (`prob`: A f64 of scratch).
 */
// @ts-ignore: decorator
@inline
function learnDecisions(
  boltzmann: bool, m: i32, S: i32, A: i32, beta: f64, gamma: f64, byVisits: i32, alpha: f64, alphaMin: f64, final: i32,
  q: usize, visits: usize, tableOf: usize, state: usize, mask: usize, active: usize, action: usize, reward: usize,
  pTable: usize, pState: usize, pAction: usize, pReward: usize, prob: usize,
): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    const pa = load<i32>(pAction + i4);
    if (final != 0) {
      if (pa >= 0) {
        const entry = ((<usize>load<i32>(pTable + i4) * <usize>S + <usize>load<i32>(pState + i4)) * <usize>A + <usize>pa) << 3;
        updateEntry(q, visits, entry, load<f64>(pReward + i8), byVisits, alpha, alphaMin);
        store<i32>(pAction + i4, -1);
      }
      continue;
    }
    if (load<i32>(active + i4) == 0) continue;
    const t = load<i32>(tableOf + i4), s = load<i32>(state + i4);
    if (pa >= 0) {
      const row = rowOf(q, t, s, S, A), bits = allowedBits(load<i32>(mask + i4), A);
      const next = boltzmann ? boltzmannValue(row, bits, A, beta, prob) : maxAllowed(row, bits);
      const entry = ((<usize>load<i32>(pTable + i4) * <usize>S + <usize>load<i32>(pState + i4)) * <usize>A + <usize>pa) << 3;
      updateEntry(q, visits, entry, load<f64>(pReward + i8) + gamma * next, byVisits, alpha, alphaMin);
    }
    const a = load<i32>(action + i4);
    const r = load<f64>(reward + i8);
    if (gamma == 0.0) {
      updateEntry(q, visits, ((<usize>t * <usize>S + <usize>s) * <usize>A + <usize>a) << 3, r, byVisits, alpha, alphaMin);
      store<i32>(pAction + i4, -1);
    } else {
      store<i32>(pTable + i4, t);
      store<i32>(pState + i4, s);
      store<i32>(pAction + i4, a);
      store<f64>(pReward + i8, r);
    }
  }
}

/**
 * Called by the host after each evaluated step for IL agents (src/kernels/learning-wasm.ts),
 * agents in index order. Each agent keeps one pending decision (table pTable, state pState,
 * action pAction >= 0, reward pReward; pAction = -1 when none). With final = 0, for every
 * active agent: its pending decision, if any, is updated towards pReward + gamma max_{a'
 * allowed by mask} q[tableOf, state, a'] (its next decision's state: no allowed a' counts
 * 0); then this step's decision (tableOf, state, action, reward) is updated at once with
 * target = reward when gamma = 0, else becomes the pending one. Inactive agents keep theirs.
 * With final != 0 (episode end) every pending decision is updated towards its reward alone
 * (terminal) and cleared. An update counts the entry's visit, then q += step (target - q),
 * step = alpha, or max(1/n, alphaMin) with byVisits != 0 (n = visits after the count).
 */
export function ilLearn(
  m: i32, S: i32, A: i32, gamma: f64, byVisits: i32, alpha: f64, alphaMin: f64, final: i32,
  q: usize, visits: usize, tableOf: usize, state: usize, mask: usize, active: usize, action: usize, reward: usize,
  pTable: usize, pState: usize, pAction: usize, pReward: usize,
): void {
  learnDecisions(false, m, S, A, 0.0, gamma, byVisits, alpha, alphaMin, final, q, visits, tableOf, state, mask, active, action, reward, pTable, pState, pAction, pReward, 0);
}

/**
 * Called by the host each step for JAL agents (src/kernels/learning-wasm.ts): as ilSelect,
 * but greedy on EV(s, a) = sum_b P(b | s, roleOf[a]) q[t,s,a,b] with P from the belief
 * counts of (t, s, role) (uniform when unvisited). `prob` is R x B f64 of scratch.
 */
export function jalSelect(
  m: i32, S: i32, A: i32, B: i32, R: i32, epsilon: f64,
  q: usize, belief: usize, roleOf: usize, tableOf: usize, state: usize, mask: usize, active: usize, uniforms: usize,
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
        roleProbs(rowOf(belief, t, s, S, R * B), R, B, prob);
        a = argmaxExpected(rowOf(q, t, s, S, width), bits, B, prob, roleOf);
      }
    }
    store<i32>(action + i4, a);
  }
}

/**
 * Called by the host after each evaluated step for JAL agents (src/kernels/learning-wasm.ts):
 * as ilLearn, over q[t, s, a, b] with the decision's bucket b of the load the others put on
 * its action's site (pBucket for a pending one, bucket for this step's), bootstrapping on
 * max_{a' allowed} EV(s', a') with the beliefs as they are before this update's count; after
 * each update belief[t, s, roleOf[a], b] += 1 (a role -1 action
 * updates q[t, s, a, 0] and counts nothing). `prob` is
 * R x B f64 of scratch.
 */
export function jalLearn(
  m: i32, S: i32, A: i32, B: i32, R: i32, gamma: f64, byVisits: i32, alpha: f64, alphaMin: f64, final: i32,
  q: usize, visits: usize, belief: usize, roleOf: usize, tableOf: usize, state: usize, mask: usize, active: usize, action: usize,
  reward: usize, bucket: usize, pTable: usize, pState: usize, pAction: usize, pReward: usize, pBucket: usize, prob: usize,
): void {
  const width = A * B;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    const pa = load<i32>(pAction + i4);
    if (final != 0) {
      if (pa >= 0) {
        jalUpdateEntry(q, visits, belief, roleOf, S, A, B, R, load<i32>(pTable + i4), load<i32>(pState + i4), pa, load<i32>(pBucket + i4),
          load<f64>(pReward + i8), byVisits, alpha, alphaMin);
        store<i32>(pAction + i4, -1);
      }
      continue;
    }
    if (load<i32>(active + i4) == 0) continue;
    const t = load<i32>(tableOf + i4), s = load<i32>(state + i4);
    if (pa >= 0) {
      const bits = allowedBits(load<i32>(mask + i4), A);
      let next: f64 = 0.0;
      if (bits != 0) {
        roleProbs(rowOf(belief, t, s, S, R * B), R, B, prob);
        next = maxExpected(rowOf(q, t, s, S, width), bits, B, prob, roleOf);
      }
      jalUpdateEntry(q, visits, belief, roleOf, S, A, B, R, load<i32>(pTable + i4), load<i32>(pState + i4), pa, load<i32>(pBucket + i4),
        load<f64>(pReward + i8) + gamma * next, byVisits, alpha, alphaMin);
    }
    const a = load<i32>(action + i4), b = load<i32>(bucket + i4);
    const r = load<f64>(reward + i8);
    if (gamma == 0.0) {
      jalUpdateEntry(q, visits, belief, roleOf, S, A, B, R, t, s, a, b, r, byVisits, alpha, alphaMin);
      store<i32>(pAction + i4, -1);
    } else {
      store<i32>(pTable + i4, t);
      store<i32>(pState + i4, s);
      store<i32>(pAction + i4, a);
      store<f64>(pReward + i8, r);
      store<i32>(pBucket + i4, b);
    }
  }
}

/** JAL: updates q[t, s, a, b] (b = 0 if roleOf[a] < 0) towards target (visit counted first), then belief[t, s, roleOf[a], b] += 1 unless roleOf[a] < 0. */
// @ts-ignore: decorator
@inline
function jalUpdateEntry(
  q: usize, visits: usize, belief: usize, roleOf: usize, S: i32, A: i32, B: i32, R: i32, t: i32, s: i32, a: i32, b: i32,
  target: f64, byVisits: i32, alpha: f64, alphaMin: f64,
): void {
  const ts = <usize>t * <usize>S + <usize>s;
  const role = load<i32>(roleOf + (<usize>a << 2));
  // A role -1 action's value is q[s, a, 0] whatever the others did: its bucket is ignored.
  updateEntry(q, visits, ((ts * <usize>A + <usize>a) * <usize>B + <usize>(role < 0 ? 0 : b)) << 3, target, byVisits, alpha, alphaMin);
  if (role < 0) return;
  const seen = belief + (((ts * <usize>R + <usize>role) * <usize>B + <usize>b) << 3);
  store<f64>(seen, load<f64>(seen) + 1.0);
}

/**
 * Boltzmann weights exp(beta (q[a] - max)) of the allowed actions (bits != 0) of a row, into
 * prob[a] (0 for the others); returns their sum. Subtracting the row's max keeps exp <= 1.
 */
// @ts-ignore: decorator
@inline
function boltzmannWeights(row: usize, bits: i32, A: i32, beta: f64, prob: usize): f64 {
  const mx = maxAllowed(row, bits);
  let total: f64 = 0.0;
  for (let a = 0; a < A; a++) {
    const ao = <usize>a << 3;
    let w: f64 = 0.0;
    if ((bits >> a) & 1) w = Math.exp(beta * (load<f64>(row + ao) - mx));
    store<f64>(prob + ao, w);
    total += w;
  }
  return total;
}

/** v = sum_a pi(a) q[a] over the allowed actions (bits != 0), pi the Boltzmann policy; 0 when nothing is allowed. */
// @ts-ignore: decorator
@inline
function boltzmannValue(row: usize, bits: i32, A: i32, beta: f64, prob: usize): f64 {
  if (bits == 0) return 0.0;
  const total = boltzmannWeights(row, bits, A, beta, prob);
  let v: f64 = 0.0;
  for (let a = 0; a < A; a++) {
    if ((bits >> a) & 1) v += (load<f64>(prob + (<usize>a << 3)) / total) * load<f64>(row + (<usize>a << 3));
  }
  return v;
}

/**
 * Called by the host each step for mean-field Q agents (mfq, src/kernels/learning-wasm.ts):
 * q is an IL-shaped table whose state index already folds in the mean-action bin (s K + bin,
 * written by the host's mfqSelectStates). Each active agent draws from the Boltzmann policy
 * pi(a) proportional to exp(beta q[t, state, a]) over its allowed actions: the first a whose
 * running weight exceeds uniforms[2i] x total (the last allowed one if rounding leaves none).
 * greedy != 0 (evaluation): the greedy allowed action, lowest on ties. No allowed action gives
 * 0; inactive agents get -1. `prob` is A f64 of scratch.
 */
export function mfqSelect(
  m: i32, S: i32, A: i32, beta: f64, greedy: i32,
  q: usize, tableOf: usize, state: usize, mask: usize, active: usize, uniforms: usize, action: usize, prob: usize,
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
      const row = rowOf(q, load<i32>(tableOf + i4), load<i32>(state + i4), S, A);
      if (greedy != 0) {
        a = argmaxAllowed(row, bits);
      } else {
        const total = boltzmannWeights(row, bits, A, beta, prob);
        const u = load<f64>(uniforms + (<usize>i << 4)) * total;
        let run: f64 = 0.0;
        let left = bits;
        a = -1;
        while (left != 0) {
          const c = ctz(left);
          run += load<f64>(prob + (<usize>c << 3));
          a = c;
          if (run > u) break;
          left &= left - 1;
        }
      }
    }
    store<i32>(action + i4, a);
  }
}

/**
 * Called by the host after each evaluated step for mfq agents (src/kernels/learning-wasm.ts):
 * as ilLearn (pending decisions, step sizes, terminal at final != 0), over states that fold in
 * the mean-action bin of this slot's neighbours (host's mfqLearnStates), bootstrapping on the
 * Boltzmann value v(s') = sum_a pi(a | s') q[t, s', a] (Yang et al. 2018, eq. 9) instead of
 * the max. `prob` is A f64 of scratch.
 */
export function mfqLearn(
  m: i32, S: i32, A: i32, beta: f64, gamma: f64, byVisits: i32, alpha: f64, alphaMin: f64, final: i32,
  q: usize, visits: usize, tableOf: usize, state: usize, mask: usize, active: usize, action: usize, reward: usize,
  pTable: usize, pState: usize, pAction: usize, pReward: usize, prob: usize,
): void {
  learnDecisions(true, m, S, A, beta, gamma, byVisits, alpha, alphaMin, final, q, visits, tableOf, state, mask, active, action, reward, pTable, pState, pAction, pReward, prob);
}
