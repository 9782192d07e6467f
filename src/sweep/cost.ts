// The estimated cost of a trial, by which a sweep orders its trials longest first so that
// the last trials to finish are short and the threads end together. Only the order matters,
// so the unit is arbitrary ("user-site-slots").
//
// Model: one slot costs about users x sites (association, channel and the twin's estimates
// touch every user against every site), and a trial runs its evaluation slots plus, for a
// learner (`il`, `jal`, `mfq`), its training: episodes x slotsPerEpisode slots, which at the paper's
// settings (2000 x 25 against 200) is most of its time. A baseline has no training. `optimum`'s
// slot is a descent of several sweeps over the active users (about 10 times greedy's slot at
// 450-750 users: docs/engine.md), counted as OPTIMUM_SLOT_FACTOR slots. A plug-in policy
// (docs/plugins.md) is counted as a baseline: one slot per slot, no training.
import type { TrialConfig } from "../scenario/schema.js";
import { userCount } from "../scenario/users.js";
import type { TrialSpec } from "../contracts/trial-spec.js";

/** The policies that train before their evaluation episode. */
export const LEARNERS: ReadonlySet<string> = new Set<string>(["il", "jal", "mfq"]);

/** How many baseline slots one slot of `optimum` costs, for ordering only. */
const OPTIMUM_SLOT_FACTOR = 10;

/** Slots a trial simulates, in baseline slots: evaluation (warm-up included) and, for a learner, every training slot. */
export function trialSlots(policy: string, c: Pick<TrialConfig, "slots" | "learning">): number {
  const training = LEARNERS.has(policy) ? c.learning.episodes * c.learning.slotsPerEpisode : 0;
  return (policy === "optimum" ? OPTIMUM_SLOT_FACTOR : 1) * c.slots + training;
}

/** Estimated cost of a trial: users x sites x the slots it simulates. */
export function trialCost(spec: Pick<TrialSpec, "policy" | "config">): number {
  const c = spec.config;
  return userCount(c) * c.sites.count * trialSlots(spec.policy, c);
}

/** The specs, longest first (a stable sort: equal costs keep their sweep order). */
export function longestFirst<T extends Pick<TrialSpec, "policy" | "config">>(specs: readonly T[]): T[] {
  return [...specs].sort((a, b) => trialCost(b) - trialCost(a));
}
