// Random streams inside the kernels: xoshiro128** (Blackman & Vigna 2018), 32-bit integer
// arithmetic only, so the pure-TS twin (src/kernels/rng-js.ts) yields the same words bit for
// bit. A stream is 4 u32 words of state at a 16-byte-aligned pointer; the host seeds it from
// the trial seed and the stream's name (src/kernels/rng-seed.ts), one stream per component,
// so a component's draws never shift another's.
//
// Draws and the words they consume (the same on both backends):
//   uniform01       2 words: 27 + 26 bits -> a double in [0, 1) with 53 random bits
//   poisson         uniforms by inversion until the product falls to exp(-mean) (host's limit)
//   standardNormal  2 uniforms (Box-Muller, the sine branch discarded)
//   draw            0-2 uniforms by the distribution's kind (src/kernels/rng-js.ts: DIST_*)

// @ts-ignore: decorator
@inline
function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

/** The next 32-bit word of the stream at `s`. */
// @ts-ignore: decorator
@inline
export function nextU32(s: usize): u32 {
  const s0 = load<u32>(s), s1 = load<u32>(s, 4), s2 = load<u32>(s, 8), s3 = load<u32>(s, 12);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u32>(s, s0 ^ n3);
  store<u32>(s, s1 ^ n2, 4);
  store<u32>(s, n2 ^ t, 8);
  store<u32>(s, rotl(n3, 11), 12);
  return result;
}

/** A double in [0, 1) from two words (53 bits). */
// @ts-ignore: decorator
@inline
export function uniform01(s: usize): f64 {
  const a = <f64>(nextU32(s) >>> 5);
  const b = <f64>(nextU32(s) >>> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

// @ts-ignore: decorator
@inline
export function uniformIn(s: usize, min: f64, max: f64): f64 {
  return min + (max - min) * uniform01(s);
}

/** Poisson count by inversion; `limit` = exp(-mean), computed once by the host. */
// @ts-ignore: decorator
@inline
export function poisson(s: usize, limit: f64): i32 {
  let k = 0;
  let p = uniform01(s);
  while (p > limit) {
    k++;
    p *= uniform01(s);
  }
  return k;
}

/** Standard normal by Box-Muller: two uniforms per draw, the second value discarded. */
// @ts-ignore: decorator
@inline
export function standardNormal(s: usize): f64 {
  const u = 1.0 - uniform01(s); // (0, 1]: log(0) is excluded
  return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * uniform01(s));
}

/**
 * One draw of a scenario distribution, by kind: 0 constant (a), 1 uniform [a, b),
 * 2 normal (mean a, sd b) clamped to [c, d], 3 exponential (mean a), 4 centred (mean a, spread b).
 */
// @ts-ignore: decorator
@inline
export function draw(s: usize, kind: i32, a: f64, b: f64, c: f64, d: f64): f64 {
  if (kind == 0) return a;
  if (kind == 1) return uniformIn(s, a, b);
  if (kind == 2) return min(max(a + b * standardNormal(s), c), d);
  if (kind == 3) return -a * Math.log(1.0 - uniform01(s));
  return a * (1.0 - b + 2.0 * b * uniform01(s));
}

/** Called by the parity tests: `count` words of the stream at `s` into `out` (u32). */
export function rngWords(s: usize, out: usize, count: i32): void {
  for (let i = 0; i < count; i++) store<u32>(out + (<usize>i << 2), nextU32(s));
}

/** Called by the parity tests: `count` draws of `kind` (0-4 as `draw`, 5 poisson with limit a, 6 normal) into `out` (f64). */
export function rngDraws(s: usize, out: usize, count: i32, kind: i32, a: f64, b: f64, c: f64, d: f64): void {
  for (let i = 0; i < count; i++) {
    const v = kind == 5 ? <f64>poisson(s, a) : kind == 6 ? standardNormal(s) : draw(s, kind, a, b, c, d);
    store<f64>(out + (<usize>i << 3), v);
  }
}
