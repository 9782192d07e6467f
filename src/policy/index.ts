import type { PolicyName } from "../scenario/schema.js";
import { GreedyPolicy, LocalPolicy, NearestPolicy, RandomPolicy } from "./baselines.js";
import type { Policy, PolicyContext } from "./policy.js";

export type { Decisions, Policy, PolicyContext } from "./policy.js";

export function createPolicy(name: PolicyName, ctx: PolicyContext): Policy {
  switch (name) {
    case "local":
      return new LocalPolicy();
    case "random":
      return new RandomPolicy(ctx);
    case "nearest":
      return new NearestPolicy(ctx);
    case "greedy":
      return new GreedyPolicy(ctx);
  }
}
