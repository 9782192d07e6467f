// Reading an input file (scenario, snapshot, trace) without trusting what the path names:
// a device (/dev/zero), a FIFO or a huge file would block or exhaust memory, so only a
// regular file under a size cap is read. Callers turn the refusal into an InputError that
// names their field.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** Why a file was not read: one line, without the path (the caller says which field). */
export class FileRefused extends Error {
  /** `code`: the system's error code when the open failed (ENOENT: there is no file). */
  constructor(readonly reason: string, readonly code?: string) {
    super(reason);
    this.name = "FileRefused";
  }
}

export const MIB = 1024 * 1024;

/**
 * The bytes of a regular file of at most `maxBytes`. Opened non-blocking (a FIFO's open
 * would otherwise wait for a writer), then checked with fstat on the open descriptor, so
 * the file checked is the file read; a file that grows while read is refused. With
 * `followLinks: false` (files of a result folder, which anyone may have tampered with) a
 * symbolic link is refused too, never followed.
 */
export function readRegularFile(path: string, maxBytes: number, o: { followLinks?: boolean } = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (o.followLinks === false ? constants.O_NOFOLLOW : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP" && o.followLinks === false) throw new FileRefused("a symbolic link, not a regular file", code);
    throw new FileRefused(`cannot read the file (${code ?? (e as Error).message})`, code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefused(`not a regular file (${kind(st)})`);
    if (st.size > maxBytes) throw new FileRefused(`${st.size} bytes, above the cap of ${maxBytes} (${mib(maxBytes)}) on this input file`);
    // One byte more than the size, to notice a file that grew since fstat.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) throw new FileRefused("changed size while being read");
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A file's text (UTF-8), without a leading byte-order mark. */
export function readRegularText(path: string, maxBytes: number): string {
  const text = readRegularFile(path, maxBytes).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function kind(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a file";
}

const mib = (bytes: number): string => `${Number((bytes / MIB).toFixed(3))} MiB`;
