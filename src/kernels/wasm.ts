// Host side of the WebAssembly slot kernels (assembly/channel.ts, assembly/latency.ts) on a
// kernel memory (src/kernels/machine.ts): layouts bump-allocated in its linear memory, calls
// pass byte offsets, never arrays, so nothing is copied across the boundary.
import { GAIN_AT_1M } from "../model/channel.js";
import { layoutOn } from "./layout-on.js";
import type { Machine } from "./machine.js";
import { checkSlot, checkUsers, type ChannelParams, type Kernels, type LatencyParams } from "./types.js";

type Ptr = number;
interface KernelExports {
  channel(m: number, n: number, userX: Ptr, userY: Ptr, powerMw: Ptr, active: Ptr, theta: Ptr, server: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr, siteRxErrMw: Ptr, siteOwnErrMw: Ptr, signalMw: Ptr, sinr: Ptr, rateBps: Ptr,
    gainAt1m: number, dMin2: number, noiseMw: number, bandwidthHz: number, orthogonal: number): void;
  latency(m: number, n: number, active: Ptr, bits: Ptr, cyclesPerBit: Ptr, deadlineS: Ptr, userCpuHz: Ptr,
    theta: Ptr, beta: Ptr, server: Ptr, migrateTo: Ptr, rateBps: Ptr, siteCpuHz: Ptr, siteLoad: Ptr,
    tLocalS: Ptr, tTransS: Ptr, tExeS: Ptr, tMigS: Ptr, tExeTargetS: Ptr, tProcS: Ptr,
    feasible: Ptr, deadlineMet: Ptr, minRateBps: number, backhaulRateBps: number): number;
  refuseInfeasible(m: number, active: Ptr, theta: Ptr, migrateTo: Ptr, beta: Ptr, rateBps: Ptr, refused: Ptr, minRateBps: number): number;
}

export function createWasmKernels(machine: Machine): Kernels {
  if (machine.backend !== "wasm" || !machine.exports) throw new TypeError("createWasmKernels: needs a WASM machine");
  const x = machine.exports as unknown as KernelExports;
  const p = (a: Float64Array | Int32Array): Ptr => a.byteOffset;
  return {
    backend: "wasm",
    machine,
    createLayout: (maxUsers, maxSites) => layoutOn(machine, maxUsers, maxSites),
    channel(L, m, n, c: ChannelParams) {
      checkSlot(machine, L, m, n);
      x.channel(m, n, p(L.userX), p(L.userY), p(L.powerMw), p(L.active), p(L.theta), p(L.server),
        p(L.siteX), p(L.siteY), p(L.siteRxMw), p(L.siteOwnMw), p(L.siteRxErrMw), p(L.siteOwnErrMw), p(L.signalMw), p(L.sinr), p(L.rateBps),
        GAIN_AT_1M, c.dMinM * c.dMinM, c.noiseMw, c.bandwidthHz, c.interference === "orthogonal" ? 1 : 0);
    },
    refuseInfeasible(L, m, minRateBps) {
      checkUsers(L, m);
      return x.refuseInfeasible(m, p(L.active), p(L.theta), p(L.migrateTo), p(L.beta), p(L.rateBps), p(L.refused), minRateBps);
    },
    latency(L, m, n, c: LatencyParams) {
      checkSlot(machine, L, m, n);
      return x.latency(m, n, p(L.active), p(L.bits), p(L.cyclesPerBit), p(L.deadlineS), p(L.userCpuHz),
        p(L.theta), p(L.beta), p(L.server), p(L.migrateTo), p(L.rateBps), p(L.siteCpuHz), p(L.siteLoad),
        p(L.tLocalS), p(L.tTransS), p(L.tExeS), p(L.tMigS), p(L.tExeTargetS), p(L.tProcS),
        p(L.feasible), p(L.deadlineMet), c.minRateBps, c.backhaulRateBps ?? 0);
    },
  };
}
