// The two backends every kernel exists on (`--backend wasm|js`).
export type Backend = "wasm" | "js";
export const BACKENDS: readonly Backend[] = ["wasm", "js"];
