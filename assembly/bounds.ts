// Index checks before the kernels that trust indices as offsets: a bad index must fail loudly
// in the host, not read or write a neighbouring array. Each returns the first offending user
// or agent, or -1; the host builds the error from its own views of that index.

/**
 * Called by the slot hosts (src/kernels/types.ts checkSlot) before channel and latency: the
 * first active upload (theta < 1, NaN included) whose server is outside 0..n-1 or whose
 * migrateTo is outside -1..n-1, or -1.
 */
export function firstBadUpload(m: i32, n: i32, active: usize, theta: usize, server: usize, migrateTo: usize): i32 {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0 || load<f64>(theta + (<usize>i << 3)) >= 1.0) continue;
    const j = load<i32>(server + i4), t = load<i32>(migrateTo + i4);
    if (j < 0 || j >= n || t < -1 || t >= n) return i;
  }
  return -1;
}

/**
 * Called by the learning host (src/kernels/learning.ts) before ilSelect and jalSelect: the
 * first active agent whose table is outside 0..T-1 or state outside 0..S-1, or -1.
 */
export function firstBadSelect(m: i32, T: i32, S: i32, active: usize, tableOf: usize, state: usize): i32 {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) continue;
    const tb = load<i32>(tableOf + i4), s = load<i32>(state + i4);
    if (tb < 0 || tb >= T || s < 0 || s >= S) return i;
  }
  return -1;
}

/**
 * Called by the learning host (src/kernels/learning.ts) before ilLearn and jalLearn: the first
 * agent, or -1, whose pending decision (pAction >= 0) has a table, state, action (< A) or,
 * when B > 0 (JAL), bucket out of range; or, with final = 0, that is active with a table,
 * state, action or bucket (B > 0) out of range. B = 0 (IL) reads no bucket.
 */
export function firstBadLearn(
  m: i32, T: i32, S: i32, A: i32, B: i32, final: i32,
  active: usize, tableOf: usize, state: usize, action: usize, bucket: usize,
  pTable: usize, pState: usize, pAction: usize, pBucket: usize,
): i32 {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const pa = load<i32>(pAction + i4);
    if (pa >= 0 && badEntry(T, S, A, B, load<i32>(pTable + i4), load<i32>(pState + i4), pa, B > 0 ? load<i32>(pBucket + i4) : 0)) return i;
    if (final != 0 || load<i32>(active + i4) == 0) continue;
    if (badEntry(T, S, A, B, load<i32>(tableOf + i4), load<i32>(state + i4), load<i32>(action + i4), B > 0 ? load<i32>(bucket + i4) : 0)) return i;
  }
  return -1;
}

/** A table entry (t, s, a, b) outside T x S x A (x B when B > 0); b is 0 for IL. */
// @ts-ignore: decorator
@inline
function badEntry(T: i32, S: i32, A: i32, B: i32, t: i32, s: i32, a: i32, b: i32): bool {
  return t < 0 || t >= T || s < 0 || s >= S || a < 0 || a >= A || (B > 0 && (b < 0 || b >= B));
}
