// Kernel arguments from typed views: a view over a machine's memory is a buffer the kernels can
// take, by its byte offset. Host classes check this once per call, so a view of the wrong
// memory (or one made stale by memory growth) fails loudly instead of corrupting the kernels'.
import type { Machine } from "./machine.js";

/** Byte offset of `view` in the machine's memory; throws if the view is over another buffer. */
export function offsetIn(machine: Machine, view: ArrayBufferView): number {
  if (view.buffer !== machine.heap.buffer) throw new Error("kernel argument: the array is not in this machine's memory (allocate it there, and view it after the last allocation)");
  return view.byteOffset;
}
