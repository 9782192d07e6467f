// The pure-TS twin of assembly/rng.ts: xoshiro128** over 4 u32 words of state at byte offset
// `s` of a Heap, the same words and the same draws bit for bit (Math.imul and >>> 0 keep the
// arithmetic in 32 bits). Transcendental functions (log, cos) are the host's; the WASM
// kernels use AssemblyScript's, which may differ in the last ulp (parity: 1e-9).
import type { Heap } from "./heap.js";

/** Distribution kinds of `draw`, as the kernels number them. */
export const DIST_CONSTANT = 0, DIST_UNIFORM = 1, DIST_NORMAL = 2, DIST_EXPONENTIAL = 3, DIST_CENTRED = 4;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** The next 32-bit word (unsigned) of the stream at `s`. */
export function nextU32(h: Heap, s: number): number {
  const u = h.u32, o = s >>> 2;
  const s0 = u[o], s1 = u[o + 1], s2 = u[o + 2], s3 = u[o + 3];
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  u[o] = s0 ^ n3;
  u[o + 1] = s1 ^ n2;
  u[o + 2] = n2 ^ t;
  u[o + 3] = rotl(n3, 11);
  return result;
}

/** A double in [0, 1) from two words (53 bits). */
export function uniform01(h: Heap, s: number): number {
  const a = nextU32(h, s) >>> 5;
  const b = nextU32(h, s) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

export const uniformIn = (h: Heap, s: number, min: number, max: number): number => min + (max - min) * uniform01(h, s);

/** Poisson count by inversion; `limit` = exp(-mean), computed once by the host. */
export function poisson(h: Heap, s: number, limit: number): number {
  let k = 0;
  let p = uniform01(h, s);
  while (p > limit) {
    k++;
    p *= uniform01(h, s);
  }
  return k;
}

/** Standard normal by Box-Muller: two uniforms per draw, the second value discarded. */
export function standardNormal(h: Heap, s: number): number {
  const u = 1 - uniform01(h, s);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform01(h, s));
}

/** One draw of a scenario distribution by kind (DIST_*), parameters as assembly/rng.ts `draw`. */
export function draw(h: Heap, s: number, kind: number, a: number, b: number, c: number, d: number): number {
  if (kind === DIST_CONSTANT) return a;
  if (kind === DIST_UNIFORM) return uniformIn(h, s, a, b);
  if (kind === DIST_NORMAL) return Math.min(Math.max(a + b * standardNormal(h, s), c), d);
  if (kind === DIST_EXPONENTIAL) return -a * Math.log(1 - uniform01(h, s));
  return a * (1 - b + 2 * b * uniform01(h, s));
}

/** Twin of the rngWords export (parity tests). */
export function rngWords(h: Heap, s: number, out: number, count: number): void {
  for (let i = 0; i < count; i++) h.u32[(out >>> 2) + i] = nextU32(h, s);
}

/** Twin of the rngDraws export (parity tests): kind 0-4 as draw, 5 poisson (limit a), 6 normal. */
export function rngDraws(h: Heap, s: number, out: number, count: number, kind: number, a: number, b: number, c: number, d: number): void {
  for (let i = 0; i < count; i++) {
    h.f64[(out >>> 3) + i] = kind === 5 ? poisson(h, s, a) : kind === 6 ? standardNormal(h, s) : draw(h, s, kind, a, b, c, d);
  }
}
