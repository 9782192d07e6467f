// Slot layouts in a kernel memory, for both backends' slot kernels.
import { SlotLayout } from "../layout.js";
import type { Machine } from "./machine.js";

/** A layout of `maxUsers` x `maxSites` allocated in the machine's memory, its views kept fresh. */
export function layoutOn(machine: Machine, maxUsers: number, maxSites: number): SlotLayout {
  const at = machine.alloc(SlotLayout.byteLength(maxUsers, maxSites));
  const L = new SlotLayout(maxUsers, maxSites, at);
  machine.bind((heap) => L.bind(heap.buffer));
  return L;
}
