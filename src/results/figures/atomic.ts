import { writeFileAtomic } from "../../io/atomic.js";

/** writeFileAtomic (../atomic.ts) for bytes: readers see the old file or the new one, never a torn one. */
export function writeBytesAtomic(path: string, data: Uint8Array): void {
  writeFileAtomic(path, data);
}
