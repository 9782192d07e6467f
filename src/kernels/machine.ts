// One kernel memory and the engine kernels over it: for WASM an instance of the kernel module
// and its linear memory, for JS an ArrayBuffer and the pure-TS twins. Both hand out byte
// offsets from one bump allocator, so the host code that lays out buffers and calls the
// kernels is the same for both backends; only `fns` differs.
import { ENGINE_TWINS } from "./engine-js.js";
import type { EngineFns } from "./engine-fns.js";
import { Heap } from "./heap.js";
import type { Backend } from "./backend.js";
import { kernelModule } from "./module.js";

const PAGE = 65536;
/** wasm32 linear memory tops out at 65536 pages (4 GiB); the JS backend keeps the same cap. */
export const MAX_MACHINE_BYTES = 65536 * PAGE;

export interface Machine {
  readonly backend: Backend;
  /** Views over the whole memory; replaced when `alloc` grows it (read it after allocating). */
  readonly heap: Heap;
  /** Bump-allocates `bytes` aligned to 16, growing the memory; returns the byte offset. */
  alloc(bytes: number): number;
  /** Offset of the next allocation: `reset(mark)` frees everything allocated after it. */
  mark(): number;
  reset(mark: number): void;
  /** The kernels: WASM exports, or the twins bound to this machine's heap. */
  readonly fns: EngineFns;
  /** The instance's raw exports (WASM), for the slot and learning kernels' hosts; null for JS. */
  readonly exports: WebAssembly.Exports | null;
  /**
   * Calls `rebind(heap)` now and after every growth of the memory (growth detaches the old
   * buffer): owners of typed views over the memory re-create them here.
   */
  bind(rebind: (heap: Heap) => void): void;
}

/** Rounds up to a multiple of 16 (arithmetic, not `& ~15`: byte counts and offsets pass 2^31). */
const align16 = (n: number): number => Math.ceil(n / 16) * 16;

function checkSize(end: number): void {
  if (end > MAX_MACHINE_BYTES) throw new RangeError(`kernel memory: ${end} bytes exceed the 4 GiB of wasm32 memory`);
}

abstract class BaseMachine {
  abstract readonly heap: Heap;
  protected readonly binders: ((heap: Heap) => void)[] = [];

  bind(rebind: (heap: Heap) => void): void {
    this.binders.push(rebind);
    rebind(this.heap);
  }

  protected grown(): void {
    for (const b of this.binders) b(this.heap);
  }
}

class WasmMachine extends BaseMachine implements Machine {
  readonly backend = "wasm";
  heap: Heap;
  readonly fns: EngineFns;
  readonly exports: WebAssembly.Exports;
  private top: number;
  private readonly memory: WebAssembly.Memory;

  constructor() {
    super();
    const instance = new WebAssembly.Instance(kernelModule(), { env: { abort: () => { throw new Error("WASM kernel aborted"); } } });
    const x = instance.exports as unknown as EngineFns & { memory: WebAssembly.Memory; heapBase(): number };
    this.memory = x.memory;
    this.fns = x;
    this.exports = instance.exports;
    this.top = align16(x.heapBase());
    this.heap = new Heap(this.memory.buffer);
  }

  alloc(bytes: number): number {
    const at = this.top, end = align16(at + bytes);
    checkSize(end);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / PAGE));
      this.heap = new Heap(this.memory.buffer);
      this.grown();
    }
    this.top = end;
    return at;
  }

  mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }
}

class JsMachine extends BaseMachine implements Machine {
  readonly backend = "js";
  heap: Heap;
  readonly fns: EngineFns;
  readonly exports = null;
  /** Offset 0 stays unused, as address 0 in WASM: a null pointer is never a valid buffer. */
  private top = 16;

  constructor() {
    super();
    this.heap = new Heap(new ArrayBuffer(PAGE));
    const fns: Record<string, unknown> = {};
    for (const [name, twin] of Object.entries(ENGINE_TWINS) as [string, (h: Heap, ...a: number[]) => unknown][]) {
      fns[name] = (...a: number[]) => twin(this.heap, ...a);
    }
    this.fns = fns as unknown as EngineFns;
  }

  alloc(bytes: number): number {
    const at = this.top, end = align16(at + bytes);
    checkSize(end);
    const have = this.heap.buffer.byteLength;
    if (end > have) {
      const grown = new ArrayBuffer(Math.min(MAX_MACHINE_BYTES, Math.max(end, 2 * have)));
      new Uint8Array(grown).set(this.heap.u8);
      this.heap = new Heap(grown);
      this.grown();
    }
    this.top = end;
    return at;
  }

  mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }
}

/** A fresh kernel memory for the backend, its kernels bound to it. */
export function createMachine(backend: Backend): Machine {
  return backend === "wasm" ? new WasmMachine() : new JsMachine();
}
