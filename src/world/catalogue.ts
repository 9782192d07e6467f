// A catalogue of task types with Zipf popularity: type k (0-based) is requested with
// probability proportional to 1 / (k + 1)^s. Each type's size and cycles per bit are drawn
// once per trial, so identical requests are identical tasks.
import type { Distribution } from "../scenario/schema.js";
import { draw, type Rng } from "./rng.js";

export class Catalogue {
  readonly bits: Float64Array;
  readonly cyclesPerBit: Float64Array;
  /** Cumulative Zipf popularity of types 0..k (the last is 1); the kernels sample it too (src/world/task-queues.ts). */
  readonly cdf: Float64Array;

  constructor(readonly types: number, zipfExponent: number, bits: Distribution, cyclesPerBit: Distribution, r: Rng) {
    this.bits = new Float64Array(types);
    this.cyclesPerBit = new Float64Array(types);
    for (let k = 0; k < types; k++) {
      this.bits[k] = draw(r, bits);
      this.cyclesPerBit[k] = draw(r, cyclesPerBit);
    }
    this.cdf = new Float64Array(types);
    let sum = 0;
    for (let k = 0; k < types; k++) this.cdf[k] = sum += (k + 1) ** -zipfExponent;
    for (let k = 0; k < types; k++) this.cdf[k] /= sum;
  }

  /** A type drawn from the Zipf popularity (binary search of the CDF). */
  sample(r: Rng): number {
    const u = r();
    let lo = 0, hi = this.types - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
