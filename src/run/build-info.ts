// What dist/ was built from: `npm run build` writes dist/build-info.json with the hash of the
// sources (src/ and assembly/) it compiled. Before the CLI computes anything it compares that
// hash with the sources beside it, so an edited source file is never run as a stale build
// (whose records would carry the old code's hash while the reader believes the new code ran).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { treeHash } from "./code-hash.js";

const INFO = join("dist", "build-info.json");

/** The hash of the sources a build compiles: src/**\/*.ts and assembly/**\/*.ts. */
export function sourceHash(root: string): string {
  return treeHash([{ dir: join(root, "src"), ext: ".ts" }, { dir: join(root, "assembly"), ext: ".ts" }]);
}

/** Called by `npm run build` after compiling. */
export function writeBuildInfo(root: string): void {
  writeFileSync(join(root, INFO), `${JSON.stringify({ sourceHash: sourceHash(root), builtAt: new Date().toISOString() }, null, 2)}\n`);
}

/**
 * Why the build in `root`/dist cannot be trusted to be the sources beside it, or null when it
 * can (or when there are no sources to compare, as in an installed package).
 */
export function staleBuild(root: string): string | null {
  if (!existsSync(join(root, "src")) || !existsSync(join(root, "assembly"))) return null;
  const path = join(root, INFO);
  let built: unknown;
  try {
    built = JSON.parse(readFileSync(path, "utf8")).sourceHash;
  } catch {
    return `${path} is missing or unreadable: the build in dist/ is of unknown sources; run \`npm run build\``;
  }
  const now = sourceHash(root);
  return built === now ? null : `the build in dist/ is older than the sources in src/ or assembly/ (built from ${String(built)}, sources now ${now}); run \`npm run build\``;
}
