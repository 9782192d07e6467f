// A fingerprint of the code that computes trials, so a result computed by other code is
// never reused. It hashes the TypeScript sources (src/), which both the CLI (running the
// build of them in dist/) and the tests (running them directly) execute; the WASM binary
// has a hash of its own.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../paths.js";

let cached: string | undefined;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

export function codeHash(): string {
  if (cached === undefined) {
    const src = join(ROOT, "src");
    const h = createHash("sha256");
    for (const f of files(src).sort()) h.update(`${relative(src, f)}\0${readFileSync(f, "utf8")}\0`);
    cached = h.digest("hex").slice(0, 16);
  }
  return cached;
}
