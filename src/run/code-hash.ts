// A fingerprint of the code that computes trials, so a result computed by other code is
// never reused and a record names the code that really made it. It hashes the modules that
// run: the built JavaScript (dist/src/**/*.js) when the CLI runs, the TypeScript sources
// (src/**/*.ts) when the tests run them directly. The WASM binary has a hash of its own
// (wasmSha256). A build older than its sources is refused before it runs (build-info.ts).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** Files under `dir` whose names end with `ext`, sorted by their path relative to `dir`. */
function filesUnder(dir: string, ext: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = join(d, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() && e.name.endsWith(ext) ? [p] : [];
  });
  return walk(dir).sort((a, b) => (relative(dir, a) < relative(dir, b) ? -1 : 1));
}

/** SHA-256 (hex, 16 digits) over the relative paths and contents of the files of `roots`. */
export function treeHash(roots: readonly { dir: string; ext: string }[]): string {
  const h = createHash("sha256");
  for (const { dir, ext } of roots) {
    for (const f of filesUnder(dir, ext)) h.update(`${relative(dir, f)}\0`).update(readFileSync(f)).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

/** The folder of the running module tree (src/ or dist/src/) and the extension of its modules. */
export function runningCode(moduleUrl = import.meta.url): { dir: string; ext: string } {
  const file = fileURLToPath(moduleUrl);
  return { dir: join(dirname(file), ".."), ext: file.endsWith(".ts") ? ".ts" : ".js" };
}

export function codeHash(): string {
  return (cached ??= treeHash([runningCode()]));
}
