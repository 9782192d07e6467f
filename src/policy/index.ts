import type { Backend } from "../kernels/types.js";
import type { Machine } from "../kernels/machine.js";
import { createLearningKernels } from "../kernels/learning.js";
import type { PolicyName, TrialConfig } from "../scenario/schema.js";
import { GreedyPolicy, LocalPolicy, NearestPolicy, RandomPolicy } from "./baselines.js";
import { QLearner } from "./learner.js";
import type { Policy, PolicyContext } from "./policy.js";

export type { Policy, PolicyContext } from "./policy.js";
export { QLearner } from "./learner.js";

/**
 * A policy by name; learners also need the trial's config, its user count and where their
 * tables live: a backend (a kernel memory of their own) or the trial's kernel memory.
 */
export function createPolicy(name: PolicyName, ctx: PolicyContext, learner?: { config: TrialConfig; users: number; backend: Backend | Machine }): Policy {
  switch (name) {
    case "local":
      return new LocalPolicy();
    case "random":
      return new RandomPolicy(ctx);
    case "nearest":
      return new NearestPolicy(ctx);
    case "greedy":
      return new GreedyPolicy(ctx);
    case "il":
    case "jal":
      if (!learner) throw new Error(`policy ${name}: a learner needs the trial's config, users and backend`);
      return new QLearner(name, learner.config, ctx, createLearningKernels(learner.backend), learner.users);
  }
}
