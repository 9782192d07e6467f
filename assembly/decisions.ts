// The decisions a policy wrote, checked before the kernels trust them as offsets: a decider's
// bug must fail loudly, not corrupt kernel memory or the results.

/**
 * Called by the host once per slot before the slot kernels (src/run/simulation.ts): the first
 * active user whose decision is invalid, or -1. Valid: 0 <= theta <= 1, 0 <= server < n,
 * migrateTo -1 or another site, 0 <= beta <= 1 - theta (+1e-12), beta 0 without a migration.
 */
export function firstInvalidDecision(m: i32, n: i32, active: usize, theta: usize, server: usize, migrateTo: usize, beta: usize): i32 {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const th = load<f64>(theta + i8), b = load<f64>(beta + i8);
    const j = load<i32>(server + i4), t = load<i32>(migrateTo + i4);
    const ok = th >= 0.0 && th <= 1.0 && j >= 0 && j < n && (t == -1 || (t >= 0 && t < n && t != j))
      && b >= 0.0 && b <= 1.0 - th + 1e-12 && (t != -1 || b == 0.0);
    if (!ok) return i;
  }
  return -1;
}
