// Uplink channel of one slot (paper eq. 3-4, docs/calculator.md#eq-3 and #eq-4).
//
// Path gain g(d) = 10^(-PL/10) with PL = 127 + 30 log10(d_km) is, in metres,
// g = 10^-3.7 · d^-3 = gainAt1m · q^-1.5 with q = max(d², dMin²): one sqrt and one
// divide per user-site pair, no pow/log10. The per-site received sums make a slot
// O(M·N): interference at site j for user i is (sum over transmitters) − (own part).
// That difference cancels when one user dominates its site, so the sums are compensated
// (Knuth's TwoSum): the error term recovers what the rounding of the large sum dropped.
//
// Sites are processed two at a time (f64x2). Each lane does exactly the scalar
// arithmetic of the pure-JS twin, in the same order, so both backends produce the
// same bits. Site arrays are padded to an even length by the host.

/** Received power (mW) at a site from a user: pcMw · q^-1.5, pcMw = powerMw · gainAt1m. */
// @ts-ignore: decorator
@inline
function rxMw(pcMw: f64, ux: f64, uy: f64, sx: f64, sy: f64, dMin2: f64): f64 {
  const dx = sx - ux;
  const dy = sy - uy;
  const q = max(dx * dx + dy * dy, dMin2);
  return pcMw / (q * sqrt(q));
}

/** Adds x to the compensated sum (sum, err) at `at` / `errAt`: Knuth's TwoSum, branch-free. */
// @ts-ignore: decorator
@inline
function addCompensated(at: usize, errAt: usize, x: f64): void {
  const s = load<f64>(at);
  const t = s + x;
  const z = t - s;
  store<f64>(errAt, load<f64>(errAt) + ((s - (t - z)) + (x - z)));
  store<f64>(at, t);
}

/**
 * Called by the host once per slot (src/kernels/wasm.ts): per-site received sums,
 * then each transmitter's signal, SINR and Shannon rate (eq. 3). A transmitter is an
 * active user with localFraction < 1. Non-transmitters get signal, SINR and rate 0.
 * `orthogonal` = 1 counts only other cells' uploads as interference. On return
 * siteRxMw (and siteOwnMw) hold the compensated totals.
 */
export function channel(
  m: i32, n: i32,
  userX: usize, userY: usize, powerMw: usize, active: usize, theta: usize, server: usize,
  siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize, siteRxErrMw: usize, siteOwnErrMw: usize,
  signalMw: usize, sinr: usize, rateBps: usize,
  gainAt1m: f64, dMin2: f64, noiseMw: f64, bandwidthHz: f64, orthogonal: i32,
): void {
  const nPad = (n + 1) & ~1;
  for (let j = 0; j < nPad; j++) {
    const jo = <usize>j << 3;
    store<f64>(siteRxMw + jo, 0.0);
    store<f64>(siteOwnMw + jo, 0.0);
    store<f64>(siteRxErrMw + jo, 0.0);
    store<f64>(siteOwnErrMw + jo, 0.0);
  }
  const vMin2 = f64x2.splat(dMin2);
  for (let i = 0; i < m; i++) {
    const io = <usize>i << 3;
    if (load<i32>(active + (<usize>i << 2)) == 0 || load<f64>(theta + io) >= 1.0) continue;
    const ux = f64x2.splat(load<f64>(userX + io));
    const uy = f64x2.splat(load<f64>(userY + io));
    const pc = f64x2.splat(load<f64>(powerMw + io) * gainAt1m);
    for (let j = 0; j < nPad; j += 2) {
      const jo = <usize>j << 3;
      const dx = f64x2.sub(v128.load(siteX + jo), ux);
      const dy = f64x2.sub(v128.load(siteY + jo), uy);
      const q = f64x2.max(f64x2.add(f64x2.mul(dx, dx), f64x2.mul(dy, dy)), vMin2);
      const x = f64x2.div(pc, f64x2.mul(q, f64x2.sqrt(q)));
      const s = v128.load(siteRxMw + jo);
      const t = f64x2.add(s, x);
      const z = f64x2.sub(t, s);
      const e = f64x2.add(f64x2.sub(s, f64x2.sub(t, z)), f64x2.sub(x, z));
      v128.store(siteRxErrMw + jo, f64x2.add(v128.load(siteRxErrMw + jo), e));
      v128.store(siteRxMw + jo, t);
    }
  }
  for (let i = 0; i < m; i++) {
    const io = <usize>i << 3;
    let s: f64 = 0.0;
    if (load<i32>(active + (<usize>i << 2)) != 0 && load<f64>(theta + io) < 1.0) {
      const jo = <usize>load<i32>(server + (<usize>i << 2)) << 3;
      s = rxMw(load<f64>(powerMw + io) * gainAt1m, load<f64>(userX + io), load<f64>(userY + io),
        load<f64>(siteX + jo), load<f64>(siteY + jo), dMin2);
      if (orthogonal != 0) addCompensated(siteOwnMw + jo, siteOwnErrMw + jo, s);
    }
    store<f64>(signalMw + io, s);
  }
  for (let i = 0; i < m; i++) {
    const io = <usize>i << 3;
    const s = load<f64>(signalMw + io);
    if (s == 0.0) {
      store<f64>(sinr + io, 0.0);
      store<f64>(rateBps + io, 0.0);
      continue;
    }
    const jo = <usize>load<i32>(server + (<usize>i << 2)) << 3;
    const total = load<f64>(siteRxMw + jo);
    const err = load<f64>(siteRxErrMw + jo);
    // Rounding can leave a tiny negative where the user is the site's only uploader.
    const interf = orthogonal != 0
      ? max((total - load<f64>(siteOwnMw + jo)) + (err - load<f64>(siteOwnErrMw + jo)), 0.0)
      : max((total - s) + err, 0.0);
    const g = s / (noiseMw + interf);
    store<f64>(sinr + io, g);
    store<f64>(rateBps + io, bandwidthHz * Math.log2(1.0 + g));
  }
  for (let j = 0; j < n; j++) {
    const jo = <usize>j << 3;
    store<f64>(siteRxMw + jo, load<f64>(siteRxMw + jo) + load<f64>(siteRxErrMw + jo));
    store<f64>(siteOwnMw + jo, load<f64>(siteOwnMw + jo) + load<f64>(siteOwnErrMw + jo));
  }
}
