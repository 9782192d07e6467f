/**
 * Summary statistics for result sets: mean, sample standard deviation and the
 * two-sided 95% Student-t confidence interval of the mean, plus the Student-t
 * quantile function they need.
 *
 * Pure functions, no dependencies. Non-finite inputs propagate as IEEE-754
 * would (NaN in, NaN out); nothing here throws except on invalid quantile
 * arguments.
 */

/** Summary of one sample, as written to result tables. */
export interface Summary {
  /** Sample size n. */
  n: number;
  /** Arithmetic mean; NaN when n = 0. */
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  /** Lower end of the 95% two-sided t-interval of the mean; NaN when n < 2. */
  ci95Low: number;
  /** Upper end of the 95% two-sided t-interval of the mean; NaN when n < 2. */
  ci95High: number;
}

/**
 * Arithmetic mean
 *
 *   x̄ = (1/n) · Σ_{i=1..n} x_i
 *
 * Domain: n ≥ 1; returns NaN for an empty sample.
 *
 * Computed as the running mean m_k = m_{k−1} + (x_k − m_{k−1}) / k, which
 * returns a constant sample's value bit-for-bit (a plain sum / n does not:
 * 0.1 + 0.1 + 0.1 = 0.30000000000000004) and cannot overflow on a long
 * sample of large values.
 */
export function mean(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  let m = 0;
  for (let k = 0; k < n; k++) {
    m += (xs[k] - m) / (k + 1);
  }
  if (Number.isFinite(m)) return m;
  // The running update turns an ∞ input into NaN (∞ − ∞); the plain sum
  // gives the IEEE answer (±∞, or NaN for +∞ with −∞) and also rescues the
  // rare overflow of x_k − m_{k−1} on opposite values near ±MAX_VALUE.
  let s = 0;
  for (let k = 0; k < n; k++) s += xs[k];
  return s / n;
}

/**
 * Sample standard deviation (Bessel-corrected)
 *
 *   s = sqrt( Σ_{i=1..n} (x_i − x̄)² / (n − 1) )
 *
 * Domain: n ≥ 2; returns NaN for n < 2. Any non-finite x_i gives NaN.
 *
 * Uses the corrected two-pass algorithm (Chan, Golub & LeVeque 1983):
 *   s² = ( Σ d_i² − (Σ d_i)² / n ) / (n − 1),  d_i = x_i − x̄,
 * where the second term cancels the rounding error left in x̄. Unlike the
 * one-pass Σx² − n·x̄² it does not lose all digits when the spread is small
 * next to the magnitude (e.g. timestamps), and a constant sample gives
 * exactly 0.
 */
export function sampleSd(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let sumSq = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m;
    sumSq += d * d;
    sum += d;
  }
  const ss = sumSq - (sum * sum) / n;
  // The correction can only push a tiny Σd² a few ulps below zero.
  return Math.sqrt(Math.max(ss, 0) / (n - 1));
}

/**
 * Summary of a sample with the two-sided 95% Student-t confidence interval
 * of the mean
 *
 *   x̄ ± t_{0.975, n−1} · s / √n
 *
 * where s is {@link sampleSd} and t_{0.975, n−1} is {@link studentTQuantile}.
 * The interval assumes independent, roughly normal observations (or n large
 * enough for the CLT).
 *
 * Domain: n ≥ 2 for sd and the interval (NaN for n = 1, which callers write
 * as empty CSV cells); n ≥ 1 for the mean (NaN for n = 0). A constant sample
 * has sd = 0 and ci95Low = ci95High = mean exactly.
 */
export function summarize(xs: readonly number[]): Summary {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) {
    return { n, mean: m, sd: NaN, ci95Low: NaN, ci95High: NaN };
  }
  const sd = sampleSd(xs);
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, ci95Low: m - half, ci95High: m + half };
}

/**
 * Quantile (inverse CDF) of Student's t distribution with ν degrees of
 * freedom: the t such that
 *
 *   P(T ≤ t) = p,   with   P(T > t) = ½ · I_{ν/(ν+t²)}(ν/2, ½)   for t ≥ 0,
 *
 * where I_x(a, b) is the regularized incomplete beta function.
 *
 * Domain: p ∈ [0, 1] (p = 0 → −∞, p = 1 → +∞, p = ½ → 0); ν ≥ 1, real-valued,
 * with ν = +∞ giving the standard normal quantile. Throws RangeError for p or
 * df outside the domain or NaN.
 *
 * ν = 1 (Cauchy) and ν = 2 use their closed forms
 *   t = tan(π(p − ½))   and   t = (2p − 1) / sqrt(2p(1 − p)).
 * Otherwise Hill's (1970, CACM Algorithm 396) approximation is refined by
 * safeguarded Newton iterations on the exact CDF (regularized incomplete beta
 * by continued fraction): ~1e-15 relative error typically, ~1e-13 at worst in
 * tails as far out as p = 1e-300.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`studentTQuantile: p must be in [0, 1], got ${p}`);
  }
  if (!(df >= 1)) {
    throw new RangeError(`studentTQuantile: df must be >= 1, got ${df}`);
  }
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);

  // Work with the upper-tail probability q ≤ ½ of |t|; 1 − p is exact for
  // p ≥ ½ (Sterbenz), so no accuracy is lost in the folding.
  const q = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  return sign * upperQuantile(q, df);
}

// ---------------------------------------------------------------------------
// Internals

const LN_HALF = -Math.LN2;
const HALF_LN_PI = 0.5 * Math.log(Math.PI);
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** The t > 0 with P(T > t) = q, for q ∈ (0, ½), ν ≥ 1 finite. */
function upperQuantile(q: number, nu: number): number {
  if (nu === 1) {
    // tan(π(½ − q)) near the centre keeps the (exact) small argument; cot(πq)
    // in the tail keeps the relative accuracy of a tiny q.
    return q > 0.25 ? Math.tan(Math.PI * (0.5 - q)) : 1 / Math.tan(Math.PI * q);
  }
  if (nu === 2) {
    return (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  }

  const halfLogNu = 0.5 * Math.log(nu);
  const logB = logBetaHalf(nu / 2);

  // Far in the tail log P(T > t) is nearly linear in log t (slope −ν), and near
  // the centre log P(0 < T < t) is nearly linear in log t (slope 1). Newton in
  // u = log t on the log of whichever probability is small therefore converges
  // in a few steps, keeps full relative accuracy at both ends, and never
  // overflows even where t itself would.
  const useTail = q <= 0.25;
  const logTarget = Math.log(useTail ? q : 0.5 - q); // 0.5 − q exact for q ≥ ¼

  let u = Math.log(hillInitial(q, nu));
  if (!Number.isFinite(u)) {
    // Hill's formula under/overflows only at extreme q; fall back to the
    // leading asymptotic term of the relevant probability:
    //   P(T > t) ≈ ν^{ν/2−1} t^{−ν} / B   and   P(0 < T < t) ≈ t / (√ν·B).
    u = useTail
      ? ((nu / 2 - 1) * Math.log(nu) - logB - logTarget) / nu
      : logTarget + halfLogNu + logB;
  }

  let lo = -Infinity;
  let hi = Infinity;
  for (let iter = 0; iter < 200; iter++) {
    const e = evalTail(u, nu, halfLogNu, logB);
    const logF = useTail ? e.logS : e.logC;
    // g increases with u in both modes and has its root at the quantile.
    const g = useTail ? logTarget - e.logS : e.logC - logTarget;
    if (g === 0) break;
    if (g > 0) hi = u;
    else lo = u;
    const slope = Math.exp(u + e.logPdf - logF); // dg/du = t·f(t) / F
    let next = u - g / slope;
    // Inclusive test: a converged Newton step can round onto the bracket end
    // just set from this very point, and must not be mistaken for divergence.
    const newton = Number.isFinite(next) && next >= lo && next <= hi;
    if (!newton) {
      // Newton left the bracket (or the slope underflowed): bisect if
      // bracketed, otherwise take a bounded step in the right direction.
      if (Number.isFinite(lo) && Number.isFinite(hi)) next = 0.5 * (lo + hi);
      else next = g > 0 ? u - 4 : u + 4;
    }
    const step = Math.abs(next - u);
    u = next;
    // |Δu| is the relative change in t; after a Newton step this small the
    // next one would be below rounding noise.
    if (newton && step <= 1e-12 * Math.max(1, Math.abs(u))) break;
    if (hi - lo <= 4 * Number.EPSILON * Math.max(1, Math.abs(u))) break;
  }
  return Math.exp(u);
}

interface TailEval {
  /** log P(T > t). */
  logS: number;
  /** log P(0 < T < t). */
  logC: number;
  /** log f(t), the t density. */
  logPdf: number;
}

/**
 * Tail and centre probabilities of t = e^u, both in logs. With s = t/√ν,
 * x = ν/(ν+t²) = 1/(1+s²), y = 1 − x = s²/(1+s²), a = ν/2, b = ½:
 *   P(T > t)     = ½ I_x(a, b),   P(0 < T < t) = ½ I_y(b, a),
 *   f(t)         = x^{a+½} / (√ν · B(a, b)).
 * For t ≥ 1 (λ = (a+b)y − b ≥ 0) I_x is evaluated directly, otherwise I_y;
 * the other probability is taken as the complement, which then is ≥ 0.15 and
 * so loses nothing.
 */
function evalTail(u: number, nu: number, halfLogNu: number, logB: number): TailEval {
  const ls = u - halfLogNu; // log s
  let logx: number;
  let logy: number;
  // x and y come from s directly, never as 1 − (the other), and s² is never
  // formed where it could overflow.
  if (ls > 0) {
    const l = Math.log1p(Math.exp(-2 * ls));
    logx = -2 * ls - l;
    logy = -l;
  } else {
    const l = Math.log1p(Math.exp(2 * ls));
    logx = -l;
    logy = 2 * ls - l;
  }
  const a = nu / 2;
  const b = 0.5;
  const x = Math.exp(logx);
  const y = Math.exp(logy);
  const lambda = (a + b) * y - b;
  const logFront = a * logx + b * logy - logB; // log(x^a y^b / B(a, b))
  let logS: number;
  let logC: number;
  if (lambda >= 0) {
    const logI = logFront + Math.log(betaFraction(a, b, x, y, lambda));
    logS = LN_HALF + logI;
    logC = LN_HALF + Math.log1p(-Math.exp(logI));
  } else {
    const logJ = logFront + Math.log(betaFraction(b, a, y, x, -lambda));
    logC = LN_HALF + logJ;
    logS = LN_HALF + Math.log1p(-Math.exp(logJ));
  }
  const logPdf = (a + 0.5) * logx - halfLogNu - logB;
  return { logS, logC, logPdf };
}

/**
 * Continued fraction for the regularized incomplete beta function,
 *   I_x(a, b) = x^a y^b / B(a, b) · r,   y = 1 − x,   λ = (a+b)y − b ≥ 0,
 * returning r. This is the even contraction of the classical fraction
 * (Numerical Recipes §6.4) written in terms of λ, as in Didonato & Morris'
 * BFRAC (ACM TOMS 708), evaluated by the forward three-term recurrence with
 * rescaling.
 *
 * The λ form matters for large ν: there x = ν/(ν+t²) is within ~1/ν of 1 and
 * the textbook fraction's partial denominators 1 − (a+b)x/(a+1) cancel
 * catastrophically (1e-10 relative error at ν ≈ 1e7); λ is computed from the
 * small y instead and stays O(1).
 */
function betaFraction(a: number, b: number, x: number, y: number, lambda: number): number {
  const EPS = 1e-15;
  const MAX_TERMS = 100_000;
  const c = lambda + 1;
  const c0 = b / a;
  const c1 = 1 / a + 1;
  const yp1 = y + 1;
  let p = 1;
  let s = a + 1;
  let an = 0;
  let bn = 1;
  let anp1 = 1;
  let bnp1 = c / c1;
  let r = c1 / c;
  for (let n = 1; n <= MAX_TERMS; n++) {
    let t = n / a;
    const w = n * (b - n) * x;
    let e = a / s;
    const alpha = p * (p + c0) * e * e * (w * x);
    e = (t + 1) / (c1 + t + t);
    const beta = n + w / s + e * (c + n * yp1);
    p = t + 1;
    s += 2;
    t = alpha * an + beta * anp1;
    an = anp1;
    anp1 = t;
    t = alpha * bn + beta * bnp1;
    bn = bnp1;
    bnp1 = t;
    const r0 = r;
    r = anp1 / bnp1;
    if (Math.abs(r - r0) <= EPS * r) break;
    // Rescale so the recurrence cannot overflow.
    an /= bnp1;
    bn /= bnp1;
    anp1 = r;
    bnp1 = 1;
  }
  // Convergence takes a few hundred terms at most for the (a, b, x) used
  // here; were the cap ever hit, the Newton refinement would still get a
  // nearly converged value.
  return r;
}

/**
 * log B(a, ½) = log Γ(a) + log Γ(½) − log Γ(a + ½), for a ≥ ½.
 *
 * For large a the two log-gammas are huge and nearly equal, so their
 * difference is taken analytically from Stirling's series instead:
 *   log Γ(a) − log Γ(a+½) = −½ log a + ½ − a·log1p(1/(2a)) + S(a) − S(a+½).
 */
function logBetaHalf(a: number): number {
  if (a < 10) return logGamma(a) + HALF_LN_PI - logGamma(a + 0.5);
  return (
    HALF_LN_PI -
    0.5 * Math.log(a) +
    0.5 -
    a * Math.log1p(0.5 / a) +
    stirlingRemainder(a) -
    stirlingRemainder(a + 0.5)
  );
}

/**
 * Stirling remainder S(x) = log Γ(x) − [(x−½) log x − x + ½ log 2π]
 *   = Σ_k B_{2k} / (2k(2k−1) x^{2k−1}),
 * truncated after the x^{-15} term: error < 1e-17 for x ≥ 10.
 */
function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 *
                (-1 / 1680 +
                  r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

// Lanczos approximation, g = 7, n = 9: ~1e-15 relative accuracy for Γ(x).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Γ(x) for x ≥ ½ (Lanczos). */
function logGamma(x: number): number {
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Hill's (1970) approximation to the t with P(T > t) = q, as in CACM Algorithm
 * 396 (and R's qt): a series in 1/ν for moderate tails, an expansion about the
 * normal quantile otherwise. Good to ~1e-6 or better; only a starting point.
 */
function hillInitial(q: number, nu: number): number {
  const P = 2 * q; // two-sided probability
  const a = 1 / (nu - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * a) / b - 98) * a - 16;
  c = c * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * nu;
  let y = Math.pow(d * P, 2 / nu);
  if ((nu < 2.1 && P > 0.5) || y > 0.05 + a) {
    const x = normalQuantile(q); // ≤ 0
    y = x * x;
    if (nu < 5) c += 0.3 * (nu - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y =
      ((1 / (((nu + 6) / (nu * y) - 0.089 * d - 0.822) * (nu + 2) * 3) + 0.5 / (nu + 4)) * y - 1) *
        ((nu + 1) / (nu + 2)) +
      1 / y;
  }
  return Math.sqrt(nu * y);
}

/**
 * Standard normal quantile Φ⁻¹(p), p ∈ (0, 1): Wichura's AS 241 (PPND16)
 * rational approximations, ~1e-16 relative accuracy.
 */
function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}
