// The minimum-rate constraint, enforced by the sites: an upload whose realised rate falls
// below minRateBps (docs/calculator.md#min-rate) is refused and its task runs entirely on the
// user's CPU (assembly/admission.ts). Refusing uploads only lowers everyone else's
// interference, so one re-evaluation of the channel leaves every remaining upload feasible.
import type { SlotLayout } from "../layout.js";
import type { Kernels, SlotParams } from "../kernels/types.js";

/** Evaluates the channel, refuses infeasible uploads (marking `L.refused`), returns how many. */
export function admitUploads(k: Kernels, L: SlotLayout, m: number, n: number, p: SlotParams): number {
  k.channel(L, m, n, p);
  const count = k.refuseInfeasible(L, m, p.minRateBps);
  if (count > 0) k.channel(L, m, n, p);
  return count;
}
