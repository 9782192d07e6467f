// Which code runs. `npm run build` compiles src/ and assembly/ into dist/ and build/, then
// writes dist/build-info.json with the hash of the sources it compiled. Records name the
// built JavaScript by its hash (code-hash.ts); before anything computes, the sources beside
// the build are compared with that record, so an edited source file is never run as a stale
// build whose records would carry a hash the reader takes for the new code.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

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
