// The pure-TS twin of assembly/learning.ts: same loops, same arithmetic in the same order
// (per-bucket division for P(b|s), EV summed from bucket 0, strict > for the argmax), so
// actions, Q values and beliefs agree bit for bit with the WASM kernels.
import type { LearningBackend, LearningTables } from "./learning-tables.js";
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

/** P(b|s) from the belief row at `row` into prob[0 .. B): count / total, or 1/B when unvisited. */
function beliefProbs(belief: Float64Array, row: number, B: number, prob: Float64Array): void {
  let total = 0;
  for (let b = 0; b < B; b++) total += belief[row + b];
  if (total === 0) {
    const u = 1 / B;
    for (let b = 0; b < B; b++) prob[b] = u;
  } else {
    for (let b = 0; b < B; b++) prob[b] = belief[row + b] / total;
  }
}

/** EV(s, a) = sum_b P(b|s) q[s, a, b], summed in bucket order from 0. */
function expected(q: Float64Array, row: number, a: number, B: number, prob: Float64Array): number {
  const qa = row + a * B;
  let ev = 0;
  for (let b = 0; b < B; b++) ev += prob[b] * q[qa + b];
  return ev;
}

/** Greedy action on EV over the allowed set (bits != 0); ties go to the lowest a. */
function argmaxExpected(q: Float64Array, row: number, bits: number, B: number, prob: Float64Array): number {
  let best = ctz(bits);
  let v = expected(q, row, best, B, prob);
  bits &= bits - 1;
  while (bits !== 0) {
    const a = ctz(bits);
    const w = expected(q, row, a, B, prob);
    if (w > v) { v = w; best = a; }
    bits &= bits - 1;
  }
  return best;
}

/** Largest EV over the allowed set (bits != 0). */
function maxExpected(q: Float64Array, row: number, bits: number, B: number, prob: Float64Array): number {
  let v = expected(q, row, ctz(bits), B, prob);
  bits &= bits - 1;
  while (bits !== 0) {
    const w = expected(q, row, ctz(bits), B, prob);
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

/** Twin of ilUpdate: q[t,s,a] += alpha (reward + gamma max_{a'} q[t,s',a'] - q[t,s,a]), in index order. */
function ilUpdateJs(t: LearningTables, alpha: number, gamma: number): void {
  const { agents: m, states: S, actions: A, q, tableOf, state, active, action, reward, nextState, nextMask } = t;
  for (let i = 0; i < m; i++) {
    const a = action[i];
    if (active[i] === 0 || a < 0) continue;
    const tb = tableOf[i];
    const sn = nextState[i];
    let target = reward[i];
    if (sn >= 0) target += gamma * maxAllowed(q, (tb * S + sn) * A, allowedBits(nextMask[i], A));
    const at = (tb * S + state[i]) * A + a;
    const v = q[at];
    q[at] = v + alpha * (target - v);
  }
}

/** Twin of jalSelect: epsilon-greedy on EV(s, a) with P(b|s) from the belief counts. */
function jalSelectJs(t: LearningTables, epsilon: number): void {
  const { agents: m, states: S, actions: A, buckets: B, q, belief, tableOf, state, mask, active, uniforms, action, prob } = t;
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
        beliefProbs(belief, ts * B, B, prob);
        a = argmaxExpected(q, ts * width, bits, B, prob);
      }
    }
    action[i] = a;
  }
}

/** Twin of jalUpdate: target from the beliefs before this agent's count, update q[t,s,a,bucket], count the bucket. */
function jalUpdateJs(t: LearningTables, alpha: number, gamma: number): void {
  const { agents: m, states: S, actions: A, buckets: B, q, belief, tableOf, state, active, action, reward, nextState, nextMask, bucket, prob } = t;
  const width = A * B;
  for (let i = 0; i < m; i++) {
    const a = action[i];
    if (active[i] === 0 || a < 0) continue;
    const tb = tableOf[i];
    const sn = nextState[i];
    const b = bucket[i];
    let target = reward[i];
    if (sn >= 0) {
      const bits = allowedBits(nextMask[i], A);
      let next = 0;
      if (bits !== 0) {
        const ts = tb * S + sn;
        beliefProbs(belief, ts * B, B, prob);
        next = maxExpected(q, ts * width, bits, B, prob);
      }
      target += gamma * next;
    }
    const ts = tb * S + state[i];
    const at = ts * width + a * B + b;
    const v = q[at];
    q[at] = v + alpha * (target - v);
    belief[ts * B + b] += 1;
  }
}

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
    ilUpdate: ilUpdateJs,
    jalSelect: jalSelectJs,
    jalUpdate: jalUpdateJs,
  };
}
