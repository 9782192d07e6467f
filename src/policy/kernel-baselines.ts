// The random, nearest and greedy baselines (src/policy/baselines.ts) over kernel memory: their
// scratch, the allowed fractions and the random baseline's "policy" stream live on a Machine,
// and each slot is one kernel call (assembly/baselines.ts, twin src/kernels/baselines-js.ts)
// writing the active users' decisions into theta f64[m] / server i32[m] at the given offsets,
// which the caller pre-fills with the runner's default (theta 1, server = serving site).
// Same choices as RandomPolicy (given the same stream state), NearestPolicy and GreedyPolicy.
import type { Machine } from "../kernels/machine.js";
import { channelArgs, checkSameMachine, type ChannelArgs, type ObservationPtrs } from "../kernels/observation.js";
import { streamState } from "../kernels/rng-seed.js";
import type { Decisions } from "../contracts/decisions.js";
import type { Observation } from "../twin/twin-layer.js";
import type { Policy, PolicyContext } from "./policy.js";

export class KernelBaselines {
  private readonly channel: ChannelArgs;
  private readonly fractionCount: number;
  /** Byte offsets: the allowed fractions f64[k], the policy stream (16 bytes), scratch over sites. */
  readonly fractionsPtr: number;
  readonly rngPtr: number;
  private readonly feasible: number;
  private readonly rx: number;
  private readonly own: number;
  private readonly load: number;
  private readonly signal: number;
  private readonly perFraction: number;

  /**
   * Scratch for `sites` sites; the random baseline's stream is "policy" of the trial seed
   * `ctx.seed`, the same generator and seed as the TS stream(seed, "policy") RandomPolicy draws from.
   */
  constructor(readonly machine: Machine, ctx: Pick<PolicyContext, "channel" | "localFractions" | "seed">, readonly sites: number) {
    this.channel = channelArgs(ctx.channel);
    this.fractionCount = ctx.localFractions.length;
    this.fractionsPtr = machine.alloc(8 * this.fractionCount);
    this.rngPtr = machine.alloc(16);
    this.feasible = machine.alloc(4 * sites);
    this.rx = machine.alloc(8 * sites);
    this.own = machine.alloc(8 * sites);
    this.load = machine.alloc(4 * sites);
    this.signal = machine.alloc(8 * sites);
    this.perFraction = machine.alloc(24 * this.fractionCount);
    machine.heap.f64.set(ctx.localFractions, this.fractionsPtr >>> 3);
    this.reset(ctx.seed);
  }

  /** A new episode: the policy stream re-seeded from `seed` (e.g. a training episode's; the scratch needs no reset). */
  reset(seed: number | string): void {
    this.machine.heap.u32.set(streamState(seed, "policy"), this.rngPtr >>> 2);
  }

  private check(o: ObservationPtrs): void {
    if (o.sites > this.sites) throw new RangeError(`baselines: ${o.sites} sites exceed the scratch for ${this.sites}`);
  }

  /** The paper's random scheme (RandomPolicy): one kernel call. */
  random(o: ObservationPtrs, thetaPtr: number, serverPtr: number): void {
    this.check(o);
    this.machine.fns.randomPolicy(
      o.users, o.sites, this.rngPtr, o.userX, o.userY, o.powerMw, o.active, o.siteX, o.siteY, o.siteRxMw, o.siteOwnMw,
      ...this.channel, this.fractionsPtr, this.fractionCount, this.feasible, thetaPtr, serverPtr,
    );
  }

  /** Full offload to the serving site when feasible (NearestPolicy): one kernel call. */
  nearest(o: ObservationPtrs, thetaPtr: number, serverPtr: number): void {
    this.machine.fns.nearestPolicy(
      o.users, o.userX, o.userY, o.serving, o.powerMw, o.active, o.siteX, o.siteY, o.siteRxMw, o.siteOwnMw,
      ...this.channel, thetaPtr, serverPtr,
    );
  }

  /** Least estimated T_proc in user order (GreedyPolicy): one kernel call. */
  greedy(o: ObservationPtrs, thetaPtr: number, serverPtr: number): void {
    this.check(o);
    this.machine.fns.greedyPolicy(
      o.users, o.sites, o.userX, o.userY, o.powerMw, o.userCpuHz, o.active, o.bits, o.cyclesPerBit,
      o.siteX, o.siteY, o.siteCpuHz, o.siteRxMw, o.siteOwnMw, o.siteLoad,
      ...this.channel, this.fractionsPtr, this.fractionCount, this.rx, this.own, this.load, this.signal, this.perFraction, thetaPtr, serverPtr,
    );
  }
}

/** A baseline as the trial runner uses it: one kernel call per slot over the twin's observation. */
export class KernelBaselinePolicy implements Policy {
  constructor(readonly name: "random" | "nearest" | "greedy", private readonly b: KernelBaselines) {}

  act(obs: Observation, out: Decisions): void {
    checkSameMachine(this.name, this.b.machine, obs.machine);
    this.b[this.name](obs.ptrs, out.theta.byteOffset, out.server.byteOffset);
  }
}
