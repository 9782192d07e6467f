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
 * Called by the learning host before ilUpdate and jalUpdate: the first active agent with an
 * action (>= 0) whose table, state, action (< A), next state (-1..S-1) or, when B > 0 (JAL),
 * bucket (0..B-1) is out of range, or -1. B = 0 (IL) reads no bucket.
 */
export function firstBadUpdate(
  m: i32, T: i32, S: i32, A: i32, B: i32,
  active: usize, tableOf: usize, state: usize, action: usize, nextState: usize, bucket: usize,
): i32 {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const a = load<i32>(action + i4);
    if (load<i32>(active + i4) == 0 || a < 0) continue;
    const tb = load<i32>(tableOf + i4), s = load<i32>(state + i4), sn = load<i32>(nextState + i4);
    if (tb < 0 || tb >= T || s < 0 || s >= S || a >= A || sn < -1 || sn >= S) return i;
    if (B > 0) {
      const b = load<i32>(bucket + i4);
      if (b < 0 || b >= B) return i;
    }
  }
  return -1;
}
