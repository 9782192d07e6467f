// Gauss-Markov mobility (Liang & Haas 1999; Camp, Boleng & Davies 2002).
import type { MobilityModel, Positions } from "./mobility-model.js";
import { standardNormal, uniform, type Rng } from "./rng.js";

export interface GaussMarkovOptions {
  meanSpeedMps: number;
  speedSdMps: number;
  directionSdRad: number;
  alpha: number;
}

/** The edge margin, as a fraction of the area's smaller side (Camp et al. leave it open). */
const EDGE_MARGIN_FRACTION = 0.1;

const TWO_PI = 2 * Math.PI;
const wrapPi = (a: number): number => a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);

/**
 * Gauss-Markov mobility. Per user, at every step n:
 *
 *   x_n = x_{n-1} + s_{n-1} cos(d_{n-1}) dtS,   y_n = y_{n-1} + s_{n-1} sin(d_{n-1}) dtS
 *   s_n = a s_{n-1} + (1 - a) s̄   + sqrt(1 - a²) σ_s w,   w  ~ N(0, 1)
 *   d_n = a d_{n-1} + (1 - a) d̄_i + sqrt(1 - a²) σ_d w',  w' ~ N(0, 1)
 *
 * with 0 <= a <= 1: a = 0 is memoryless (speed and direction are fresh normals around the means),
 * a = 1 keeps the initial speed and direction (straight lines). `alpha` is the memory of one
 * call of `step`, whatever its dtS: the same alpha at a shorter slot means smoother paths per
 * second, so change alpha with slotS (a^(dt'/dt)) to keep the same process.
 *
 * Initial speed is s̄; the initial direction, uniform, is also the user's mean direction d̄_i.
 * Edge rule: a user within EDGE_MARGIN_FRACTION of the smaller side from an edge gets d̄_i
 * pointing straight away from that edge (diagonally away from a corner). d̄_i keeps that value
 * after the user leaves the margin, so users cross the area instead of hugging the edge they
 * came from. A user that still crosses an edge is reflected (position mirrored, direction and
 * d̄_i turned as a billiard ball). Speeds are clamped at 0, which raises the long-run mean
 * speed slightly above s̄ when σ_s is not small against s̄.
 *
 * Draws: per step, for each user in index order, w then w' (always, even when σ = 0).
 */
export class GaussMarkov implements MobilityModel {
  private readonly speed: Float64Array;
  private readonly dir: Float64Array;
  private readonly meanDir: Float64Array;
  private readonly margin: number;
  private readonly memory: number;

  constructor(
    users: number,
    private readonly widthM: number,
    private readonly heightM: number,
    private readonly o: GaussMarkovOptions,
    private readonly r: Rng,
  ) {
    if (!(o.alpha >= 0 && o.alpha <= 1)) throw new RangeError(`GaussMarkov: alpha must be in [0, 1], got ${o.alpha}`);
    this.speed = new Float64Array(users).fill(o.meanSpeedMps);
    this.dir = new Float64Array(users);
    this.meanDir = new Float64Array(users);
    for (let i = 0; i < users; i++) this.dir[i] = this.meanDir[i] = uniform(r, -Math.PI, Math.PI);
    this.margin = EDGE_MARGIN_FRACTION * Math.min(widthM, heightM);
    this.memory = Math.sqrt(1 - o.alpha * o.alpha);
  }

  step(pos: Positions, dtS: number): void {
    const { alpha, meanSpeedMps, speedSdMps, directionSdRad } = this.o;
    const W = this.widthM, H = this.heightM, m = this.margin;
    for (let i = 0; i < pos.xM.length; i++) {
      const s = this.speed[i];
      let d = this.dir[i];
      let md = this.meanDir[i];

      const x = pos.xM[i] + s * Math.cos(d) * dtS;
      const y = pos.yM[i] + s * Math.sin(d) * dtS;
      pos.xM[i] = fold(x, W);
      pos.yM[i] = fold(y, H);
      if (flips(x, W)) { d = Math.PI - d; md = Math.PI - md; }
      if (flips(y, H)) { d = -d; md = -md; }

      // Edge rule; the unit vector (ex, ey) points inside, away from every edge within the margin.
      const ex = pos.xM[i] < m ? 1 : pos.xM[i] > W - m ? -1 : 0;
      const ey = pos.yM[i] < m ? 1 : pos.yM[i] > H - m ? -1 : 0;
      if (ex !== 0 || ey !== 0) md = Math.atan2(ey, ex);

      const ws = standardNormal(this.r);
      const wd = standardNormal(this.r);
      // Average against the mean direction's nearest turn, so 350° and 10° average to 0°, not 180°.
      d = wrapPi(d);
      const mdNear = d + wrapPi(md - d);
      this.speed[i] = Math.max(0, alpha * s + (1 - alpha) * meanSpeedMps + this.memory * speedSdMps * ws);
      this.dir[i] = wrapPi(alpha * d + (1 - alpha) * mdNear + this.memory * directionSdRad * wd);
      this.meanDir[i] = wrapPi(md);
    }
  }
}

/** v reflected into [0, L] off both walls as often as needed. */
function fold(v: number, L: number): number {
  if (v >= 0 && v <= L) return v;
  if (L <= 0) return 0;
  const p = v - 2 * L * Math.floor(v / (2 * L));
  return p <= L ? p : 2 * L - p;
}

/** Whether reaching v from inside [0, L] takes an odd number of bounces (the heading turns). */
const flips = (v: number, L: number): boolean => (v < 0 || v > L) && L > 0 && Math.abs(Math.floor(v / L) % 2) === 1;
