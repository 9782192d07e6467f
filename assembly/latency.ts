// Latency terms of one task per user (paper eq. 1-2, 5-9; docs/calculator.md#formulas).
//
// theta is the local fraction, beta the part executed at the source site before the
// rest migrates. A site's CPU is split equally among the users that execute a non-zero
// part there in the slot (constraint C2). Terms with zero work are exactly zero.

/** The part that migrates, 1 - theta - beta, evaluated left to right as docs/calculator.md#eq-9 writes it. */
// @ts-ignore: decorator
@inline
function remainder(theta: f64, beta: f64): f64 {
  const r = 1.0 - theta - beta;
  return r > 0.0 ? r : 0.0;
}

/**
 * Called by the host after `channel` each slot (src/kernels/wasm.ts): counts the
 * users executing at each site, then writes T_local, T_trans, T_exe, T_mig, T_exe',
 * T_proc = max(T_local, T_off), rate feasibility and deadline flags.
 * Returns the system cost (eq. 10): the sum of T_proc over active users.
 * backhaulRateBps <= 0 means migration reuses the user's uplink rate (eq. 7).
 */
export function latency(
  m: i32, n: i32,
  active: usize, bits: usize, cyclesPerBit: usize, deadlineS: usize, userCpuHz: usize,
  theta: usize, beta: usize, server: usize, migrateTo: usize, rateBps: usize,
  siteCpuHz: usize, siteLoad: usize,
  tLocalS: usize, tTransS: usize, tExeS: usize, tMigS: usize, tExeTargetS: usize, tProcS: usize,
  feasible: usize, deadlineMet: usize,
  minRateBps: f64, backhaulRateBps: f64,
): f64 {
  for (let j = 0; j < n; j++) store<i32>(siteLoad + (<usize>j << 2), 0);
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const io = <usize>i << 3;
    const th = load<f64>(theta + io);
    if (load<i32>(active + i4) == 0 || th >= 1.0) continue;
    const src = <usize>load<i32>(server + i4) << 2;
    const dst = load<i32>(migrateTo + i4);
    if (dst < 0) {
      store<i32>(siteLoad + src, load<i32>(siteLoad + src) + 1);
    } else {
      const b = load<f64>(beta + io);
      if (b > 0.0) store<i32>(siteLoad + src, load<i32>(siteLoad + src) + 1);
      if (remainder(th, b) > 0.0) {
        const d = <usize>dst << 2;
        store<i32>(siteLoad + d, load<i32>(siteLoad + d) + 1);
      }
    }
  }
  let cost: f64 = 0.0;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    const io = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const th = load<f64>(theta + io);
    const work = load<f64>(cyclesPerBit + io) * load<f64>(bits + io);
    const tLocal = th > 0.0 ? work * th / load<f64>(userCpuHz + io) : 0.0; // eq. 1
    let tTrans: f64 = 0.0, tExe: f64 = 0.0, tMig: f64 = 0.0, tExeT: f64 = 0.0;
    const off = 1.0 - th;
    const rate = load<f64>(rateBps + io);
    if (off > 0.0) {
      const b = load<f64>(bits + io);
      tTrans = per(b * off, rate); // eq. 2
      const src = load<i32>(server + i4);
      const dst = load<i32>(migrateTo + i4);
      if (dst < 0) {
        tExe = work * off / share(siteCpuHz, siteLoad, src); // eq. 5
      } else {
        const be = load<f64>(beta + io);
        const rem = remainder(th, be);
        if (be > 0.0) tExe = work * be / share(siteCpuHz, siteLoad, src);
        if (rem > 0.0) {
          tMig = per(b * rem, backhaulRateBps > 0.0 ? backhaulRateBps : rate); // eq. 7
          tExeT = work * rem / share(siteCpuHz, siteLoad, dst); // eq. 8
        }
      }
    }
    const tOff = tTrans + tExe + tMig + tExeT; // eq. 6 / eq. 9
    const tProc = max(tLocal, tOff);
    store<f64>(tLocalS + io, tLocal);
    store<f64>(tTransS + io, tTrans);
    store<f64>(tExeS + io, tExe);
    store<f64>(tMigS + io, tMig);
    store<f64>(tExeTargetS + io, tExeT);
    store<f64>(tProcS + io, tProc);
    store<i32>(feasible + i4, off > 0.0 && rate < minRateBps ? 0 : 1);
    store<i32>(deadlineMet + i4, tProc <= load<f64>(deadlineS + io) ? 1 : 0);
    cost += tProc;
  }
  return cost;
}

/** amount / rate, with zero work taking zero time even at rate 0 (no 0/0). */
// @ts-ignore: decorator
@inline
function per(amount: f64, rate: f64): f64 {
  return amount > 0.0 ? amount / rate : 0.0;
}

/** Equal CPU share f = F_j / n_j (constraint C2). */
// @ts-ignore: decorator
@inline
function share(siteCpuHz: usize, siteLoad: usize, j: i32): f64 {
  return load<f64>(siteCpuHz + (<usize>j << 3)) / <f64>load<i32>(siteLoad + (<usize>j << 2));
}
