// When a learner's held-out evaluation runs (learning.heldOut, src/scenario/schema.ts).
import type { TrialConfig } from "./schema.js";

/** Episodes between held-out evaluations: the scenario's `every`, else a twentieth of the episodes (at least 1); 0: never. */
export function heldOutEvery(l: TrialConfig["learning"]): number {
  return l.heldOut.every ?? Math.max(1, Math.round(l.episodes / 20));
}
