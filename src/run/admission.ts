// The minimum-rate constraint, enforced by the sites: an upload whose realised rate falls
// below minRateBps (docs/calculator.md#min-rate) is refused and its task runs entirely on the user's
// CPU. Refusing uploads only lowers everyone else's interference, so one re-evaluation of
// the channel leaves every remaining upload feasible.
import type { SlotLayout } from "../layout.js";
import type { Kernels, SlotParams } from "../kernels/types.js";

/** Evaluates the channel, refuses infeasible uploads (marking `refused`), returns how many. */
export function admitUploads(k: Kernels, L: SlotLayout, m: number, n: number, p: SlotParams, refused: Uint8Array): number {
  k.channel(L, m, n, p);
  let count = 0;
  for (let i = 0; i < m; i++) {
    refused[i] = 0;
    if (L.active[i] && L.theta[i] < 1 && L.rateBps[i] < p.minRateBps) {
      refused[i] = 1;
      L.theta[i] = 1;
      L.migrateTo[i] = -1;
      L.beta[i] = 0;
      count++;
    }
  }
  if (count > 0) k.channel(L, m, n, p);
  return count;
}
