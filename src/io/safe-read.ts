// Reading files of a result folder that anyone may have tampered with: only regular files
// are read, a symlink is never followed and a FIFO never blocks (O_NOFOLLOW|O_NONBLOCK, then
// fstat), and a size cap bounds the memory a planted file can take.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

export type SafeRead = { text: string } | { missing: true } | { problem: string };

function kind(st: import("node:fs").Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isDirectory()) return "a directory";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** The UTF-8 text of a regular file of at most `maxBytes`, or why it was not read. */
export function readRegularFile(path: string, maxBytes: number): SafeRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { missing: true };
    if (code === "ELOOP") return { problem: "a symbolic link, not a regular file" };
    return { problem: `cannot be read (${code ?? (e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `${kind(st)}, not a regular file` };
    if (st.size > maxBytes) return { problem: `larger than ${maxBytes} bytes` };
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return { text: buf.subarray(0, n).toString("utf8") };
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
