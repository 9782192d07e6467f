// Named random streams: one master seed per trial, one independent stream per component,
// so adding a component (or a draw inside one) never shifts another component's draws.
import { Heap } from "../kernels/heap.js";
import { uniform01 } from "../kernels/rng-js.js";
import { streamState } from "../kernels/rng-seed.js";
import type { Distribution } from "../scenario/schema.js";

export type Rng = () => number;

export type StreamName = "topology" | "placement" | "mobility" | "traffic" | "association" | "policy";

/**
 * The stream `name` of trial seed `seed` for the host's own draws: the kernels' generator
 * (xoshiro128**, src/kernels/rng-js.ts) over a state of its own, seeded as the kernels' streams are.
 */
export function stream(seed: number | string, name: StreamName | string): Rng {
  const h = new Heap(new ArrayBuffer(16));
  h.u32.set(streamState(seed, name));
  return () => uniform01(h, 0);
}

export const uniform = (r: Rng, min: number, max: number): number => min + (max - min) * r();

/** Poisson count by inversion: exact for the small means of task arrivals (<= 0.2 per slot). */
export function poisson(r: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r();
  while (p > limit) {
    k++;
    p *= r();
  }
  return k;
}

/** Standard normal by Box-Muller (two uniforms per draw, the second value discarded for simplicity). */
export function standardNormal(r: Rng): number {
  const u = 1 - r(); // (0, 1]: log(0) is excluded
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** One draw of a non-negative quantity from a scenario distribution. */
export function draw(r: Rng, d: Distribution): number {
  switch (d.dist) {
    case "constant":
      return d.value;
    case "uniform":
      return uniform(r, d.min, d.max);
    case "normal": {
      const x = d.mean + d.sd * standardNormal(r);
      return Math.min(Math.max(x, d.min), d.max ?? Infinity);
    }
    case "exponential":
      return -d.mean * Math.log(1 - r());
    case "centred":
      return d.mean * (1 - d.spread + 2 * d.spread * r());
  }
}
