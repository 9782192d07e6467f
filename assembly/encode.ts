// The stochastic game's state and action spaces (paper IV-C), as the learners see them
// through the twin: a compact, documented discretisation (port of src/policy/encoding.ts,
// twin src/kernels/encode-js.ts).
//
// State of agent i (one integer): its cell (N), its distance from the cell's site in 6 bins
// (< 0.3, < 0.5, < 0.7, < 0.85, < 1, >= 1 cell-scales, a cell-scale being half the mean site
// spacing: the uplink rate falls steeply with distance, eq. 3-4), its cell's
// load (other users with a task in the cell this slot: 0-1, 2-3, 4-6, 7+) and its task's size
// (terciles of the size distribution): N x 6 x 4 x 3 states.
// Actions (7): 0 all local; 1-3 partial offload to the serving site with local fraction
// 0.75, 0.5, 0.25; 4 full offload to the serving site; 5-6 full offload to the closest and
// second-closest other sites. An action that uploads to a site the twin expects to be below
// the minimum rate is masked.
//
// The expected rate is src/twin/estimate.ts: received power P_i · gainAt1m · q^-1.5 with
// q = max(d², dMin²) (eq. 4, src/model/channel.ts), interference as the twin last measured it
// (orthogonal: the site's total minus its own cell's part, floored at 0; shared: the total),
// Shannon rate (eq. 3), in the same operation order.

/** Received power (mW) at site j from user i (eq. 4 with Table I path loss), as src/model/channel.ts rxMw. */
// @ts-ignore: decorator
@inline
export function rxAt(i: i32, j: i32, userX: usize, userY: usize, powerMw: usize, siteX: usize, siteY: usize, gainAt1m: f64, dMinM: f64): f64 {
  const io = <usize>i << 3, jo = <usize>j << 3;
  const pc = load<f64>(powerMw + io) * gainAt1m;
  const dx = load<f64>(siteX + jo) - load<f64>(userX + io);
  const dy = load<f64>(siteY + jo) - load<f64>(userY + io);
  const q = max(dx * dx + dy * dy, dMinM * dMinM);
  return pc / (q * Math.sqrt(q));
}

/** Interference the twin expects at site j: last sync's measurement, by mode (estimate.ts expectedInterferenceMw). */
// @ts-ignore: decorator
@inline
export function expectedInterference(j: i32, siteRxMw: usize, siteOwnMw: usize, orthogonal: i32): f64 {
  const jo = <usize>j << 3;
  return orthogonal != 0 ? max(load<f64>(siteRxMw + jo) - load<f64>(siteOwnMw + jo), 0.0) : load<f64>(siteRxMw + jo);
}

/** Shannon rate (eq. 3) of a signal against noise plus interference. */
// @ts-ignore: decorator
@inline
export function shannon(bandwidthHz: f64, noiseMw: f64, signalMw: f64, interferenceMw: f64): f64 {
  return bandwidthHz * Math.log2(1.0 + signalMw / (noiseMw + interferenceMw));
}

/** Expected uplink rate of user i to site j from the twin's interference record (estimate.ts expectedRateBps). */
// @ts-ignore: decorator
@inline
export function expectedRate(
  i: i32, j: i32, userX: usize, userY: usize, powerMw: usize, siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize,
  bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
): f64 {
  return shannon(bandwidthHz, noiseMw, rxAt(i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM), expectedInterference(j, siteRxMw, siteOwnMw, orthogonal));
}

/** Does user i's expected SINR at site j (the twin's interference record) reach minSinr? As expectedRate >= the minimum rate. */
// @ts-ignore: decorator
@inline
function reachesSinr(
  i: i32, j: i32, userX: usize, userY: usize, powerMw: usize, siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize,
  noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64, minSinr: f64,
): bool {
  return rxAt(i, j, userX, userY, powerMw, siteX, siteY, gainAt1m, dMinM) / (noiseMw + expectedInterference(j, siteRxMw, siteOwnMw, orthogonal)) >= minSinr;
}

// @ts-ignore: decorator
@inline
function loadBin(others: i32): i32 {
  return others <= 1 ? 0 : others <= 3 ? 1 : others <= 6 ? 2 : 3;
}

/** Local fraction theta of action a (0 all local, 1-3 partial, 4-6 full offload). */
// @ts-ignore: decorator
@inline
function actionTheta(a: i32): f64 {
  return a == 0 ? 1.0 : a == 1 ? 0.75 : a == 2 ? 0.5 : a == 3 ? 0.25 : 0.0;
}

/**
 * Called by the learners' host encoder (src/policy/kernel-encoder.ts) once per slot: every
 * user's state (i32[m]) and action mask (i32[m]; inactive users get 1, all-local only); for
 * active users also `targets` (i32[3m]: serving, closest other, second-closest other site,
 * -1 when there is none) — inactive users' targets are left as they were. The two closest
 * other sites are an O(n) scan per ACTIVE user, ties to the lower index. `activeIn` is
 * scratch i32[n] (active users per cell). `size0`, `size1` are the task-size tercile bounds.
 * `minSinr` = 2^(minRateBps / bandwidthHz) - 1, the SINR at which the Shannon rate (eq. 3)
 * reaches the minimum rate (computed once by the host): a site is masked when the expected
 * SINR is below it, the same test as rate < minRateBps without a log2 per candidate site.
 */
export function encode(
  m: i32, n: i32,
  userX: usize, userY: usize, serving: usize, powerMw: usize, active: usize, bits: usize,
  siteX: usize, siteY: usize, siteRxMw: usize, siteOwnMw: usize,
  cellScaleM: f64, size0: f64, size1: f64, minSinr: f64,
  noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  activeIn: usize, state: usize, mask: usize, targets: usize,
): void {
  for (let j = 0; j < n; j++) store<i32>(activeIn + (<usize>j << 2), 0);
  for (let i = 0; i < m; i++) {
    if (load<i32>(active + (<usize>i << 2)) != 0) {
      const c = activeIn + (<usize>load<i32>(serving + (<usize>i << 2)) << 2);
      store<i32>(c, load<i32>(c) + 1);
    }
  }
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2, i8 = <usize>i << 3;
    const cell = load<i32>(serving + i4);
    const c8 = <usize>cell << 3;
    const ux = load<f64>(userX + i8), uy = load<f64>(userY + i8);
    // sqrt(dx² + dy²), not Math.hypot as encoding.ts: half the cost, and WASM and JS sqrt are
    // both correctly rounded, so the backends agree bit for bit; it can differ from hypot by an
    // ulp, which changes a bin only for a user within an ulp of a bin boundary.
    const hx = ux - load<f64>(siteX + c8), hy = uy - load<f64>(siteY + c8);
    const d = Math.sqrt(hx * hx + hy * hy) / cellScaleM;
    const dist = d < 0.3 ? 0 : d < 0.5 ? 1 : d < 0.7 ? 2 : d < 0.85 ? 3 : d < 1.0 ? 4 : 5;
    const on = load<i32>(active + i4) != 0;
    const ld = loadBin(load<i32>(activeIn + (<usize>cell << 2)) - (on ? 1 : 0));
    const b = load<f64>(bits + i8);
    const size = b <= size0 ? 0 : b <= size1 ? 1 : 2;
    store<i32>(state + i4, ((cell * 6 + dist) * 4 + ld) * 3 + size);
    if (!on) {
      store<i32>(mask + i4, 1);
      continue;
    }
    // The two closest sites other than the serving one.
    let a = -1, b2 = -1;
    let da = Infinity, db = Infinity;
    for (let j = 0; j < n; j++) {
      if (j == cell) continue;
      const j8 = <usize>j << 3;
      const ex = load<f64>(siteX + j8) - ux, ey = load<f64>(siteY + j8) - uy;
      const dj = ex * ex + ey * ey;
      if (dj < da) {
        b2 = a; db = da; a = j; da = dj;
      } else if (dj < db) {
        b2 = j; db = dj;
      }
    }
    const t = targets + (<usize>i * 12);
    store<i32>(t, cell);
    store<i32>(t, a, 4);
    store<i32>(t, b2, 8);
    let mk = 1;
    if (reachesSinr(i, cell, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 0b11110;
    if (a >= 0 && reachesSinr(i, a, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 1 << 5;
    if (b2 >= 0 && reachesSinr(i, b2, userX, userY, powerMw, siteX, siteY, siteRxMw, siteOwnMw, noiseMw, dMinM, orthogonal, gainAt1m, minSinr)) mk |= 1 << 6;
    store<i32>(mask + i4, mk);
  }
}

/**
 * Called by the learners' host encoder once per slot, after the actions are chosen: for each
 * active user the decision of its action (as Encoder.decide): theta of the action and, unless
 * all local, the site from `targets` (action 5 the closest other, 6 the second, else serving).
 * Inactive users' decisions are untouched.
 */
export function decide(m: i32, active: usize, action: usize, targets: usize, theta: usize, server: usize): void {
  for (let i = 0; i < m; i++) {
    const i4 = <usize>i << 2;
    if (load<i32>(active + i4) == 0) continue;
    const a = load<i32>(action + i4);
    store<f64>(theta + (<usize>i << 3), actionTheta(a));
    if (a == 0) continue;
    store<i32>(server + i4, load<i32>(targets + (<usize>i * 12) + (<usize>(a == 5 ? 1 : a == 6 ? 2 : 0) << 2)));
  }
}
