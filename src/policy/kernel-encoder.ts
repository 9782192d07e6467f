// The learners' encoder (src/policy/encoding.ts) over kernel memory: states, masks and targets
// live on a Machine, and each slot is one `encode` and one `decide` kernel call
// (assembly/encode.ts, twin src/kernels/encode-js.ts). Same states, masks and decisions as
// Encoder.encode / Encoder.decide on the same observation.
import type { Machine } from "../kernels/machine.js";
import { channelArgs, type ChannelArgs, type ObservationPtrs } from "../kernels/observation.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { EstimateContext } from "../twin/estimate.js";
import { sizeThresholds, STATES_PER_CELL } from "./encoding.js";

export class KernelEncoder {
  readonly states: number;
  private readonly cellScaleM: number;
  private readonly size: [number, number];
  private readonly channel: ChannelArgs;
  /** Byte offsets: activeIn i32[n] (scratch), state, mask, action i32[m], targets i32[3m]. */
  readonly activeInPtr: number;
  readonly statePtr: number;
  readonly maskPtr: number;
  readonly actionPtr: number;
  readonly targetsPtr: number;
  /** Views of the arrays above (re-created when the memory grows). */
  state!: Int32Array;
  mask!: Int32Array;
  /** The learner writes each active user's action here before `decide`. */
  action!: Int32Array;
  /** Per user: the sites its actions 4, 5 and 6 upload to (serving, closest other, second other). */
  targets!: Int32Array;

  constructor(private readonly machine: Machine, c: TrialConfig, ctx: EstimateContext, readonly users: number) {
    const n = c.sites.count;
    this.states = n * STATES_PER_CELL;
    this.cellScaleM = Math.sqrt((c.area.widthM * c.area.heightM) / n) / 2;
    this.size = sizeThresholds(c.tasks.bits);
    this.channel = channelArgs(ctx.channel);
    this.activeInPtr = machine.alloc(4 * n);
    this.statePtr = machine.alloc(4 * users);
    this.maskPtr = machine.alloc(4 * users);
    this.actionPtr = machine.alloc(4 * users);
    this.targetsPtr = machine.alloc(12 * users);
    machine.bind((h) => {
      this.state = h.i32.subarray(this.statePtr >>> 2, (this.statePtr >>> 2) + users);
      this.mask = h.i32.subarray(this.maskPtr >>> 2, (this.maskPtr >>> 2) + users);
      this.action = h.i32.subarray(this.actionPtr >>> 2, (this.actionPtr >>> 2) + users);
      this.targets = h.i32.subarray(this.targetsPtr >>> 2, (this.targetsPtr >>> 2) + 3 * users);
    });
  }

  /** Writes every user's state and action mask (masks only matter for active users): one kernel call. */
  encode(o: ObservationPtrs): void {
    const [minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal, gainAt1m] = this.channel;
    // The SINR at which the Shannon rate (eq. 3) reaches the minimum rate: the mask's test without a log2 per site.
    const minSinr = 2 ** (minRateBps / bandwidthHz) - 1;
    this.machine.fns.encode(
      o.users, o.sites, o.userX, o.userY, o.serving, o.powerMw, o.active, o.bits, o.siteX, o.siteY, o.siteRxMw, o.siteOwnMw,
      this.cellScaleM, this.size[0], this.size[1], minSinr, noiseMw, dMinM, orthogonal, gainAt1m,
      this.activeInPtr, this.statePtr, this.maskPtr, this.targetsPtr,
    );
  }

  /** Writes each active user's decision of its action (`action`) into theta f64[m] / server i32[m] at the given offsets: one kernel call. */
  decide(o: ObservationPtrs, thetaPtr: number, serverPtr: number): void {
    this.machine.fns.decide(o.users, o.active, this.actionPtr, this.targetsPtr, thetaPtr, serverPtr);
  }
}
