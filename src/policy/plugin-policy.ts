// A plug-in policy as the runner sees it (docs/plugins.md): the module's factory called with
// the trial's context, and its policy wrapped so that whatever it throws, and any decision
// outside the contract (a theta the scenario does not allow, a site out of range, NaN), fails
// the trial with an error naming the policy.
import type { CreatePolicy, PluginContext, PluginObservation, PluginPolicy } from "../contracts/plugin.js";
import type { Decisions, SlotOutcome } from "../contracts/decisions.js";
import type { PluginRef } from "../contracts/record.js";
import type { TrialConfig } from "../scenario/schema.js";
import { expectedInterferenceMw, expectedRateBps, rateBps, rxMw } from "../twin/estimate.js";
import type { Observation } from "../twin/twin-layer.js";
import { PluginView } from "./plugin-observation.js";
import type { Policy, PolicyContext } from "./policy.js";

// The twin's observation must be what the contract promises a plug-in.
const observationFitsContract = (o: Observation): PluginObservation => o;
void observationFitsContract;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Whether a plug-in's return value is a thenable (an async act, feedback or createPolicy); if so
 * its rejection is handled here, so it cannot crash the process as an unhandled rejection.
 */
function settledIfThenable(r: unknown): boolean {
  if (r === null || (typeof r !== "object" && typeof r !== "function") || typeof (r as { then?: unknown }).then !== "function") return false;
  void Promise.resolve(r).then(undefined, () => {});
  return true;
}

/** A JSON value deep-copied and frozen, so a plug-in cannot change the options its records carry. */
function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (!v || typeof v !== "object") return;
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  };
  freeze(copy);
  return copy;
}

/** The plug-in `name`'s policy for one trial (the trial runner calls it), from the factory its module exports. */
export function createPluginPolicy(name: string, ref: PluginRef, factory: CreatePolicy, ctx: PolicyContext, host: { config: TrialConfig; users: number }): Policy {
  const asObs = (o: PluginObservation) => o as Observation;
  const pctx: PluginContext = Object.freeze({
    name, options: frozenCopy(ref.options), config: frozenCopy(host.config), users: host.users, sites: host.config.sites.count,
    seed: Number(ctx.seed), rng: ctx.rng, localFractions: Object.freeze([...ctx.localFractions]), channel: Object.freeze({ ...host.config.channel }),
    estimate: Object.freeze({
      rxMw: (o: PluginObservation, i: number, j: number) => rxMw(asObs(o), i, j, ctx.channel.dMinM),
      expectedInterferenceMw: (o: PluginObservation, j: number) => expectedInterferenceMw(asObs(o), ctx, j),
      rateBps: (signalMw: number, interferenceMw: number) => rateBps(ctx, signalMw, interferenceMw),
      expectedRateBps: (o: PluginObservation, i: number, j: number) => expectedRateBps(asObs(o), ctx, i, j),
    }),
  });
  let inner: PluginPolicy;
  try {
    inner = factory(pctx);
  } catch (e) {
    throw new Error(`policy ${name}: createPolicy threw: ${message(e)}`);
  }
  if (settledIfThenable(inner)) throw new Error(`policy ${name}: createPolicy must be synchronous (it returned a promise: is it async?)`);
  if (!inner || typeof inner !== "object" || typeof inner.act !== "function") throw new Error(`policy ${name}: createPolicy returned no policy (an object with an act(obs, out) method)`);
  if (inner.feedback !== undefined && typeof inner.feedback !== "function") throw new Error(`policy ${name}: the policy's feedback is not a function`);
  return new CheckedPolicy(name, inner, ctx.localFractions);
}

class CheckedPolicy implements Policy {
  private readonly allowed: number[];
  private readonly view = new PluginView();

  constructor(readonly name: string, private readonly inner: PluginPolicy, localFractions: readonly number[]) {
    this.allowed = localFractions.includes(1) ? [...localFractions] : [...localFractions, 1];
  }

  act(obs: Observation, out: Decisions): void {
    this.call("act", obs.slot, () => this.inner.act(this.view.observation(obs), this.view.decisions(out)));
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i]) continue;
      const why = this.invalid(out, i, obs.sites.count);
      if (why) throw new Error(`policy ${this.name} made an invalid decision for user ${i} in slot ${obs.slot}: ${why}`);
    }
  }

  feedback(obs: Observation, outcome: SlotOutcome): void {
    const feedback = this.inner.feedback;
    if (feedback) this.call("feedback", obs.slot, () => feedback.call(this.inner, this.view.observation(obs), this.view.slotOutcome(outcome)));
  }

  /** Runs the plug-in's `what` in `slot`: a throw or a returned promise fails the trial, naming the policy. */
  private call(what: "act" | "feedback", slot: number, f: () => unknown): void {
    let r: unknown;
    try {
      r = f();
    } catch (e) {
      throw new Error(`policy ${this.name}: ${what}() threw in slot ${slot}: ${message(e)}`);
    }
    if (settledIfThenable(r)) throw new Error(`policy ${this.name}: ${what} must be synchronous (it returned a promise in slot ${slot}: is it async?)`);
  }

  /** Why user i's decision breaks the contract (docs/plugins.md), or undefined. */
  private invalid(d: Decisions, i: number, n: number): string | undefined {
    const theta = d.theta[i], j = d.server[i], t = d.migrateTo[i], beta = d.beta[i];
    if (!this.allowed.includes(theta)) return `theta=${theta} is not one of actions.localFractions (${this.allowed.join(", ")})`;
    if (j < 0 || j >= n) return `server=${j} is not a site index in [0, ${n})`;
    if (t !== -1 && (t < 0 || t >= n || t === j)) return `migrateTo=${t} is neither -1 nor a site index in [0, ${n}) other than server (${j})`;
    if (!(beta >= 0 && beta <= 1 - theta + 1e-12)) return `beta=${beta} is not in [0, 1 - theta] = [0, ${1 - theta}]`;
    if (t === -1 && beta !== 0) return `beta=${beta} without a migration (migrateTo -1): expected 0`;
    return undefined;
  }
}
