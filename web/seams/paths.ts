// The browser's src/paths.ts (web/vite.config.ts maps the import here): no package folder to
// find. Nothing in the bundle reads a file by these paths (the kernels come through
// web/seams/kernel-module.ts).
import type * as NodePaths from "../../src/paths.js";

/** The browser's root "folder". */
export const ROOT: typeof NodePaths.ROOT = "/";
/** Where the CLI reads the kernels from; in the browser only a name. */
export const WASM_PATH: typeof NodePaths.WASM_PATH = "/build/kernels.wasm";
