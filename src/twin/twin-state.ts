// The digital twin's arrays on a kernel Machine (the kernel port of TwinLayer's state): the
// observation the policies read, the ring-buffer histories, the request dedup and the next-cell
// predictors, all in kernel memory and updated by the twin kernels (assembly/twin.ts). A slot's
// sync is one kernel call (requests), two on sync slots (requests, then the physical sync); the
// host never loops over users.
import type { Machine } from "../kernels/machine.js";
import { offsetIn } from "../kernels/offset.js";
import { SiteLookup } from "../kernels/site-lookup.js";
import { PREDICTOR_MARKOV, PREDICTOR_STAY, PREDICTOR_VELOCITY, STATES_PER_CELL } from "../kernels/twin-js.js";
import type { Heap } from "../kernels/heap.js";
import type { PositionScore, PredictionScore, PredictorName } from "./predictors.js";

const PREDICTOR_NUMBER: Record<PredictorName, number> = { stay: PREDICTOR_STAY, velocity: PREDICTOR_VELOCITY, markov: PREDICTOR_MARKOV };

/**
 * A ring history written by the kernels, read on the host: `length` columns, time-major (a
 * column holds every entity's value of one write; entity e of column c at c * entities + e),
 * all entities written at column writes mod length.
 */
export class KernelRing<A extends Float64Array | Int32Array> {
  /** Columns written so far (the next write goes to column writes mod length). */
  writes = 0;
  data!: A;

  constructor(readonly entities: number, readonly length: number, readonly ptr: number) {}

  /** Column of the next write. */
  get col(): number {
    return this.writes % this.length;
  }

  /** How many syncs are held (at most `length`). */
  get size(): number {
    return Math.min(this.writes, this.length);
  }

  /** Entity e's value `lag` writes ago (0 = the latest); lag must be < size. */
  at(e: number, lag: number): number {
    if (lag >= this.size) throw new RangeError(`ring: lag ${lag} beyond the ${this.size} values held`);
    return this.data[((this.writes - 1 - lag) % this.length) * this.entities + e];
  }
}

export interface TwinStateOptions {
  users: number;
  /** Site coordinates (m), copied in; `reset` may move them. */
  siteXM: ArrayLike<number>;
  siteYM: ArrayLike<number>;
  /** The area the users move in (m): the velocity predictor's site lookup covers it. */
  area: { widthM: number; heightM: number };
  /** About half a cell's width (TwinLayer: sqrt(area / sites) / 2): offsets within it are binned finely. */
  cellScaleM: number;
  predictor: PredictorName;
  historyLength: number;
  syncPeriodSlots: number;
  /** Catalogue types (0: none, every task distinct). */
  types: number;
}

/** One slot's requests and the physical state, as views over the machine's memory. */
export interface TwinInputs {
  active: Int32Array;
  taskType: Int32Array;
  bits: Float64Array;
  /** Positions (m) and serving cells, read on sync slots. */
  xM: Float64Array;
  yM: Float64Array;
  serving: Int32Array;
}

type Views = {
  userX: Float64Array; userY: Float64Array; serving: Int32Array;
  siteRxMw: Float64Array; siteOwnMw: Float64Array; siteLoad: Int32Array;
  predictedCell: Int32Array; predictedX: Float64Array; predictedY: Float64Array;
  predictedStay: Int32Array;
  measuredRxMw: Float64Array; measuredOwnMw: Float64Array; measuredLoad: Int32Array;
  siteX: Float64Array; siteY: Float64Array;
  prevState: Int32Array; counts: Int32Array; best: Int32Array; bestCount: Int32Array;
  seenAt: Int32Array; stats: Float64Array; dedupStats: Float64Array;
};
type ViewName = keyof Views;
const F64: ViewName[] = ["userX", "userY", "siteRxMw", "siteOwnMw", "predictedX", "predictedY", "measuredRxMw", "measuredOwnMw", "siteX", "siteY", "stats", "dedupStats"];

export class TwinState {
  readonly users: number;
  readonly sites: number;
  readonly predictor: PredictorName;
  /** Last synced slot's observation: positions and cells as of the last sync. */
  userX!: Float64Array;
  userY!: Float64Array;
  serving!: Int32Array;
  /** Each site's measurements as of the last sync: total received uplink power, own-cell part, executing users. */
  siteRxMw!: Float64Array;
  siteOwnMw!: Float64Array;
  siteLoad!: Int32Array;
  /** The configured predictor's guess of each user's cell at the next sync, and its position then (constant velocity). */
  predictedCell!: Int32Array;
  predictedX!: Float64Array;
  predictedY!: Float64Array;
  readonly history: {
    x: KernelRing<Float64Array>; y: KernelRing<Float64Array>; cell: KernelRing<Int32Array>;
    request: KernelRing<Int32Array>; siteLoad: KernelRing<Int32Array>;
  };
  private v!: Views;
  private readonly p: Record<ViewName, number>;
  private syncs = 0;
  /** The nearest-site lookup of the velocity predictor (off for the other predictors). */
  private readonly lookup: SiteLookup;

  constructor(private readonly machine: Machine, readonly o: TwinStateOptions) {
    const m = (this.users = o.users), n = (this.sites = o.siteXM.length), H = o.historyLength;
    if (o.siteYM.length !== n) throw new RangeError("twin: siteXM and siteYM differ in length");
    this.predictor = o.predictor;
    const markov = o.predictor === "markov", used = o.predictor !== "stay";
    const sizes: Record<ViewName, number> = {
      userX: m, userY: m, serving: m, siteRxMw: n, siteOwnMw: n, siteLoad: n,
      predictedCell: used ? m : 0, predictedX: m, predictedY: m, predictedStay: m,
      measuredRxMw: n, measuredOwnMw: n, measuredLoad: n, siteX: n, siteY: n,
      prevState: markov ? m : 0, counts: markov ? n * STATES_PER_CELL * n : 0,
      best: markov ? n * STATES_PER_CELL : 0, bestCount: markov ? n * STATES_PER_CELL : 0,
      seenAt: o.types, stats: 8, dedupStats: 4,
    };
    const p = {} as Record<ViewName, number>;
    for (const k of Object.keys(sizes) as ViewName[]) p[k] = machine.alloc(Math.max(sizes[k], 1) * (F64.includes(k) ? 8 : 4));
    // "stay" serves its own predictions: the used predictor's array is the baseline's.
    if (!used) p.predictedCell = p.predictedStay;
    this.p = p;
    this.lookup = new SiteLookup(machine, o.predictor === "velocity" ? n : 0);
    this.history = {
      x: new KernelRing(m, H, machine.alloc(8 * m * H)), y: new KernelRing(m, H, machine.alloc(8 * m * H)),
      cell: new KernelRing(m, H, machine.alloc(4 * m * H)), request: new KernelRing(m, H, machine.alloc(4 * m * H)),
      siteLoad: new KernelRing(n, H, machine.alloc(4 * n * H)),
    };
    machine.bind((h) => this.rebind(h, sizes));
    this.reset();
  }

  private rebind(h: Heap, sizes: Record<ViewName, number>): void {
    const v = {} as Record<ViewName, Float64Array | Int32Array>;
    for (const k of Object.keys(sizes) as ViewName[]) {
      const count = k === "predictedCell" ? this.users : sizes[k];
      v[k] = F64.includes(k) ? h.f64.subarray(this.p[k] >>> 3, (this.p[k] >>> 3) + count) : h.i32.subarray(this.p[k] >>> 2, (this.p[k] >>> 2) + count);
    }
    this.v = v as Views;
    ({ userX: this.userX, userY: this.userY, serving: this.serving, siteRxMw: this.siteRxMw, siteOwnMw: this.siteOwnMw, siteLoad: this.siteLoad,
      predictedCell: this.predictedCell, predictedX: this.predictedX, predictedY: this.predictedY } = this.v);
    const ring = <A extends Float64Array | Int32Array>(r: KernelRing<A>, f64: boolean): void => {
      const count = r.entities * r.length;
      r.data = (f64 ? h.f64.subarray(r.ptr >>> 3, (r.ptr >>> 3) + count) : h.i32.subarray(r.ptr >>> 2, (r.ptr >>> 2) + count)) as A;
    };
    ring(this.history.x, true);
    ring(this.history.y, true);
    ring(this.history.cell, false);
    ring(this.history.request, false);
    ring(this.history.siteLoad, false);
  }

  /** A new episode: nothing synced or requested yet, predictors unlearned; `sites` moves the sites. */
  reset(sites?: { xM: ArrayLike<number>; yM: ArrayLike<number> }): void {
    const v = this.v;
    v.siteX.set(sites?.xM ?? this.o.siteXM);
    v.siteY.set(sites?.yM ?? this.o.siteYM);
    this.lookup.build(v.siteX, v.siteY, this.o.area);
    for (const k of ["userX", "userY", "serving", "siteRxMw", "siteOwnMw", "siteLoad", "measuredRxMw", "measuredOwnMw", "measuredLoad",
      "counts", "best", "bestCount", "stats", "dedupStats"] as const) v[k].fill(0);
    for (const k of ["predictedCell", "predictedStay", "prevState", "seenAt"] as const) v[k].fill(-1);
    v.predictedX.fill(NaN);
    v.predictedY.fill(NaN);
    for (const r of Object.values(this.history)) {
      r.writes = 0;
      r.data.fill(0);
    }
    this.syncs = 0;
  }

  /** This slot's requests always (one kernel call); the physical state and site measurements on sync slots (a second). */
  sync(slot: number, inp: TwinInputs): void {
    const { machine, p } = this, f = machine.fns, at = (x: ArrayBufferView): number => offsetIn(machine, x);
    const req = this.history.request;
    f.twinRequests(this.users, slot, at(inp.active), at(inp.taskType), at(inp.bits), p.seenAt, p.dedupStats, req.ptr, req.col);
    req.writes++;
    if (slot % this.o.syncPeriodSlots !== 0) return;
    const h = this.history, L = this.lookup;
    f.twinSync(
      this.users, this.sites, this.syncs > 0 ? 1 : 0, h.x.col,
      at(inp.xM), at(inp.yM), at(inp.serving), p.userX, p.userY, p.serving,
      p.measuredRxMw, p.measuredOwnMw, p.measuredLoad, p.siteRxMw, p.siteOwnMw, p.siteLoad,
      h.x.ptr, h.y.ptr, h.cell.ptr, h.siteLoad.ptr,
      PREDICTOR_NUMBER[this.predictor], p.siteX, p.siteY, this.o.cellScaleM,
      p.predictedStay, p.predictedCell, p.predictedX, p.predictedY,
      p.prevState, p.counts, p.best, p.bestCount, p.stats,
      L.gx, L.gy, L.x0M, L.y0M, L.invCellM, L.start, L.cand,
    );
    for (const r of [h.x, h.y, h.cell, h.siteLoad]) r.writes++;
    this.syncs++;
  }

  /** Keeps what the sites measured in the slot just evaluated, for the next sync (O(sites); e.g. a SlotLayout's site arrays). */
  record(rxMw: Float64Array, ownMw: Float64Array, load: Int32Array): void {
    const n = this.sites, v = this.v;
    v.measuredRxMw.set(rxMw.subarray(0, n));
    v.measuredOwnMw.set(ownMw.subarray(0, n));
    v.measuredLoad.set(load.subarray(0, n));
  }

  /** Requests counted and fetched (identical requests of a slot fetched once), and their bits. */
  get dedup(): { requests: number; fetches: number; bitsRequested: number; bitsFetched: number } {
    const d = this.v.dedupStats;
    return { requests: d[0], fetches: d[1], bitsRequested: d[2], bitsFetched: d[3] };
  }

  /** A predictor's hits and total (only "stay" and the configured one are kept up to date). */
  score(name: PredictorName): PredictionScore {
    const k = 2 * PREDICTOR_NUMBER[name];
    return { hits: this.v.stats[k], total: this.v.stats[k + 1] };
  }

  /** The constant-velocity position forecast's summed error (m) and count. */
  get positionScore(): PositionScore {
    return { errorM: this.v.stats[6], total: this.v.stats[7] };
  }

  /** The baseline's (stay) predictions: each user's cell at the last sync, -1 before the first. */
  get predictedStay(): Int32Array {
    return this.v.predictedStay;
  }
}
