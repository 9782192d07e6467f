// Host side of the WebAssembly learning kernels (assembly/learning.ts) on a kernel memory
// (src/kernels/machine.ts): tables bump-allocated in its linear memory beside the slot layout
// and the engine's buffers. Calls pass byte offsets and counts, never arrays.
import type { LearnRule, LearningBackend, LearningTables } from "./learning-tables.js";
import type { Machine } from "./machine.js";
import { WASM_PATH } from "../paths.js";

type Ptr = number;
interface LearningExports {
  ilSelect(m: number, S: number, A: number, epsilon: number,
    q: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, uniforms: Ptr, action: Ptr): void;
  ilLearn(m: number, S: number, A: number, gamma: number, byVisits: number, alpha: number, alphaMin: number, final: number,
    q: Ptr, visits: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, action: Ptr, reward: Ptr,
    pTable: Ptr, pState: Ptr, pAction: Ptr, pReward: Ptr): void;
  jalSelect(m: number, S: number, A: number, B: number, R: number, epsilon: number,
    q: Ptr, belief: Ptr, roleOf: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, uniforms: Ptr, action: Ptr, prob: Ptr): void;
  jalLearn(m: number, S: number, A: number, B: number, R: number, gamma: number, byVisits: number, alpha: number, alphaMin: number, final: number,
    q: Ptr, visits: Ptr, belief: Ptr, roleOf: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, action: Ptr,
    reward: Ptr, bucket: Ptr, pTable: Ptr, pState: Ptr, pAction: Ptr, pReward: Ptr, pBucket: Ptr, prob: Ptr): void;
  mfqSelect(m: number, S: number, A: number, beta: number, greedy: number,
    q: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, uniforms: Ptr, action: Ptr, prob: Ptr): void;
  mfqLearn(m: number, S: number, A: number, beta: number, gamma: number, byVisits: number, alpha: number, alphaMin: number, final: number,
    q: Ptr, visits: Ptr, tableOf: Ptr, state: Ptr, mask: Ptr, active: Ptr, action: Ptr, reward: Ptr,
    pTable: Ptr, pState: Ptr, pAction: Ptr, pReward: Ptr, prob: Ptr): void;
}

const byVisits = (r: LearnRule): number => (r.stepSize === "visits" ? 1 : 0);

/** The six kernels over tables placed in `machine`'s memory. */
export function createWasmLearningBackend(machine: Machine): LearningBackend {
  const x = machine.exports as unknown as LearningExports | null;
  if (machine.backend !== "wasm" || !x) throw new TypeError("createWasmLearningBackend: needs a WASM machine");
  if (typeof x.mfqLearn !== "function") {
    throw new Error(`${WASM_PATH} has no learning kernels: rebuild it with 'npm run build:wasm'`);
  }
  const owned = new WeakSet<LearningTables>();
  /** Pointers into another machine's memory would address unrelated memory here. */
  const own = (t: LearningTables): void => {
    if (!owned.has(t)) throw new Error("tables were created by another LearningKernels object: create them with this one's createTables");
  };
  const p = (a: Float64Array | Int32Array): Ptr => a.byteOffset;
  return {
    backend: "wasm",
    place(t) {
      const at = machine.alloc(t.byteLength);
      machine.bind((heap) => t.bind(heap.buffer, at));
      owned.add(t);
    },
    ilSelect(t, epsilon) {
      own(t);
      x.ilSelect(t.agents, t.states, t.actions, epsilon,
        p(t.q), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.uniforms), p(t.action));
    },
    ilLearn(t, r, final) {
      own(t);
      x.ilLearn(t.agents, t.states, t.actions, r.gamma, byVisits(r), r.alpha, r.alphaMin, final ? 1 : 0,
        p(t.q), p(t.visits), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.action), p(t.reward),
        p(t.pendingTable), p(t.pendingState), p(t.pendingAction), p(t.pendingReward));
    },
    jalSelect(t, epsilon) {
      own(t);
      x.jalSelect(t.agents, t.states, t.actions, t.buckets, t.roles, epsilon,
        p(t.q), p(t.belief), p(t.roleOf), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.uniforms), p(t.action), p(t.prob));
    },
    jalLearn(t, r, final) {
      own(t);
      x.jalLearn(t.agents, t.states, t.actions, t.buckets, t.roles, r.gamma, byVisits(r), r.alpha, r.alphaMin, final ? 1 : 0,
        p(t.q), p(t.visits), p(t.belief), p(t.roleOf), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.action),
        p(t.reward), p(t.bucket), p(t.pendingTable), p(t.pendingState), p(t.pendingAction), p(t.pendingReward), p(t.pendingBucket), p(t.prob));
    },
    mfqSelect(t, beta, greedy) {
      own(t);
      x.mfqSelect(t.agents, t.states, t.actions, beta, greedy ? 1 : 0,
        p(t.q), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.uniforms), p(t.action), p(t.prob));
    },
    mfqLearn(t, r, beta, final) {
      own(t);
      x.mfqLearn(t.agents, t.states, t.actions, beta, r.gamma, byVisits(r), r.alpha, r.alphaMin, final ? 1 : 0,
        p(t.q), p(t.visits), p(t.tableOf), p(t.state), p(t.mask), p(t.active), p(t.action), p(t.reward),
        p(t.pendingTable), p(t.pendingState), p(t.pendingAction), p(t.pendingReward), p(t.prob));
    },
  };
}
