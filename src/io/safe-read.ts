// Reading files of a result folder that anyone may have tampered with: only regular files
// are read (src/input-file.ts), a symlink is never followed, a FIFO never blocks, and a size
// cap bounds the memory a planted file can take. Reports instead of throwing, since a bad
// file there means "recompute, and say so".
import { FileRefused, readRegularFile as readInput } from "../input-file.js";

export type SafeRead = { text: string } | { missing: true } | { problem: string };

/** The UTF-8 text of a regular file of at most `maxBytes`, or why it was not read. */
export function readRegularFile(path: string, maxBytes: number): SafeRead {
  try {
    return { text: readInput(path, maxBytes, { followLinks: false }).toString("utf8") };
  } catch (e) {
    if (!(e instanceof FileRefused)) return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    return e.code === "ENOENT" ? { missing: true } : { problem: e.reason };
  }
}
