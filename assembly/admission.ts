// The minimum-rate constraint, enforced by the sites (docs/calculator.md#min-rate): after the
// channel kernel, an active upload whose realised rate is below minRateBps is refused and its
// task runs entirely on the user's CPU (theta 1, no migration). Refusing uploads only lowers
// everyone else's interference, so one re-evaluation of the channel by the host leaves every
// remaining upload feasible.

/** Called by the host once per slot after `channel` (src/kernels/wasm.ts admit): marks `refused`, returns how many. */
export function refuseInfeasible(m: i32, active: usize, theta: usize, migrateTo: usize, beta: usize, rateBps: usize, refused: usize, minRateBps: f64): i32 {
  let count = 0;
  for (let i = 0; i < m; i++) {
    const io = <usize>i << 3, i4 = <usize>i << 2;
    let r = 0;
    if (load<i32>(active + i4) != 0 && load<f64>(theta + io) < 1.0 && load<f64>(rateBps + io) < minRateBps) {
      r = 1;
      store<f64>(theta + io, 1.0);
      store<i32>(migrateTo + i4, -1);
      store<f64>(beta + io, 0.0);
      count++;
    }
    store<i32>(refused + i4, r);
  }
  return count;
}
