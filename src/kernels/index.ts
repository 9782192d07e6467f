import { createJsKernels } from "./js.js";
import type { Backend, Kernels } from "./types.js";
import { createWasmKernels } from "./wasm.js";

export * from "./types.js";
export { wasmSha256 } from "./wasm.js";

/** The kernels of a run's backend (`--backend wasm|js`). */
export function createKernels(backend: Backend): Kernels {
  return backend === "wasm" ? createWasmKernels() : createJsKernels();
}
