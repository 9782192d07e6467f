// Baselines (port of src/policy/baselines.ts, twin src/kernels/baselines-js.ts): random (the
// paper's), nearest-site full offload and greedy, each one kernel call per slot writing the
// decisions (theta f64[m], server i32[m]) of the active users; inactive users' entries and
// the users a policy leaves local keep what the host pre-filled (theta 1, server = serving).
// All-local needs no kernel. Expected rates are assembly/encode.ts `expectedRate`
// (src/twin/estimate.ts); loops, draws and arithmetic are in the order of the TS policies,
// so choices are identical.
import { expectedInterference, expectedRate, rxAt, shannon } from "./encode";
import { uniform01 } from "./rng";

/**
 * Called by the host's random baseline once per slot (src/policy/kernel-baselines.ts). The
 * paper's random scheme: theta uniform among the allowed fractions (f64[fractionCount]);
 * when something is uploaded, a site uniform among those the twin expects to be feasible
 * (rate >= minimum). With no feasible site the task stays local. Draws from the stream at
 * `rng`: one uniform per active user, a second when it uploads to a feasible site.
 * `feasible` is scratch i32[n]. O(active users · n).
 */
export function randomPolicy(
  m: i32, n: i32, rng: usize,
  userX: usize, userY: usize, powerMw: usize, active: usize,
  siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize,
  minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  fractions: usize, fractionCount: i32, feasible: usize, theta: usize, server: usize,
): void {
  for (let i = 0; i < m; i++) {
    if (load<i32>(active + (<usize>i << 2)) == 0) continue;
    const th = load<f64>(fractions + (<usize><i32>Math.floor(uniform01(rng) * <f64>fractionCount) << 3));
    if (th >= 1.0) continue;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (expectedRate(i, j, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, bandwidthHz, noiseMw, dMinM, orthogonal, gainAt1m) >= minRateBps) {
        store<i32>(feasible + (<usize>count << 2), j);
        count++;
      }
    }
    if (count == 0) continue;
    store<f64>(theta + (<usize>i << 3), th);
    store<i32>(server + (<usize>i << 2), load<i32>(feasible + (<usize><i32>Math.floor(uniform01(rng) * <f64>count) << 2)));
  }
}

/**
 * Called by the host's nearest baseline once per slot: full offload to the serving (nearest)
 * site when the twin expects it feasible, else local. O(m).
 */
export function nearestPolicy(
  m: i32, userX: usize, userY: usize, serving: usize, powerMw: usize, active: usize,
  siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize,
  minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  theta: usize, server: usize,
): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) continue;
    const j = load<i32>(serving + i4);
    if (expectedRate(i, j, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, bandwidthHz, noiseMw, dMinM, orthogonal, gainAt1m) < minRateBps) continue;
    store<f64>(theta + (<usize>i << 3), 0.0);
    store<i32>(server + i4, j);
  }
}

/**
 * Called by the host's greedy baseline once per slot. Greedy: active users in index order
 * each take the (theta, site) of least estimated T_proc = max(T_local, T_trans + T_exe)
 * given the loads so far: the interference of the uploads already placed (eq. 4) and an
 * equal CPU share among the users already placed at the site plus this one (C2), each plus
 * the twin's expectation of the users still to choose (last slot's measured interference
 * and load at the site, scaled by the share of this slot's users not yet placed). Without
 * that expectation the first users see an empty network and everyone over-offloads; with it
 * greedy beats all-local at every load tried. Ties keep the first (site, fraction) found.
 * Scratch: rx, own, signal f64[n], load i32[n], perFraction f64[3 · fractionCount] (each user's
 * local time, upload bits and offloaded cycles per fraction, computed once per user instead of
 * once per site: the same values). O(active users · n · fractions).
 */
export function greedyPolicy(
  m: i32, n: i32,
  userX: usize, userY: usize, powerMw: usize, userCpuHz: usize, active: usize, bits: usize, cyclesPerBit: usize,
  siteX: usize, siteY: usize, siteCpuHz: usize, siteRxMw: usize, siteOwnMw: usize, siteLoad: usize,
  minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  fractions: usize, fractionCount: i32, rx: usize, own: usize, ld: usize, signal: usize, perFraction: usize,
  theta: usize, server: usize,
): void {
  for (let j = 0; j < n; j++) {
    store<f64>(rx + (<usize>j << 3), 0.0);
    store<f64>(own + (<usize>j << 3), 0.0);
    store<i32>(ld + (<usize>j << 2), 0);
  }
  let total = 0;
  for (let i = 0; i < m; i++) total += load<i32>(active + (<usize>i << 2));
  const totalF = <f64>total;
  let placed = 0;
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    if (load<i32>(active + i4) == 0) continue;
    const rest = <f64>(total - 1 - placed) / totalF; // share of the others still to choose
    placed++;
    const b = load<f64>(bits + i8), cpu = load<f64>(userCpuHz + i8);
    const work = load<f64>(cyclesPerBit + i8) * b;
    for (let k = 0; k < fractionCount; k++) {
      const th = load<f64>(fractions + (<usize>k << 3));
      const pk = perFraction + (<usize>k * 24);
      store<f64>(pk, (work * th) / cpu);
      store<f64>(pk, b * (1.0 - th), 8);
      store<f64>(pk, work * (1.0 - th), 16);
    }
    let bestT = work / cpu;
    let bestTheta = 1.0;
    let bestSite = -1;
    for (let j = 0; j < n; j++) {
      const j4 = <usize>j << 2, j8 = <usize>j << 3;
      const s = rxAt(i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM);
      store<f64>(signal + j8, s);
      const sofar = orthogonal != 0 ? load<f64>(rx + j8) - load<f64>(own + j8) : load<f64>(rx + j8);
      const rate = shannon(bandwidthHz, noiseMw, s, sofar + rest * expectedInterference(j, siteRxMw, siteOwnMw, orthogonal));
      if (rate < minRateBps) continue;
      const fEdge = load<f64>(siteCpuHz + j8) / (<f64>(load<i32>(ld + j4) + 1) + rest * <f64>load<i32>(siteLoad + j4));
      for (let k = 0; k < fractionCount; k++) {
        const th = load<f64>(fractions + (<usize>k << 3));
        if (th >= 1.0) continue;
        const pk = perFraction + (<usize>k * 24);
        const t = max(load<f64>(pk), load<f64>(pk, 8) / rate + load<f64>(pk, 16) / fEdge);
        if (t < bestT) {
          bestT = t;
          bestTheta = th;
          bestSite = j;
        }
      }
    }
    if (bestSite < 0) continue;
    store<f64>(theta + i8, bestTheta);
    store<i32>(server + i4, bestSite);
    const l = ld + (<usize>bestSite << 2);
    store<i32>(l, load<i32>(l) + 1);
    for (let j = 0; j < n; j++) {
      const j8 = <usize>j << 3;
      store<f64>(rx + j8, load<f64>(rx + j8) + load<f64>(signal + j8));
    }
    if (orthogonal != 0) {
      const o = own + (<usize>bestSite << 3);
      store<f64>(o, load<f64>(o) + load<f64>(signal + (<usize>bestSite << 3)));
    }
  }
}
