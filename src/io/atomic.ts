// Atomic, durable file commits in a result folder. A temporary file with a random name is
// created exclusively beside the target (so a planted symlink is never followed and two
// writers never share one), written and fsynced, renamed over the target, and the folder is
// fsynced: once this returns, the new file survives a crash. On failure the temporary file
// is removed and an OutputError names the path.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writing } from "./output-error.js";

/** `<name>.<16 random hex>.tmp`, and the older `<name>.<pid>.tmp`: what a commit leaves if its writer dies. */
const TEMPORARY = /\.(?:[0-9a-f]{16}|\d+)\.tmp$/;

/**
 * Creates a folder and its parents; a file in the way, a read-only or full place is an
 * OutputError with the real code (Node's recursive mkdir reports EROFS as ENOENT).
 */
export function makeDir(dir: string): void {
  writing(dir, () => mkdirParents(dir));
}

function mkdirParents(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw e;
    mkdirParents(dirname(dir));
    mkdirSync(dir);
  }
}

/** Flushes a folder's entries (a rename in it) to disk. */
function fsyncDir(dir: string): void {
  writing(dir, () => {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** Writes a file so that readers see the old content or the new, never a torn one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  makeDir(dir);
  const tmp = join(dir, `${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  writing(path, () => {
    // "wx": O_CREAT|O_EXCL, which never follows a symlink at `tmp`.
    const fd = openSync(tmp, "wx", 0o644);
    let done = false;
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
      closeSync(fd);
      done = true;
      renameSync(tmp, path);
    } catch (e) {
      if (!done) {
        try { closeSync(fd); } catch { /* already closed */ }
      }
      rmSync(tmp, { force: true });
      throw e;
    }
  });
  fsyncDir(dir);
}

/**
 * Removes the temporary files dead writers left in `dir` and in its `subdirs` (only call it
 * while holding the folder's lock: a live writer's temporary file looks the same). Symlinked
 * folders are not entered. Returns the paths removed.
 */
export function removeTemporaries(dir: string, subdirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const sub of ["", ...subdirs]) {
    const at = join(dir, sub);
    let names: string[];
    try {
      if (!lstatSync(at).isDirectory()) continue;
      names = readdirSync(at);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!TEMPORARY.test(name)) continue;
      const path = join(at, name);
      if (lstatSync(path).isDirectory()) continue;
      writing(path, () => rmSync(path, { force: true }));
      removed.push(path);
    }
  }
  return removed;
}
