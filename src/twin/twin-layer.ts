// The digital twin layer: the one place policies read observations from. Each slot it
// mirrors the physical state (positions, cells, pending requests) and keeps what the sites
// measured last slot (received power, loads). Prediction, history and dedup grow here later.
import type { SlotLayout } from "../layout.js";
import type { Sites } from "../world/topology.js";
import type { World } from "../world/world.js";

/** What an agent may know when it decides (read-only by convention; owned by the twin). */
export interface Observation {
  slot: number;
  users: number;
  sites: Sites;
  userX: Float64Array;
  userY: Float64Array;
  powerMw: Float64Array;
  userCpuHz: Float64Array;
  /** Serving site (cell) of each user. */
  serving: Int32Array;
  /** 1 where the user has a task to place this slot, with its size, cycles per bit and deadline. */
  active: Int32Array;
  bits: Float64Array;
  cyclesPerBit: Float64Array;
  deadlineS: Float64Array;
  /** Last slot's measurements at each site: total received uplink power, own-cell part, executing users. */
  siteRxMw: Float64Array;
  siteOwnMw: Float64Array;
  siteLoad: Int32Array;
}

export class TwinLayer {
  readonly obs: Observation;

  constructor(world: World) {
    const m = world.users, n = world.sites.count;
    this.obs = {
      slot: 0, users: m,
      sites: { count: n, xM: world.sites.xM.slice(), yM: world.sites.yM.slice(), cpuHz: world.sites.cpuHz.slice() },
      userX: new Float64Array(m), userY: new Float64Array(m),
      powerMw: world.powerMw.slice(), userCpuHz: world.cpuHz.slice(),
      serving: new Int32Array(m), active: new Int32Array(m),
      bits: new Float64Array(m), cyclesPerBit: new Float64Array(m), deadlineS: new Float64Array(m),
      siteRxMw: new Float64Array(n), siteOwnMw: new Float64Array(n), siteLoad: new Int32Array(n),
    };
  }

  /** Syncs the user twins from the physical world and this slot's requests. */
  sync(slot: number, world: World, L: SlotLayout): Observation {
    const o = this.obs;
    o.slot = slot;
    o.userX.set(world.pos.xM);
    o.userY.set(world.pos.yM);
    o.serving.set(world.serving);
    o.active.set(L.active.subarray(0, o.users));
    o.bits.set(L.bits.subarray(0, o.users));
    o.cyclesPerBit.set(L.cyclesPerBit.subarray(0, o.users));
    o.deadlineS.set(L.deadlineS.subarray(0, o.users));
    return o;
  }

  /** Records what the sites measured in the slot just evaluated. */
  record(L: SlotLayout): void {
    const n = this.obs.sites.count;
    this.obs.siteRxMw.set(L.siteRxMw.subarray(0, n));
    this.obs.siteOwnMw.set(L.siteOwnMw.subarray(0, n));
    this.obs.siteLoad.set(L.siteLoad.subarray(0, n));
  }
}
