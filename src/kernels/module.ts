// The compiled kernel module (build/kernels.wasm): compiled once per process, instantiated by
// every kernel memory (src/kernels/machine.ts), and its hash for provenance.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { WASM_PATH } from "../paths.js";

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

/** The kernel module, compiled once per process. */
export function kernelModule(): WebAssembly.Module {
  return loadModule().module;
}

/** SHA-256 of the kernel binary, for provenance. */
export function wasmSha256(): string {
  return loadModule().sha256;
}
