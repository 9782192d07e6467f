import { createJsKernels } from "./js.js";
import { createMachine, type Machine } from "./machine.js";
import type { Backend, Kernels } from "./types.js";
import { createWasmKernels } from "./wasm.js";

export * from "./types.js";
export { wasmSha256 } from "./module.js";

/** The slot kernels of a backend (`--backend wasm|js`) on a kernel memory: a fresh one, or `machine`'s. */
export function createKernels(on: Backend | Machine): Kernels {
  const machine = typeof on === "string" ? createMachine(on) : on;
  return machine.backend === "wasm" ? createWasmKernels(machine) : createJsKernels(machine);
}
