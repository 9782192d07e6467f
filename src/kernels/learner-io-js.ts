// The pure-TS twin of assembly/learner-io.ts.
import type { Heap } from "./heap.js";
import { uniform01 } from "./rng-js.js";

/** Twin of fillUniforms. */
export function fillUniforms(h: Heap, s: number, out: number, count: number): void {
  const o = out >>> 3;
  for (let i = 0; i < count; i++) h.f64[o + i] = uniform01(h, s);
}
