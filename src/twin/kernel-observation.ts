// The twin's observation copied into a machine's memory (src/kernels/machine.ts), where the
// policy, reward and metric kernels read it: the bridge while the twin's arrays still live in
// JS memory; once they live in kernel memory the twin hands out its own ObservationPtrs.
import type { Machine } from "../kernels/machine.js";
import type { Heap } from "../kernels/heap.js";
import type { ObservationPtrs } from "../kernels/observation.js";
import type { Observation } from "./twin-layer.js";

const USER_F64 = ["userX", "userY", "powerMw", "userCpuHz", "bits", "cyclesPerBit", "deadlineS"] as const;
const USER_I32 = ["serving", "active"] as const;
const SITE_F64 = ["siteX", "siteY", "siteCpuHz", "siteRxMw", "siteOwnMw"] as const;

export class KernelObservation implements ObservationPtrs {
  readonly userX: number; readonly userY: number; readonly powerMw: number; readonly userCpuHz: number;
  readonly bits: number; readonly cyclesPerBit: number; readonly deadlineS: number;
  readonly serving: number; readonly active: number;
  readonly siteX: number; readonly siteY: number; readonly siteCpuHz: number; readonly siteRxMw: number; readonly siteOwnMw: number;
  readonly siteLoad: number;
  private heap!: Heap;

  /** Allocates the arrays for `users` users and `sites` sites on `machine` (never re-allocated). */
  constructor(machine: Machine, readonly users: number, readonly sites: number) {
    const at = (bytes: number): number => machine.alloc(Math.max(bytes, 8));
    this.userX = at(8 * users); this.userY = at(8 * users); this.powerMw = at(8 * users); this.userCpuHz = at(8 * users);
    this.bits = at(8 * users); this.cyclesPerBit = at(8 * users); this.deadlineS = at(8 * users);
    this.serving = at(4 * users); this.active = at(4 * users);
    this.siteX = at(8 * sites); this.siteY = at(8 * sites); this.siteCpuHz = at(8 * sites);
    this.siteRxMw = at(8 * sites); this.siteOwnMw = at(8 * sites); this.siteLoad = at(4 * sites);
    machine.bind((h) => (this.heap = h));
  }

  /** Copies the observation's arrays in (its user and site counts must be this one's). */
  load(obs: Observation): void {
    if (obs.users !== this.users || obs.sites.count !== this.sites) throw new RangeError(`observation of ${obs.users} users and ${obs.sites.count} sites, memory for ${this.users} and ${this.sites}`);
    const h = this.heap, m = this.users, n = this.sites;
    for (const k of USER_F64) h.f64.set(obs[k].subarray(0, m), this[k] >>> 3);
    for (const k of USER_I32) h.i32.set(obs[k].subarray(0, m), this[k] >>> 2);
    const site = { siteX: obs.sites.xM, siteY: obs.sites.yM, siteCpuHz: obs.sites.cpuHz, siteRxMw: obs.siteRxMw, siteOwnMw: obs.siteOwnMw };
    for (const k of SITE_F64) h.f64.set(site[k].subarray(0, n), this[k] >>> 3);
    h.i32.set(obs.siteLoad.subarray(0, n), this.siteLoad >>> 2);
  }
}
