// The browser's src/kernels/module.ts (web/vite.config.ts maps the import here): the same
// kernel binary the CLI loads from build/kernels.wasm, but fetched by the worker and handed
// in with provideKernelBytes before any simulation is built; compiled once, hashed with the
// same SHA-256 for the records' wasmSha256.
import type * as NodeModule from "../../src/kernels/module.js";
import { createHash } from "./node-crypto.js";

let compiled: { module: WebAssembly.Module; sha256: string } | undefined;

/** Called by web/worker.ts once, with the bytes of the bundled kernels.wasm. */
export function provideKernelBytes(bytes: Uint8Array): void {
  compiled = { module: new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), sha256: createHash("sha256").update(bytes).digest("hex") };
}

function loaded(): { module: WebAssembly.Module; sha256: string } {
  if (!compiled) throw new Error("twinedge view: the WASM kernels are not loaded yet");
  return compiled;
}

/** The kernel module (src/kernels/machine.ts instantiates it per kernel memory). */
export const kernelModule: typeof NodeModule.kernelModule = () => loaded().module;

/** SHA-256 of the kernel binary, for the record (src/run/trial.ts). */
export const wasmSha256: typeof NodeModule.wasmSha256 = () => loaded().sha256;
