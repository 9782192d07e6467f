// A fingerprint of the code that computes trials, so a result computed by other code is never
// reused and a record names the code that made it: the hash of the built JavaScript
// (dist/src/**/*.js), which the CLI and its worker threads run. The WASM binary has a hash of
// its own (wasmSha256). Tests run the TypeScript sources in-process; they get the same hash,
// and may, because the build is checked to be of exactly those sources (else this throws).
import { join } from "node:path";
import { ROOT } from "../paths.js";
import { staleBuild, treeHash } from "./build-info.js";

let cached: string | undefined;

/** The hash of the built modules under `root`. */
export function builtCodeHash(root: string): string {
  return treeHash([{ dir: join(root, "dist", "src"), ext: ".js" }]);
}

export function codeHash(): string {
  if (cached === undefined) {
    const stale = staleBuild(ROOT);
    if (stale !== null) throw new Error(stale);
    cached = builtCodeHash(ROOT);
  }
  return cached;
}
