// Placement and mobility of the users, over struct-of-arrays positions xM[i], yM[i] (f64),
// ported from src/world/world.ts (uniform placement), src/world/mobility.ts (static, random
// waypoint) and src/world/gauss-markov.ts (Gauss-Markov). Each model's per-user state lives
// in f64 arrays the host lays out; every draw comes from the stream at `rng` (16 bytes of
// xoshiro128** state, assembly/rng.ts), per user in index order, in the order the TS models
// draw. The pure-TS twin (src/kernels/mobility-js.ts) does the same arithmetic in the same
// order; distances are sqrt(dx² + dy²) on both backends (V8's Math.hypot is not AS's).
// Static mobility needs no kernel; trace replay stays in the host, which writes the slot's
// positions into xM/yM.
import { standardNormal, uniformIn } from "./rng";

// @ts-ignore: decorator
@inline
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline
function f64Put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Called by the host (src/world/motion.ts) at reset: m users uniform in [0, W) x [0, H), x then y per user (the "placement" stream). */
export function placeUniform(m: i32, rng: usize, xM: usize, yM: usize, widthM: f64, heightM: f64): void {
  for (let i = 0; i < m; i++) {
    f64Put(xM, i, uniformIn(rng, 0.0, widthM));
    f64Put(yM, i, uniformIn(rng, 0.0, heightM));
  }
}

// ---- Random waypoint ------------------------------------------------------------------
//
// Walk in a straight line to a uniform point of the area at a uniform speed in
// [vMin, vMax], pause a uniform time in [pauseMin, pauseMax], repeat. A waypoint draws
// destX, destY, speed in that order; reaching it draws the pause first, then the next waypoint.

// @ts-ignore: decorator
@inline
function pickWaypoint(rng: usize, i: i32, destX: usize, destY: usize, speed: usize, widthM: f64, heightM: f64, vMin: f64, vMax: f64): void {
  f64Put(destX, i, uniformIn(rng, 0.0, widthM));
  f64Put(destY, i, uniformIn(rng, 0.0, heightM));
  f64Put(speed, i, uniformIn(rng, vMin, vMax));
}

/** Called by the host at reset: every user's first waypoint and speed; no pause. */
export function rwpInit(m: i32, rng: usize, destX: usize, destY: usize, speed: usize, pauseLeft: usize, widthM: f64, heightM: f64, vMin: f64, vMax: f64): void {
  for (let i = 0; i < m; i++) {
    pickWaypoint(rng, i, destX, destY, speed, widthM, heightM, vMin, vMax);
    f64Put(pauseLeft, i, 0.0);
  }
}

/** Called by the host once per slot after the first: every user walks / pauses for dtS seconds. */
export function rwpStep(
  m: i32, rng: usize, xM: usize, yM: usize, destX: usize, destY: usize, speed: usize, pauseLeft: usize,
  dtS: f64, widthM: f64, heightM: f64, vMin: f64, vMax: f64, pauseMin: f64, pauseMax: f64,
): void {
  for (let i = 0; i < m; i++) {
    let t = dtS;
    // A user may reach its waypoint, pause and set off again within one step.
    while (t > 0.0) {
      const pl = f64At(pauseLeft, i);
      if (pl > 0.0) {
        const p = min(pl, t);
        f64Put(pauseLeft, i, pl - p);
        t -= p;
        continue;
      }
      const dx = f64At(destX, i) - f64At(xM, i);
      const dy = f64At(destY, i) - f64At(yM, i);
      const dist = Math.sqrt(dx * dx + dy * dy);
      const v = f64At(speed, i);
      if (v <= 0.0) break;
      if (dist <= v * t) {
        f64Put(xM, i, f64At(destX, i));
        f64Put(yM, i, f64At(destY, i));
        t -= dist / v;
        const pause = uniformIn(rng, pauseMin, pauseMax);
        f64Put(pauseLeft, i, pause);
        pickWaypoint(rng, i, destX, destY, speed, widthM, heightM, vMin, vMax);
        if (pause == 0.0 && dist == 0.0) break; // degenerate: zero-length leg and no pause
      } else {
        f64Put(xM, i, f64At(xM, i) + (dx / dist) * v * t);
        f64Put(yM, i, f64At(yM, i) + (dy / dist) * v * t);
        t = 0.0;
      }
    }
  }
}

// ---- Gauss-Markov (Liang & Haas 1999; Camp, Boleng & Davies 2002) ------------------------
//
// Per user, at every step n:
//
//   x_n = x_{n-1} + s_{n-1} cos(d_{n-1}) dtS,   y_n = y_{n-1} + s_{n-1} sin(d_{n-1}) dtS
//   s_n = a s_{n-1} + (1 - a) s̄   + sqrt(1 - a²) σ_s w,   w  ~ N(0, 1)
//   d_n = a d_{n-1} + (1 - a) d̄_i + sqrt(1 - a²) σ_d w',  w' ~ N(0, 1)
//
// with 0 <= a <= 1 (the host checks it): a = 0 is memoryless (speed and direction are fresh
// normals around the means), a = 1 keeps the initial speed and direction (straight lines).
// `alpha` is the memory of one call of `gmStep`, whatever its dtS: the same alpha at a
// shorter slot means smoother paths per second, so change alpha with slotS (a^(dt'/dt)) to
// keep the same process.
//
// Initial speed is s̄; the initial direction, uniform in [-π, π), is also the user's mean
// direction d̄_i. Edge rule: a user within `marginM` of an edge (the host passes 0.1 of the
// area's smaller side; Camp et al. leave it open) gets d̄_i pointing straight away from that
// edge (diagonally away from a corner). d̄_i keeps that value after the user leaves the
// margin, so users cross the area instead of hugging the edge they came from. A user that
// still crosses an edge is reflected (position mirrored, direction and d̄_i turned as a
// billiard ball). Speeds are clamped at 0, which raises the long-run mean speed slightly
// above s̄ when σ_s is not small against s̄.
//
// Draws: per step, for each user in index order, w then w' (always, even when σ = 0).

const TWO_PI: f64 = 2.0 * Math.PI;

// @ts-ignore: decorator
@inline
function wrapPi(a: f64): f64 {
  return a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);
}

/** v reflected into [0, L] off both walls as often as needed. */
// @ts-ignore: decorator
@inline
function fold(v: f64, L: f64): f64 {
  if (v >= 0.0 && v <= L) return v;
  if (L <= 0.0) return 0.0;
  const p = v - 2.0 * L * Math.floor(v / (2.0 * L));
  return p <= L ? p : 2.0 * L - p;
}

/** Whether reaching v from inside [0, L] takes an odd number of bounces (the heading turns). */
// @ts-ignore: decorator
@inline
function flips(v: f64, L: f64): bool {
  return (v < 0.0 || v > L) && L > 0.0 && Math.abs(Math.floor(v / L) % 2.0) == 1.0;
}

/** Called by the host at reset: speed s̄, direction = mean direction uniform in [-π, π), one draw per user. */
export function gmInit(m: i32, rng: usize, speed: usize, dir: usize, meanDir: usize, meanSpeedMps: f64): void {
  for (let i = 0; i < m; i++) {
    f64Put(speed, i, meanSpeedMps);
    const d = uniformIn(rng, -Math.PI, Math.PI);
    f64Put(dir, i, d);
    f64Put(meanDir, i, d);
  }
}

/** Called by the host once per slot after the first: every user moves dtS seconds, then draws its next speed and direction. */
export function gmStep(
  m: i32, rng: usize, xM: usize, yM: usize, speed: usize, dir: usize, meanDir: usize,
  dtS: f64, widthM: f64, heightM: f64, marginM: f64, alpha: f64, meanSpeedMps: f64, speedSdMps: f64, directionSdRad: f64,
): void {
  const W = widthM, H = heightM, mg = marginM;
  const memory = Math.sqrt(1.0 - alpha * alpha);
  for (let i = 0; i < m; i++) {
    const s = f64At(speed, i);
    let d = f64At(dir, i);
    let md = f64At(meanDir, i);

    const x = f64At(xM, i) + s * Math.cos(d) * dtS;
    const y = f64At(yM, i) + s * Math.sin(d) * dtS;
    const px = fold(x, W), py = fold(y, H);
    f64Put(xM, i, px);
    f64Put(yM, i, py);
    if (flips(x, W)) { d = Math.PI - d; md = Math.PI - md; }
    if (flips(y, H)) { d = -d; md = -md; }

    // Edge rule; the unit vector (ex, ey) points inside, away from every edge within the margin.
    const ex: f64 = px < mg ? 1.0 : px > W - mg ? -1.0 : 0.0;
    const ey: f64 = py < mg ? 1.0 : py > H - mg ? -1.0 : 0.0;
    if (ex != 0.0 || ey != 0.0) md = Math.atan2(ey, ex);

    const ws = standardNormal(rng);
    const wd = standardNormal(rng);
    // Average against the mean direction's nearest turn, so 350° and 10° average to 0°, not 180°.
    d = wrapPi(d);
    const mdNear = d + wrapPi(md - d);
    f64Put(speed, i, max(0.0, alpha * s + (1.0 - alpha) * meanSpeedMps + memory * speedSdMps * ws));
    f64Put(dir, i, wrapPi(alpha * d + (1.0 - alpha) * mdNear + memory * directionSdRad * wd));
    f64Put(meanDir, i, wrapPi(md));
  }
}
