// The digital twin layer: the one place policies and the migration control unit read
// observations from. Requests reach it every slot; the physical state (positions, cells)
// and the sites' measurements (received power, loads) only at syncs, every
// `syncPeriodSlots` slots, so between syncs the twin is stale. At each sync it appends to
// its ring-buffer histories and scores, learns and renews its next-cell predictions.
import type { SlotLayout } from "../../src/layout.js";
import type { TrialConfig } from "../../src/scenario/schema.js";
import type { Sites } from "../../src/world/topology.js";
import type { WorldTs as World } from "./world-ts.js";
import { RequestDedup } from "../../src/twin/dedup.js";
import { NextCellPredictors, type PredictorName } from "../../src/twin/predictors.js";
import { RingHistory } from "../../src/twin/ring.js";

/** What an agent may know when it decides (read-only by convention; owned by the twin). */
export interface Observation {
  slot: number;
  users: number;
  sites: Sites;
  /** Positions and cells as of the last sync. */
  userX: Float64Array;
  userY: Float64Array;
  serving: Int32Array;
  powerMw: Float64Array;
  userCpuHz: Float64Array;
  /** This slot's requests: 1 where the user has a task to place, its type (-1 untyped), size, cycles per bit, deadline. */
  active: Int32Array;
  taskType: Int32Array;
  bits: Float64Array;
  cyclesPerBit: Float64Array;
  deadlineS: Float64Array;
  /** Each site's measurements as of the last sync: total received uplink power, own-cell part, executing users. */
  siteRxMw: Float64Array;
  siteOwnMw: Float64Array;
  siteLoad: Int32Array;
  /** The configured predictor's guess of each user's cell at the next sync, and its position then (constant velocity). */
  predictedCell: Int32Array;
  predictedX: Float64Array;
  predictedY: Float64Array;
  /** Site hosting each user's service (-1: none yet); kept by the migration control unit. */
  serviceSite: Int32Array;
}

// The TypeScript twin before it moved into the kernels (src/twin/twin-layer.ts at 7b5c312).
export class TwinLayerTs {
  readonly obs: Observation;
  readonly predictors: NextCellPredictors;
  readonly dedup: RequestDedup;
  readonly history: {
    x: RingHistory<Float64Array>;
    y: RingHistory<Float64Array>;
    cell: RingHistory<Int32Array>;
    request: RingHistory<Int32Array>;
    siteLoad: RingHistory<Int32Array>;
  };
  private syncs = 0;
  private readonly dx: Float64Array;
  private readonly dy: Float64Array;
  private readonly requestNow: Int32Array;
  private readonly measured: { rx: Float64Array; own: Float64Array; load: Int32Array };

  constructor(world: World, private readonly config: TrialConfig["twin"]) {
    const m = world.users, n = world.sites.count, h = config.historyLength;
    this.predictors = new NextCellPredictors(m, world.sites, Math.sqrt((world.config.area.widthM * world.config.area.heightM) / n) / 2, config.predictor);
    this.obs = {
      slot: 0, users: m,
      sites: { count: n, xM: world.sites.xM.slice(), yM: world.sites.yM.slice(), cpuHz: world.sites.cpuHz.slice() },
      userX: new Float64Array(m), userY: new Float64Array(m), serving: new Int32Array(m),
      powerMw: world.powerMw.slice(), userCpuHz: world.cpuHz.slice(),
      active: new Int32Array(m), taskType: new Int32Array(m),
      bits: new Float64Array(m), cyclesPerBit: new Float64Array(m), deadlineS: new Float64Array(m),
      siteRxMw: new Float64Array(n), siteOwnMw: new Float64Array(n), siteLoad: new Int32Array(n),
      predictedCell: this.predictors.predicted[config.predictor as PredictorName],
      predictedX: this.predictors.predictedX,
      predictedY: this.predictors.predictedY,
      serviceSite: new Int32Array(m).fill(-1),
    };
    this.dedup = new RequestDedup(world.catalogue?.types ?? 0);
    this.history = {
      x: RingHistory.f64(m, h), y: RingHistory.f64(m, h), cell: RingHistory.i32(m, h),
      request: RingHistory.i32(m, h), siteLoad: RingHistory.i32(n, h),
    };
    this.dx = new Float64Array(m);
    this.dy = new Float64Array(m);
    this.requestNow = new Int32Array(m);
    this.measured = { rx: new Float64Array(n), own: new Float64Array(n), load: new Int32Array(n) };
  }

  /** This slot's requests always; the physical state and site measurements on sync slots. */
  sync(slot: number, world: World, L: SlotLayout, taskType: Int32Array): Observation {
    const o = this.obs, m = o.users;
    o.slot = slot;
    o.active.set(L.active.subarray(0, m));
    o.taskType.set(taskType);
    o.bits.set(L.bits.subarray(0, m));
    o.cyclesPerBit.set(L.cyclesPerBit.subarray(0, m));
    o.deadlineS.set(L.deadlineS.subarray(0, m));
    this.dedup.slot(slot, o.active, o.taskType, o.bits);
    for (let i = 0; i < m; i++) this.requestNow[i] = o.active[i] ? o.taskType[i] : -2;
    this.history.request.push(this.requestNow);
    if (slot % this.config.syncPeriodSlots === 0) this.syncPhysical(world);
    return o;
  }

  private syncPhysical(world: World): void {
    const o = this.obs, m = o.users;
    for (let i = 0; i < m; i++) {
      this.dx[i] = world.pos.xM[i] - o.userX[i];
      this.dy[i] = world.pos.yM[i] - o.userY[i];
    }
    o.userX.set(world.pos.xM);
    o.userY.set(world.pos.yM);
    o.serving.set(world.serving);
    o.siteRxMw.set(this.measured.rx);
    o.siteOwnMw.set(this.measured.own);
    o.siteLoad.set(this.measured.load);
    this.history.x.push(o.userX);
    this.history.y.push(o.userY);
    this.history.cell.push(o.serving);
    this.history.siteLoad.push(o.siteLoad);
    this.predictors.update({ users: m, x: o.userX, y: o.userY, dx: this.dx, dy: this.dy, cell: o.serving, hasPrevious: this.syncs > 0 });
    this.syncs++;
  }

  /** Keeps what the sites measured in the slot just evaluated, for the next sync. */
  record(L: SlotLayout): void {
    const n = this.obs.sites.count;
    this.measured.rx.set(L.siteRxMw.subarray(0, n));
    this.measured.own.set(L.siteOwnMw.subarray(0, n));
    this.measured.load.set(L.siteLoad.subarray(0, n));
  }
}
