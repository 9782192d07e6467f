// The struct-of-arrays buffers of one slot, shared by both kernel backends.
// One contiguous byte range: for the JS backend its own ArrayBuffer, for WASM a range of
// linear memory (views rebuilt by the backend after memory growth).

export const USER_F64 = [
  "userX", "userY", "powerMw", "userCpuHz", "bits", "cyclesPerBit", "deadlineS", "theta", "beta",
  "signalMw", "sinr", "rateBps", "tLocalS", "tTransS", "tExeS", "tMigS", "tExeTargetS", "tProcS",
] as const;
export const USER_I32 = ["active", "server", "migrateTo", "feasible", "deadlineMet", "refused", "taskType", "arrivalSlot"] as const;
export const SITE_F64 = ["siteX", "siteY", "siteCpuHz", "siteRxMw", "siteOwnMw", "siteRxErrMw", "siteOwnErrMw"] as const;
export const SITE_I32 = ["siteLoad"] as const;

/** 16-byte alignment so every array can be read as v128 lanes. */
/** Rounds up to a multiple of 16 (arithmetic, not `& ~15`: byte counts and offsets pass 2^31). */
const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * Inputs: positions, powers, CPUs, task (bits, cyclesPerBit, deadlineS, active, taskType, arrivalSlot) and decision
 * (theta = local fraction, server, migrateTo = -1 or a site, beta = source fraction).
 * Outputs: signal, SINR, rate, latency terms, flags (feasible, deadlineMet, refused); per-site received sums and loads.
 */
export class SlotLayout {
  readonly siteCapacity: number;
  readonly byteLength: number;

  userX!: Float64Array; userY!: Float64Array; powerMw!: Float64Array; userCpuHz!: Float64Array;
  bits!: Float64Array; cyclesPerBit!: Float64Array; deadlineS!: Float64Array;
  theta!: Float64Array; beta!: Float64Array;
  signalMw!: Float64Array; sinr!: Float64Array; rateBps!: Float64Array;
  tLocalS!: Float64Array; tTransS!: Float64Array; tExeS!: Float64Array; tMigS!: Float64Array;
  tExeTargetS!: Float64Array; tProcS!: Float64Array;
  active!: Int32Array; server!: Int32Array; migrateTo!: Int32Array;
  feasible!: Int32Array; deadlineMet!: Int32Array;
  /** 1 where the sites refused the user's upload this slot (rate below the minimum): it ran locally. */
  refused!: Int32Array;
  /** The head task's catalogue type (-1 untyped or idle) and arrival slot (-1 idle). */
  taskType!: Int32Array; arrivalSlot!: Int32Array;
  siteX!: Float64Array; siteY!: Float64Array; siteCpuHz!: Float64Array;
  siteRxMw!: Float64Array; siteOwnMw!: Float64Array; siteLoad!: Int32Array;
  /** Compensation terms of the received sums (TwoSum), kernel scratch. */
  siteRxErrMw!: Float64Array; siteOwnErrMw!: Float64Array;

  /** `base` is the byte offset of the layout in the buffers it will be bound to. */
  constructor(readonly maxUsers: number, readonly maxSites: number, readonly base = 0) {
    if (!Number.isInteger(maxUsers) || maxUsers < 1) throw new RangeError(`maxUsers: expected a positive integer, got ${maxUsers}`);
    if (!Number.isInteger(maxSites) || maxSites < 1) throw new RangeError(`maxSites: expected a positive integer, got ${maxSites}`);
    if (base % 16 !== 0) throw new RangeError(`base: expected a multiple of 16, got ${base}`);
    // Sites are padded to an even count: the WASM kernel reads them two at a time.
    this.siteCapacity = (maxSites + 1) & ~1;
    this.byteLength = SlotLayout.byteLength(maxUsers, maxSites);
  }

  static byteLength(maxUsers: number, maxSites: number): number {
    const s = (maxSites + 1) & ~1;
    return USER_F64.length * align16(maxUsers * 8) + USER_I32.length * align16(maxUsers * 4)
      + SITE_F64.length * align16(s * 8) + SITE_I32.length * align16(s * 4);
  }

  /** (Re)creates every view over `buffer` at this layout's base offset. */
  bind(buffer: ArrayBuffer): this {
    let off = this.base;
    const self = this as unknown as Record<string, Float64Array | Int32Array>;
    const take = (names: readonly string[], count: number, F64: boolean): void => {
      for (const name of names) {
        self[name] = F64 ? new Float64Array(buffer, off, count) : new Int32Array(buffer, off, count);
        off += align16(count * (F64 ? 8 : 4));
      }
    };
    take(USER_F64, this.maxUsers, true);
    take(USER_I32, this.maxUsers, false);
    take(SITE_F64, this.siteCapacity, true);
    take(SITE_I32, this.siteCapacity, false);
    return this;
  }
}
