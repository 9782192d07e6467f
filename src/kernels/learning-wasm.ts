// Host side of the WebAssembly learning kernels (assembly/learning.ts). Its own instance
// of build/kernels.wasm per LearningKernels object, tables bump-allocated in that
// instance's linear memory after heapBase(), as src/kernels/wasm.ts does for slot layouts.
// Calls pass byte offsets and counts, never arrays, so nothing is copied across the boundary.
import type { LearningBackend, LearningTables } from "./learning-tables.js";
import { WASM_PATH } from "../paths.js";
import { kernelModule } from "./wasm.js";

type Ptr = number;
interface LearningExports {
  memory: WebAssembly.Memory;
  heapBase(): Ptr;
  ilSelect(m: number, S: number, A: number, epsilon: number,
    q: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, uniforms: Ptr, action: Ptr): void;
  ilUpdate(m: number, S: number, A: number, alpha: number, gamma: number,
    q: Ptr, tableOf: Ptr, state: Ptr, active: Ptr, action: Ptr, reward: Ptr, nextState: Ptr, nextMask: Ptr): void;
  jalSelect(m: number, S: number, A: number, B: number, epsilon: number,
    q: Ptr, belief: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, uniforms: Ptr, action: Ptr, prob: Ptr): void;
  jalUpdate(m: number, S: number, A: number, B: number, alpha: number, gamma: number,
    q: Ptr, belief: Ptr, tableOf: Ptr, state: Ptr, active: Ptr, action: Ptr,
    reward: Ptr, nextState: Ptr, nextMask: Ptr, bucket: Ptr, prob: Ptr): void;
}

const PAGE = 65536;
/** wasm32 linear memory tops out at 65536 pages (4 GiB). */
const MAX_BYTES = 65536 * PAGE;
/** One instance and its bump allocator; the four kernels over tables placed in its memory. */
export function createWasmLearningBackend(): LearningBackend {
  const instance = new WebAssembly.Instance(kernelModule(), {
    env: { abort: () => { throw new Error("WASM kernel aborted"); } },
  });
  const x = instance.exports as unknown as LearningExports;
  if (typeof x.jalUpdate !== "function") {
    throw new Error(`${WASM_PATH} has no learning kernels: rebuild it with 'npm run build:wasm'`);
  }
  const placed: LearningTables[] = [];
  const owned = new WeakSet<LearningTables>();
  let top = (x.heapBase() + 15) & ~15;

  /** Pointers into another backend's (or instance's) buffer would address unrelated memory here. */
  const own = (t: LearningTables): void => {
    if (!owned.has(t)) throw new Error("tables were created by another LearningKernels object: create them with this one's createTables");
  };
  const p = (a: Float64Array | Int32Array): Ptr => a.byteOffset;
  return {
    backend: "wasm",
    place(t) {
      const end = top + t.byteLength;
      if (end > MAX_BYTES) throw new RangeError(`learning tables: ${end} bytes exceed the 4 GiB of wasm32 memory`);
      const have = x.memory.buffer.byteLength;
      if (end > have) {
        x.memory.grow(Math.ceil((end - have) / PAGE));
        // Growth detaches the old buffer: every earlier set of tables needs fresh views.
        for (const old of placed) old.bind(x.memory.buffer);
      }
      t.bind(x.memory.buffer, top);
      top = (end + 15) & ~15;
      placed.push(t);
      owned.add(t);
    },
    ilSelect(t, epsilon) {
      own(t);
      x.ilSelect(t.agents, t.states, t.actions, epsilon,
        p(t.q), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.uniforms), p(t.action));
    },
    ilUpdate(t, alpha, gamma) {
      own(t);
      x.ilUpdate(t.agents, t.states, t.actions, alpha, gamma,
        p(t.q), p(t.tableOf), p(t.state), p(t.active), p(t.action), p(t.reward), p(t.nextState), p(t.nextMask));
    },
    jalSelect(t, epsilon) {
      own(t);
      x.jalSelect(t.agents, t.states, t.actions, t.buckets, epsilon,
        p(t.q), p(t.belief), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.uniforms), p(t.action), p(t.prob));
    },
    jalUpdate(t, alpha, gamma) {
      own(t);
      x.jalUpdate(t.agents, t.states, t.actions, t.buckets, alpha, gamma,
        p(t.q), p(t.belief), p(t.tableOf), p(t.state), p(t.active), p(t.action),
        p(t.reward), p(t.nextState), p(t.nextMask), p(t.bucket), p(t.prob));
    },
  };
}
