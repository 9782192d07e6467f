// The `optimum` benchmark policy: per slot, greedy's decisions (on the twin's observation, as
// the greedy baseline decides), then best-response descent on the slot's exact system cost
// Σ T_proc (eq. 10) over every active user's (theta, site), one kernel call
// (assembly/optimum.ts, twin src/kernels/optimum-js.ts), until no single user can lower it by
// more than 1e-9 relative. A local optimum of the cost the slot records, not a global one.
// An oracle: it reads the true slot state (positions in the slot layout), which no policy of
// the paper may see; it is a yardstick for greedy and the learners, not a deployable scheme.
import type { Decisions } from "../contracts/decisions.js";
import type { SlotLayout } from "../layout.js";
import type { Machine } from "../kernels/machine.js";
import { channelArgs, checkSameMachine, type ChannelArgs } from "../kernels/observation.js";
import { optimumScratchBytes } from "../kernels/optimum-js.js";
import type { Observation } from "../twin/twin-layer.js";
import type { KernelBaselines } from "./kernel-baselines.js";
import type { Policy, PolicyContext } from "./policy.js";

/** Sweeps per slot before the descent stops unconverged (counted in `capHits`). */
const MAX_SWEEPS = 100;

/** The descent's counts over the slots it decided (and the last slot's). */
export interface OptimumStats {
  slots: number;
  /** Sweeps over the active users, the last (moving nobody) included. */
  sweeps: number;
  /** Users moved to a better option. */
  moves: number;
  /** Slots where MAX_SWEEPS stopped the descent before it converged. */
  capHits: number;
  /** Σ over slots of the system cost (s) of greedy's decisions and of the optimum's. */
  greedyCostS: number;
  optimumCostS: number;
  last: { sweeps: number; moves: number; capped: boolean; greedyCostS: number; optimumCostS: number };
}

/** The descent kernel's scratch and stats in a machine's memory, for `users` x `sites` slots (made by createPolicy, and by the tests). */
export class KernelOptimum {
  private readonly channel: ChannelArgs;
  private readonly fractionCount: number;
  private readonly scratch: number;
  private readonly statsPtr: number;

  /** `fractionsPtr`: the allowed fractions f64[ctx.localFractions.length] in `machine` (KernelBaselines'). */
  constructor(readonly machine: Machine, ctx: Pick<PolicyContext, "channel" | "localFractions">, private readonly fractionsPtr: number,
    readonly users: number, readonly sites: number) {
    this.channel = channelArgs(ctx.channel);
    this.fractionCount = ctx.localFractions.length;
    this.scratch = machine.alloc(optimumScratchBytes(users, sites));
    this.statsPtr = machine.alloc(8 * 5);
  }

  private check(m: number, n: number): void {
    if (m > this.users || n > this.sites) throw new RangeError(`optimum: ${m} users x ${n} sites exceed the scratch for ${this.users} x ${this.sites}`);
  }

  /** Improves the decisions at thetaPtr/serverPtr in place (one kernel call); returns [sweeps, moves, capped, cost before, cost after]. */
  improve(L: SlotLayout, m: number, n: number, thetaPtr: number, serverPtr: number): Float64Array {
    this.check(m, n);
    this.machine.fns.optimumPolicy(
      m, n, L.userX.byteOffset, L.userY.byteOffset, L.powerMw.byteOffset, L.userCpuHz.byteOffset, L.active.byteOffset, L.bits.byteOffset, L.cyclesPerBit.byteOffset,
      L.siteX.byteOffset, L.siteY.byteOffset, L.siteCpuHz.byteOffset, ...this.channel, this.fractionsPtr, this.fractionCount,
      MAX_SWEEPS, this.scratch, this.statsPtr, thetaPtr, serverPtr,
    );
    return this.machine.heap.f64.slice(this.statsPtr >>> 3, (this.statsPtr >>> 3) + 5);
  }

  /**
   * Tests: the system cost of every single-user change of the decisions at thetaPtr/serverPtr,
   * as the descent evaluates it: per active user 1 + n·fractions f64 at outPtr; returns the active count.
   */
  optionCosts(L: SlotLayout, m: number, n: number, thetaPtr: number, serverPtr: number, outPtr: number): number {
    this.check(m, n);
    return this.machine.fns.optimumOptionCosts(
      m, n, L.userX.byteOffset, L.userY.byteOffset, L.powerMw.byteOffset, L.userCpuHz.byteOffset, L.active.byteOffset, L.bits.byteOffset, L.cyclesPerBit.byteOffset,
      L.siteX.byteOffset, L.siteY.byteOffset, L.siteCpuHz.byteOffset, ...this.channel, this.fractionsPtr, this.fractionCount,
      this.scratch, thetaPtr, serverPtr, outPtr,
    );
  }
}

/** The oracle policy "optimum" (made by createPolicy): greedy, then the descent on the true state of the simulation's slot layout. */
export class KernelOptimumPolicy implements Policy {
  readonly name = "optimum";
  readonly stats: OptimumStats = {
    slots: 0, sweeps: 0, moves: 0, capHits: 0, greedyCostS: 0, optimumCostS: 0,
    last: { sweeps: 0, moves: 0, capped: false, greedyCostS: 0, optimumCostS: 0 },
  };

  /** `L`: the layout the simulation evaluates (trial runner: kernels.L), in the baselines' machine. */
  constructor(private readonly greedy: KernelBaselines, private readonly descent: KernelOptimum, private readonly L: SlotLayout) {}

  act(obs: Observation, out: Decisions): void {
    checkSameMachine(this.name, this.greedy.machine, obs.machine);
    const L = this.L;
    if (obs.ptrs.active !== L.active.byteOffset || out.theta.byteOffset !== L.theta.byteOffset) {
      throw new Error("policy optimum: its slot layout is not the simulation's; create it with the simulation's layout (sim.L)");
    }
    this.greedy.greedy(obs.ptrs, out.theta.byteOffset, out.server.byteOffset);
    const r = this.descent.improve(L, obs.users, obs.sites.count, out.theta.byteOffset, out.server.byteOffset);
    const s = this.stats;
    s.last = { sweeps: r[0], moves: r[1], capped: r[2] !== 0, greedyCostS: r[3], optimumCostS: r[4] };
    s.slots++;
    s.sweeps += r[0];
    s.moves += r[1];
    s.capHits += r[2];
    s.greedyCostS += r[3];
    s.optimumCostS += r[4];
  }
}
