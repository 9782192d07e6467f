import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root, found from this file whether it runs from src/ (tests) or dist/src/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "twinedge") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("twinedge: cannot find the package root (package.json)");
    dir = up;
  }
}

export const ROOT = findRoot();
export const WASM_PATH = join(ROOT, "build", "kernels.wasm");
