// Host side of the WebAssembly kernels: one module compiled per process, one instance per
// Kernels object, layouts bump-allocated in its linear memory. Calls pass byte offsets,
// never arrays, so nothing is copied across the boundary.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { SlotLayout } from "../layout.js";
import { GAIN_AT_1M } from "../model/channel.js";
import { WASM_PATH } from "../paths.js";
import { checkSlot, type ChannelParams, type Kernels, type LatencyParams } from "./types.js";

type Ptr = number;
interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): Ptr;
  channel(m: number, n: number, userX: Ptr, userY: Ptr, powerMw: Ptr, active: Ptr, theta: Ptr, server: Ptr,
    siteX: Ptr, siteY: Ptr, siteRxMw: Ptr, siteOwnMw: Ptr, siteRxErrMw: Ptr, siteOwnErrMw: Ptr, signalMw: Ptr, sinr: Ptr, rateBps: Ptr,
    gainAt1m: number, dMin2: number, noiseMw: number, bandwidthHz: number, orthogonal: number): void;
  latency(m: number, n: number, active: Ptr, bits: Ptr, cyclesPerBit: Ptr, deadlineS: Ptr, userCpuHz: Ptr,
    theta: Ptr, beta: Ptr, server: Ptr, migrateTo: Ptr, rateBps: Ptr, siteCpuHz: Ptr, siteLoad: Ptr,
    tLocalS: Ptr, tTransS: Ptr, tExeS: Ptr, tMigS: Ptr, tExeTargetS: Ptr, tProcS: Ptr,
    feasible: Ptr, deadlineMet: Ptr, minRateBps: number, backhaulRateBps: number): number;
}

const PAGE = 65536;
let compiled: { module: WebAssembly.Module; sha256: string } | undefined;

function loadModule(): { module: WebAssembly.Module; sha256: string } {
  if (!compiled) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(WASM_PATH);
    } catch {
      throw new Error(`WASM kernels not built: ${WASM_PATH} is missing (run 'npm run build', or use --backend js)`);
    }
    compiled = { module: new WebAssembly.Module(new Uint8Array(bytes)), sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  return compiled;
}

/** The kernel module, compiled once per process (the learning kernels instantiate it too). */
export function kernelModule(): WebAssembly.Module {
  return loadModule().module;
}

/** SHA-256 of the kernel binary, for provenance. */
export function wasmSha256(): string {
  return loadModule().sha256;
}

export function createWasmKernels(): Kernels {
  const instance = new WebAssembly.Instance(loadModule().module, {
    env: { abort: () => { throw new Error("WASM kernel aborted"); } },
  });
  const x = instance.exports as unknown as KernelExports;
  const layouts: SlotLayout[] = [];
  let top = (x.heapBase() + 15) & ~15;

  const p = (a: Float64Array | Int32Array): Ptr => a.byteOffset;
  return {
    backend: "wasm",
    createLayout(maxUsers, maxSites) {
      const L = new SlotLayout(maxUsers, maxSites, top);
      const end = top + L.byteLength;
      const have = x.memory.buffer.byteLength;
      if (end > have) {
        x.memory.grow(Math.ceil((end - have) / PAGE));
        // Growth detaches the old buffer: every earlier layout needs fresh views.
        for (const old of layouts) old.bind(x.memory.buffer);
      }
      top = (end + 15) & ~15;
      layouts.push(L);
      return L.bind(x.memory.buffer);
    },
    channel(L, m, n, c: ChannelParams) {
      checkSlot(L, m, n);
      x.channel(m, n, p(L.userX), p(L.userY), p(L.powerMw), p(L.active), p(L.theta), p(L.server),
        p(L.siteX), p(L.siteY), p(L.siteRxMw), p(L.siteOwnMw), p(L.siteRxErrMw), p(L.siteOwnErrMw), p(L.signalMw), p(L.sinr), p(L.rateBps),
        GAIN_AT_1M, c.dMinM * c.dMinM, c.noiseMw, c.bandwidthHz, c.interference === "orthogonal" ? 1 : 0);
    },
    latency(L, m, n, c: LatencyParams) {
      checkSlot(L, m, n);
      return x.latency(m, n, p(L.active), p(L.bits), p(L.cyclesPerBit), p(L.deadlineS), p(L.userCpuHz),
        p(L.theta), p(L.beta), p(L.server), p(L.migrateTo), p(L.rateBps), p(L.siteCpuHz), p(L.siteLoad),
        p(L.tLocalS), p(L.tTransS), p(L.tExeS), p(L.tMigS), p(L.tExeTargetS), p(L.tProcS),
        p(L.feasible), p(L.deadlineMet), c.minRateBps, c.backhaulRateBps ?? 0);
    },
  };
}
