// The pure-TS twin of assembly/learning.ts: same loops, same arithmetic in the same order
// (per-bucket division for P(b|s, r), EV summed from bucket 0, strict > for the argmax), so
// actions, Q values and beliefs agree bit for bit with the WASM kernels.
import type { LearnRule, LearningBackend, LearningTables } from "./learning-tables.js";
import type { Machine } from "./machine.js";

/** Set bits of an i32 (the allowed-action count), as WASM's popcnt. */
function popcnt(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Index of the lowest set bit (x != 0), as WASM's ctz. */
const ctz = (x: number): number => 31 - Math.clz32(x & -x);

/** Allowed actions as a bit set: the mask's bits below A. */
const allowedBits = (mask: number, A: number): number => mask & ((1 << A) - 1);

/** The explored action: the k-th allowed one, k = floor(u * count), clamped as the kernel does. */
function explore(bits: number, u: number): number {
  const count = popcnt(bits);
  // `| 0` truncates like i32.trunc_sat_f64_s for every u the host can draw (NaN gives 0 in both).
  let k = (u * count) | 0;
  if (k >= count) k = count - 1;
  for (let j = 0; j < k; j++) bits &= bits - 1;
  return ctz(bits);
}

/** Greedy action over the allowed set (bits != 0) of q[row .. row + A); ties go to the lowest a. */
function argmaxAllowed(q: Float64Array, row: number, bits: number): number {
  let best = ctz(bits);
  let v = q[row + best];
  bits &= bits - 1;
  while (bits !== 0) {
    const a = ctz(bits);
    const w = q[row + a];
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest value over the allowed set of q[row .. row + A); 0 when nothing is allowed. */
function maxAllowed(q: Float64Array, row: number, bits: number): number {
  if (bits === 0) return 0;
  let v = q[row + ctz(bits)];
  bits &= bits - 1;
  while (bits !== 0) {
    const w = q[row + ctz(bits)];
    if (w > v) v = w;
    bits &= bits - 1;
  }
  return v;
}

/** P(b|s) from the belief row at `row` into prob[at .. at + B): count / total, or 1/B when unvisited. */
function beliefProbs(belief: Float64Array, row: number, B: number, prob: Float64Array, at: number): void {
  let total = 0;
  for (let b = 0; b < B; b++) total += belief[row + b];
  if (total === 0) {
    const u = 1 / B;
    for (let b = 0; b < B; b++) prob[at + b] = u;
  } else {
    for (let b = 0; b < B; b++) prob[at + b] = belief[row + b] / total;
  }
}

/** P(b | s, r) of every role r of the (t, s) belief row [R x B] at `row` into prob [R x B], as the kernel's roleProbs. */
function roleProbs(belief: Float64Array, row: number, R: number, B: number, prob: Float64Array): void {
  for (let r = 0; r < R; r++) beliefProbs(belief, row + r * B, B, prob, r * B);
}

/** EV(s, a) = sum_b P(b | s, roleOf[a]) q[s, a, b], summed in bucket order from 0; q[s, a, 0] for a role -1 action. */
function expected(q: Float64Array, row: number, a: number, B: number, prob: Float64Array, roleOf: Int32Array): number {
  const qa = row + a * B;
  const r = roleOf[a];
  if (r < 0) return q[qa];
  const pr = r * B;
  let ev = 0;
  for (let b = 0; b < B; b++) ev += prob[pr + b] * q[qa + b];
  return ev;
}

/** Greedy action on EV over the allowed set (bits != 0); ties go to the lowest a. */
function argmaxExpected(q: Float64Array, row: number, bits: number, B: number, prob: Float64Array, roleOf: Int32Array): number {
  let best = ctz(bits);
  let v = expected(q, row, best, B, prob, roleOf);
  bits &= bits - 1;
  while (bits !== 0) {
    const a = ctz(bits);
    const w = expected(q, row, a, B, prob, roleOf);
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest EV over the allowed set (bits != 0). */
function maxExpected(q: Float64Array, row: number, bits: number, B: number, prob: Float64Array, roleOf: Int32Array): number {
  let v = expected(q, row, ctz(bits), B, prob, roleOf);
  bits &= bits - 1;
  while (bits !== 0) {
    const w = expected(q, row, ctz(bits), B, prob, roleOf);
    if (w > v) v = w;
    bits &= bits - 1;
  }
  return v;
}

/** Twin of ilSelect: epsilon-greedy on q[tableOf, state]; no allowed action gives 0, inactive -1. */
function ilSelectJs(t: LearningTables, epsilon: number): void {
  const { agents: m, states: S, actions: A, q, tableOf, state, mask, active, uniforms, action } = t;
  for (let i = 0; i < m; i++) {
    if (active[i] === 0) {
      action[i] = -1;
      continue;
    }
    const bits = allowedBits(mask[i], A);
    let a = 0;
    if (bits !== 0) {
      a = uniforms[2 * i] < epsilon
        ? explore(bits, uniforms[2 * i + 1])
        : argmaxAllowed(q, (tableOf[i] * S + state[i]) * A, bits);
    }
    action[i] = a;
  }
}

/** Counts the visit of q[at], then q[at] += step (target - q[at]), step = alpha or max(1/n, alphaMin), as the kernel's updateEntry. */
function updateEntry(q: Float64Array, visits: Float64Array, at: number, target: number, byVisits: boolean, alpha: number, alphaMin: number): void {
  const n = visits[at] + 1;
  visits[at] = n;
  const v = q[at];
  q[at] = v + (byVisits ? Math.max(1 / n, alphaMin) : alpha) * (target - v);
}

/** Twin of learnDecisions (the body of ilLearn and mfqLearn): pending decisions learn from the next decision's state, on its max or (beta !== null) its Boltzmann value, or as terminal when final; this one at once (gamma = 0) or pending. */
function learnDecisionsJs(t: LearningTables, r: LearnRule, beta: number | null, final: boolean): void {
  const { agents: m, states: S, actions: A, q, visits, tableOf, state, mask, active, action, reward, prob } = t;
  const { pendingTable: pt, pendingState: ps, pendingAction: pa, pendingReward: pr } = t;
  const { gamma, alpha, alphaMin } = r, byVisits = r.stepSize === "visits";
  for (let i = 0; i < m; i++) {
    const p = pa[i];
    if (final) {
      if (p >= 0) {
        updateEntry(q, visits, (pt[i] * S + ps[i]) * A + p, pr[i], byVisits, alpha, alphaMin);
        pa[i] = -1;
      }
      continue;
    }
    if (active[i] === 0) continue;
    const tb = tableOf[i], s = state[i];
    if (p >= 0) {
      const row = (tb * S + s) * A, bits = allowedBits(mask[i], A);
      const next = beta === null ? maxAllowed(q, row, bits) : boltzmannValue(q, row, bits, A, beta, prob);
      updateEntry(q, visits, (pt[i] * S + ps[i]) * A + p, pr[i] + gamma * next, byVisits, alpha, alphaMin);
    }
    if (gamma === 0) {
      updateEntry(q, visits, (tb * S + s) * A + action[i], reward[i], byVisits, alpha, alphaMin);
      pa[i] = -1;
    } else {
      pt[i] = tb;
      ps[i] = s;
      pa[i] = action[i];
      pr[i] = reward[i];
    }
  }
}

/** Twin of ilLearn. */
const ilLearnJs = (t: LearningTables, r: LearnRule, final: boolean): void => learnDecisionsJs(t, r, null, final);

/** Twin of jalSelect: epsilon-greedy on EV(s, a) with P(b | s, roleOf[a]) from the belief counts. */
function jalSelectJs(t: LearningTables, epsilon: number): void {
  const { agents: m, states: S, actions: A, buckets: B, roles: R, q, belief, roleOf, tableOf, state, mask, active, uniforms, action, prob } = t;
  const width = A * B;
  for (let i = 0; i < m; i++) {
    if (active[i] === 0) {
      action[i] = -1;
      continue;
    }
    const bits = allowedBits(mask[i], A);
    let a = 0;
    if (bits !== 0) {
      if (uniforms[2 * i] < epsilon) {
        a = explore(bits, uniforms[2 * i + 1]);
      } else {
        const ts = tableOf[i] * S + state[i];
        roleProbs(belief, ts * R * B, R, B, prob);
        a = argmaxExpected(q, ts * width, bits, B, prob, roleOf);
      }
    }
    action[i] = a;
  }
}

/** JAL: updates q[t, s, a, b] (b = 0 for a role -1 action) towards target (visit counted first), then belief[t, s, roleOf[a], b] += 1 unless the role is -1, as the kernel's jalUpdateEntry. */
function jalUpdateEntry(
  t: LearningTables, tb: number, s: number, a: number, b: number, target: number, byVisits: boolean, alpha: number, alphaMin: number,
): void {
  const { states: S, actions: A, buckets: B, roles: R } = t;
  const ts = tb * S + s;
  const role = t.roleOf[a];
  updateEntry(t.q, t.visits, (ts * A + a) * B + (role < 0 ? 0 : b), target, byVisits, alpha, alphaMin);
  if (role >= 0) t.belief[(ts * R + role) * B + b] += 1;
}

/** Twin of jalLearn: as ilLearn over q[t, s, a, b], bootstrapping on max EV with the beliefs before the update's count. */
function jalLearnJs(t: LearningTables, r: LearnRule, final: boolean): void {
  const { agents: m, states: S, actions: A, buckets: B, roles: R, q, belief, roleOf, tableOf, state, mask, active, action, reward, bucket, prob } = t;
  const { pendingTable: pt, pendingState: ps, pendingAction: pa, pendingReward: pr, pendingBucket: pb } = t;
  const { gamma, alpha, alphaMin } = r, byVisits = r.stepSize === "visits";
  const width = A * B;
  for (let i = 0; i < m; i++) {
    const p = pa[i];
    if (final) {
      if (p >= 0) {
        jalUpdateEntry(t, pt[i], ps[i], p, pb[i], pr[i], byVisits, alpha, alphaMin);
        pa[i] = -1;
      }
      continue;
    }
    if (active[i] === 0) continue;
    const tb = tableOf[i], s = state[i];
    if (p >= 0) {
      const bits = allowedBits(mask[i], A);
      let next = 0;
      if (bits !== 0) {
        const ts = tb * S + s;
        roleProbs(belief, ts * R * B, R, B, prob);
        next = maxExpected(q, ts * width, bits, B, prob, roleOf);
      }
      jalUpdateEntry(t, pt[i], ps[i], p, pb[i], pr[i] + gamma * next, byVisits, alpha, alphaMin);
    }
    if (gamma === 0) {
      jalUpdateEntry(t, tb, s, action[i], bucket[i], reward[i], byVisits, alpha, alphaMin);
      pa[i] = -1;
    } else {
      pt[i] = tb;
      ps[i] = s;
      pa[i] = action[i];
      pr[i] = reward[i];
      pb[i] = bucket[i];
    }
  }
}

/** Boltzmann weights exp(beta (q - max)) of the allowed actions of the row at `row` into prob[a] (0 for the others); returns their sum, as the kernel's boltzmannWeights. */
function boltzmannWeights(q: Float64Array, row: number, bits: number, A: number, beta: number, prob: Float64Array): number {
  const mx = maxAllowed(q, row, bits);
  let total = 0;
  for (let a = 0; a < A; a++) {
    const w = (bits >> a) & 1 ? Math.exp(beta * (q[row + a] - mx)) : 0;
    prob[a] = w;
    total += w;
  }
  return total;
}

/** sum_a pi(a) q[a] over the allowed actions under the Boltzmann policy; 0 when nothing is allowed. */
function boltzmannValue(q: Float64Array, row: number, bits: number, A: number, beta: number, prob: Float64Array): number {
  if (bits === 0) return 0;
  const total = boltzmannWeights(q, row, bits, A, beta, prob);
  let v = 0;
  for (let a = 0; a < A; a++) if ((bits >> a) & 1) v += (prob[a] / total) * q[row + a];
  return v;
}

/** Twin of mfqSelect: a Boltzmann draw on q[tableOf, state] (state folds in the mean-action bin), or greedy. */
function mfqSelectJs(t: LearningTables, beta: number, greedy: boolean): void {
  const { agents: m, states: S, actions: A, q, tableOf, state, mask, active, uniforms, action, prob } = t;
  for (let i = 0; i < m; i++) {
    if (active[i] === 0) {
      action[i] = -1;
      continue;
    }
    const bits = allowedBits(mask[i], A);
    let a = 0;
    if (bits !== 0) {
      const row = (tableOf[i] * S + state[i]) * A;
      if (greedy) {
        a = argmaxAllowed(q, row, bits);
      } else {
        const total = boltzmannWeights(q, row, bits, A, beta, prob);
        const u = uniforms[2 * i] * total;
        let run = 0, left = bits;
        a = -1;
        while (left !== 0) {
          const c = ctz(left);
          run += prob[c];
          a = c;
          if (run > u) break;
          left &= left - 1;
        }
      }
    }
    action[i] = a;
  }
}

/** Twin of mfqLearn: as ilLearnJs, bootstrapping on the Boltzmann value of the next decision's state. */
const mfqLearnJs = (t: LearningTables, r: LearnRule, beta: number, final: boolean): void => learnDecisionsJs(t, r, beta, final);

/** The pure-TS backend on a JS kernel memory: tables placed in it as the WASM backend places them. */
export function createJsLearningBackend(machine: Machine): LearningBackend {
  if (machine.backend !== "js") throw new TypeError("createJsLearningBackend: needs a JS machine");
  return {
    backend: "js",
    place(t) {
      const at = machine.alloc(t.byteLength);
      machine.bind((heap) => t.bind(heap.buffer, at));
    },
    ilSelect: ilSelectJs,
    ilLearn: ilLearnJs,
    jalSelect: jalSelectJs,
    jalLearn: jalLearnJs,
    mfqSelect: mfqSelectJs,
    mfqLearn: mfqLearnJs,
  };
}
