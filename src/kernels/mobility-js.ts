// The pure-TS twin of assembly/mobility.ts: uniform placement, random waypoint and
// Gauss-Markov over struct-of-arrays positions in a Heap, the same draws from the same
// stream in the same order and the same arithmetic, so positions agree with the WASM
// kernels to the last ulps of cos/sin/atan2/log (JS's Math against AssemblyScript's).
// The models' semantics and equations are documented in the kernel file.
import type { Heap } from "./heap.js";
import { standardNormal, uniformIn } from "./rng-js.js";

/** Twin of placeUniform: x then y per user, uniform in [0, W) x [0, H). */
export function placeUniform(h: Heap, m: number, rng: number, xM: number, yM: number, widthM: number, heightM: number): void {
  const f = h.f64, x = xM >>> 3, y = yM >>> 3;
  for (let i = 0; i < m; i++) {
    f[x + i] = uniformIn(h, rng, 0, widthM);
    f[y + i] = uniformIn(h, rng, 0, heightM);
  }
}

function pickWaypoint(h: Heap, rng: number, i: number, destX: number, destY: number, speed: number, widthM: number, heightM: number, vMin: number, vMax: number): void {
  const f = h.f64;
  f[(destX >>> 3) + i] = uniformIn(h, rng, 0, widthM);
  f[(destY >>> 3) + i] = uniformIn(h, rng, 0, heightM);
  f[(speed >>> 3) + i] = uniformIn(h, rng, vMin, vMax);
}

/** Twin of rwpInit: every user's first waypoint and speed; no pause. */
export function rwpInit(h: Heap, m: number, rng: number, destX: number, destY: number, speed: number, pauseLeft: number, widthM: number, heightM: number, vMin: number, vMax: number): void {
  for (let i = 0; i < m; i++) {
    pickWaypoint(h, rng, i, destX, destY, speed, widthM, heightM, vMin, vMax);
    h.f64[(pauseLeft >>> 3) + i] = 0;
  }
}

/** Twin of rwpStep: every user walks / pauses for dtS seconds. */
export function rwpStep(
  h: Heap, m: number, rng: number, xM: number, yM: number, destX: number, destY: number, speed: number, pauseLeft: number,
  dtS: number, widthM: number, heightM: number, vMin: number, vMax: number, pauseMin: number, pauseMax: number,
): void {
  const f = h.f64, x = xM >>> 3, y = yM >>> 3, dx0 = destX >>> 3, dy0 = destY >>> 3, sp = speed >>> 3, pa = pauseLeft >>> 3;
  for (let i = 0; i < m; i++) {
    let t = dtS;
    // A user may reach its waypoint, pause and set off again within one step.
    while (t > 0) {
      const pl = f[pa + i];
      if (pl > 0) {
        const p = Math.min(pl, t);
        f[pa + i] = pl - p;
        t -= p;
        continue;
      }
      const dx = f[dx0 + i] - f[x + i];
      const dy = f[dy0 + i] - f[y + i];
      const dist = Math.sqrt(dx * dx + dy * dy);
      const v = f[sp + i];
      if (v <= 0) break;
      if (dist <= v * t) {
        f[x + i] = f[dx0 + i];
        f[y + i] = f[dy0 + i];
        t -= dist / v;
        const pause = uniformIn(h, rng, pauseMin, pauseMax);
        f[pa + i] = pause;
        pickWaypoint(h, rng, i, destX, destY, speed, widthM, heightM, vMin, vMax);
        if (pause === 0 && dist === 0) break; // degenerate: zero-length leg and no pause
      } else {
        f[x + i] += (dx / dist) * v * t;
        f[y + i] += (dy / dist) * v * t;
        t = 0;
      }
    }
  }
}

const TWO_PI = 2 * Math.PI;
const wrapPi = (a: number): number => a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);

/** v reflected into [0, L] off both walls as often as needed. */
function fold(v: number, L: number): number {
  if (v >= 0 && v <= L) return v;
  if (L <= 0) return 0;
  const p = v - 2 * L * Math.floor(v / (2 * L));
  return p <= L ? p : 2 * L - p;
}

/** Whether reaching v from inside [0, L] takes an odd number of bounces (the heading turns). */
const flips = (v: number, L: number): boolean => (v < 0 || v > L) && L > 0 && Math.abs(Math.floor(v / L) % 2) === 1;

/** Twin of gmInit: speed s̄, direction = mean direction uniform in [-π, π). */
export function gmInit(h: Heap, m: number, rng: number, speed: number, dir: number, meanDir: number, meanSpeedMps: number): void {
  const f = h.f64;
  for (let i = 0; i < m; i++) {
    f[(speed >>> 3) + i] = meanSpeedMps;
    const d = uniformIn(h, rng, -Math.PI, Math.PI);
    f[(dir >>> 3) + i] = d;
    f[(meanDir >>> 3) + i] = d;
  }
}

/** Twin of gmStep: move dtS seconds, reflect, edge rule, then the next speed and direction (w, w'). */
export function gmStep(
  h: Heap, m: number, rng: number, xM: number, yM: number, speed: number, dir: number, meanDir: number,
  dtS: number, widthM: number, heightM: number, marginM: number, alpha: number, meanSpeedMps: number, speedSdMps: number, directionSdRad: number,
): void {
  const f = h.f64, xo = xM >>> 3, yo = yM >>> 3, so = speed >>> 3, dO = dir >>> 3, mo = meanDir >>> 3;
  const W = widthM, H = heightM, mg = marginM;
  const memory = Math.sqrt(1 - alpha * alpha);
  for (let i = 0; i < m; i++) {
    const s = f[so + i];
    let d = f[dO + i];
    let md = f[mo + i];

    const x = f[xo + i] + s * Math.cos(d) * dtS;
    const y = f[yo + i] + s * Math.sin(d) * dtS;
    const px = fold(x, W), py = fold(y, H);
    f[xo + i] = px;
    f[yo + i] = py;
    if (flips(x, W)) { d = Math.PI - d; md = Math.PI - md; }
    if (flips(y, H)) { d = -d; md = -md; }

    // Edge rule; the unit vector (ex, ey) points inside, away from every edge within the margin.
    const ex = px < mg ? 1 : px > W - mg ? -1 : 0;
    const ey = py < mg ? 1 : py > H - mg ? -1 : 0;
    if (ex !== 0 || ey !== 0) md = Math.atan2(ey, ex);

    const ws = standardNormal(h, rng);
    const wd = standardNormal(h, rng);
    // Average against the mean direction's nearest turn, so 350° and 10° average to 0°, not 180°.
    d = wrapPi(d);
    const mdNear = d + wrapPi(md - d);
    f[so + i] = Math.max(0, alpha * s + (1 - alpha) * meanSpeedMps + memory * speedSdMps * ws);
    f[dO + i] = wrapPi(alpha * d + (1 - alpha) * mdNear + memory * directionSdRad * wd);
    f[mo + i] = wrapPi(md);
  }
}
