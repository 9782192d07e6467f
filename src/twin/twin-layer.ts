// The digital twin layer: the one place policies and the migration control unit read
// observations from. Requests reach it every slot; the physical state (positions, cells)
// and the sites' measurements (received power, loads) only at syncs, every
// `syncPeriodSlots` slots, so between syncs the twin is stale. At each sync it appends to
// its ring-buffer histories and scores, learns and renews its next-cell predictions. Its
// state lives in kernel memory (src/twin/twin-state.ts): a slot's sync is one or two kernel
// calls, and the observation's arrays are views over that memory (or over the slot layout's
// request arrays), so the policy kernels read them in place.
import type { SlotLayout } from "../layout.js";
import type { Machine } from "../kernels/machine.js";
import type { ObservationPtrs } from "../kernels/observation.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { Sites } from "../world/topology.js";
import type { World } from "../world/world.js";
import type { PositionScore, PredictionScore, PredictorName } from "./predictors.js";
import { TwinState } from "./twin-state.js";

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
  /** Where the arrays above lie in kernel memory, for the policy kernels. */
  ptrs: ObservationPtrs;
  /** The kernel memory `ptrs` point into: a policy's kernels must run on this one. */
  machine: Machine;
}

/** The twin's counters (hits, totals, errors, requests), for the metrics. */
export interface TwinCounters {
  score(name: PredictorName): PredictionScore;
  readonly positionScore: PositionScore;
  readonly dedup: { requests: number; fetches: number; bitsRequested: number; bitsFetched: number };
}

export class TwinLayer {
  readonly obs: Observation;
  readonly state: TwinState;

  /** The twin of `world`'s users over the slot layout `L` (whose request and site arrays it serves). */
  constructor(private readonly world: World, config: TrialConfig["twin"], private readonly L: SlotLayout) {
    const m = world.users, n = world.sites.count, area = world.config.area;
    this.state = new TwinState(world.machine, {
      users: m, siteXM: world.sites.xM, siteYM: world.sites.yM, area, cellScaleM: Math.sqrt((area.widthM * area.heightM) / n) / 2,
      predictor: config.predictor, historyLength: config.historyLength, syncPeriodSlots: config.syncPeriodSlots, types: world.config.tasks.catalogue?.types ?? 0,
    });
    this.obs = { slot: 0, users: m, serviceSite: new Int32Array(m).fill(-1), machine: world.machine } as Observation;
    world.machine.bind(() => this.rebind());
  }

  /** The observation's views, re-created after the kernel memory grows. */
  private rebind(): void {
    const o = this.obs, s = this.state, L = this.L, m = o.users, n = this.world.sites.count;
    o.sites = { count: n, xM: L.siteX.subarray(0, n), yM: L.siteY.subarray(0, n), cpuHz: L.siteCpuHz.subarray(0, n) };
    o.userX = s.userX;
    o.userY = s.userY;
    o.serving = s.serving;
    o.powerMw = L.powerMw.subarray(0, m);
    o.userCpuHz = L.userCpuHz.subarray(0, m);
    o.active = L.active.subarray(0, m);
    o.taskType = L.taskType.subarray(0, m);
    o.bits = L.bits.subarray(0, m);
    o.cyclesPerBit = L.cyclesPerBit.subarray(0, m);
    o.deadlineS = L.deadlineS.subarray(0, m);
    o.siteRxMw = s.siteRxMw;
    o.siteOwnMw = s.siteOwnMw;
    o.siteLoad = s.siteLoad;
    o.predictedCell = s.predictedCell;
    o.predictedX = s.predictedX;
    o.predictedY = s.predictedY;
    const at = (a: Float64Array | Int32Array): number => a.byteOffset;
    o.ptrs = {
      users: m, sites: n, userX: at(o.userX), userY: at(o.userY), serving: at(o.serving), powerMw: at(o.powerMw), userCpuHz: at(o.userCpuHz),
      active: at(o.active), bits: at(o.bits), cyclesPerBit: at(o.cyclesPerBit), deadlineS: at(o.deadlineS),
      siteX: at(o.sites.xM), siteY: at(o.sites.yM), siteCpuHz: at(o.sites.cpuHz), siteRxMw: at(o.siteRxMw), siteOwnMw: at(o.siteOwnMw), siteLoad: at(o.siteLoad),
    };
  }

  /** The twin's counters: predictor scores, position error, requests fetched. */
  get counters(): TwinCounters {
    return this.state;
  }

  /** A new episode: nothing synced yet, predictors unlearned, no service placed; sites where the world put them. */
  reset(): void {
    this.state.reset(this.world.sites);
    this.obs.serviceSite.fill(-1);
    this.obs.slot = 0;
  }

  /** This slot's requests always; the physical state and site measurements on sync slots (one or two kernel calls). */
  sync(slot: number): Observation {
    const L = this.L, w = this.world;
    this.obs.slot = slot;
    this.state.sync(slot, { active: L.active, taskType: L.taskType, bits: L.bits, xM: w.motion.xM, yM: w.motion.yM, serving: w.motion.serving });
    return this.obs;
  }

  /** Keeps what the sites measured in the slot just evaluated, for the next sync. */
  record(): void {
    this.state.record(this.L.siteRxMw, this.L.siteOwnMw, this.L.siteLoad);
  }
}
