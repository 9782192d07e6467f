import type { Backend } from "../kernels/types.js";
import { createMachine, type Machine } from "../kernels/machine.js";
import { createLearningKernels } from "../kernels/learning.js";
import { optimumUnsupported, type PolicyName, type TrialConfig } from "../scenario/schema.js";
import type { SlotLayout } from "../layout.js";
import { GreedyPolicy, LocalPolicy, NearestPolicy, RandomPolicy } from "./baselines.js";
import { KernelBaselinePolicy, KernelBaselines } from "./kernel-baselines.js";
import { KernelOptimum, KernelOptimumPolicy } from "./kernel-optimum.js";
import { QLearner } from "./learner.js";
import type { Policy, PolicyContext } from "./policy.js";

export type { Policy, PolicyContext } from "./policy.js";
export { QLearner } from "./learner.js";

/** Where a policy runs: the trial's config, its user count and the kernel memory (or a backend, for a fresh one). */
export interface PolicyHost {
  config: TrialConfig;
  users: number;
  backend: Backend | Machine;
  /** The slot layout the simulation evaluates (sim.L): the true state the oracle `optimum` reads. */
  layout?: SlotLayout;
}

/**
 * A policy by name. With `host` the baselines and learners run on the kernels in the trial's
 * kernel memory (what the trial runner uses); without it, the baselines are their TypeScript
 * references (src/policy/baselines.ts), which the kernels are tested against.
 */
export function createPolicy(name: PolicyName, ctx: PolicyContext, host?: PolicyHost): Policy {
  const machine = host && (typeof host.backend === "string" ? createMachine(host.backend) : host.backend);
  switch (name) {
    case "local":
      return new LocalPolicy();
    case "random":
    case "nearest":
    case "greedy":
      if (host && machine) return new KernelBaselinePolicy(name, new KernelBaselines(machine, ctx, host.config.sites.count));
      return name === "random" ? new RandomPolicy(ctx) : name === "nearest" ? new NearestPolicy(ctx) : new GreedyPolicy(ctx);
    case "il":
    case "jal":
    case "mfq":
      if (!host || !machine) throw new Error(`policy ${name}: a learner needs the trial's config, users and backend`);
      return new QLearner(name, host.config, ctx, createLearningKernels(machine), host.users);
    case "optimum": {
      if (!host || !machine || !host.layout) throw new Error("policy optimum: an oracle needs the trial's config, users, kernel memory and slot layout (the true state)");
      const why = optimumUnsupported(host.config);
      if (why) throw new Error(`policy optimum: needs ${why}`);
      const greedy = new KernelBaselines(machine, ctx, host.config.sites.count);
      return new KernelOptimumPolicy(greedy, new KernelOptimum(machine, ctx, greedy.fractionsPtr, host.users, host.config.sites.count), host.layout);
    }
  }
}
