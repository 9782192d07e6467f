// Tabular multi-agent Q-learning kernels (assembly/learning.ts and its pure-TS twin
// learning-js.ts): the interface, the table layout both backends share, the checks the
// WASM kernels rely on, and the factory. Independent learners (IL) learn Q(s, a); joint-
// action learners (JAL, Claus & Boutilier 1998) learn Q(s, a, b) over their own action and
// a bucket b of the others' joint action, compressed as mean-field Q-learning (Yang et al.
// 2018) compresses it, with visit counts of b in s as the belief.
import { createJsLearningBackend } from "./learning-js.js";
import { createWasmLearningBackend } from "./learning-wasm.js";
import { LearningTables, type LearningKernels } from "./learning-tables.js";
import { createMachine, type Machine } from "./machine.js";
import type { Backend } from "./types.js";

function checkKind(t: LearningTables, jal: boolean, what: string): void {
  if (jal ? t.buckets < 1 : t.buckets !== 0) {
    throw new TypeError(`${what}: tables have ${t.buckets} buckets; ${jal ? "JAL needs buckets >= 1" : "IL needs buckets = 0"}`);
  }
}

const inRange = (x: number, lo: number, hi: number): boolean => x >= lo && x < hi;

/** Table and state of every active agent in range: the WASM kernels trust them as offsets. */
function checkSelect(t: LearningTables, jal: boolean, what: string): void {
  checkKind(t, jal, what);
  const { agents, tables, states, active, tableOf, state } = t;
  for (let i = 0; i < agents; i++) {
    if (active[i] === 0) continue;
    if (!inRange(tableOf[i], 0, tables) || !inRange(state[i], 0, states)) {
      throw new RangeError(`${what}: agent ${i}: table ${tableOf[i]} or state ${state[i]} out of range (${tables} tables, ${states} states)`);
    }
  }
}

/** As checkSelect, plus action, next state and (JAL) bucket of every agent that learns. */
function checkUpdate(t: LearningTables, jal: boolean, what: string): void {
  checkKind(t, jal, what);
  const { agents, tables, states, actions, buckets, active, tableOf, state, action, nextState, bucket } = t;
  for (let i = 0; i < agents; i++) {
    const a = action[i];
    if (active[i] === 0 || a < 0) continue;
    if (!inRange(tableOf[i], 0, tables) || !inRange(state[i], 0, states) || a >= actions
      || !inRange(nextState[i], -1, states) || (jal && !inRange(bucket[i], 0, buckets))) {
      throw new RangeError(`${what}: agent ${i}: table ${tableOf[i]}, state ${state[i]}, action ${a}, next state ${nextState[i]}`
        + `${jal ? ` or bucket ${bucket[i]}` : ""} out of range (${tables} tables, ${states} states, ${actions} actions${jal ? `, ${buckets} buckets` : ""})`);
    }
  }
}

/**
 * The learning kernels of a run's backend on a kernel memory (a fresh one, or `machine`'s, so
 * the tables sit beside the slot layout), with the index checks both backends share.
 */
export function createLearningKernels(on: Backend | Machine): LearningKernels {
  const machine = typeof on === "string" ? createMachine(on) : on;
  const k = machine.backend === "wasm" ? createWasmLearningBackend(machine) : createJsLearningBackend(machine);
  return {
    backend: machine.backend,
    machine,
    createTables(o) {
      const t = new LearningTables(o);
      k.place(t);
      return t;
    },
    ilSelect(t, epsilon) {
      checkSelect(t, false, "ilSelect");
      k.ilSelect(t, epsilon);
    },
    ilUpdate(t, alpha, gamma) {
      checkUpdate(t, false, "ilUpdate");
      k.ilUpdate(t, alpha, gamma);
    },
    jalSelect(t, epsilon) {
      checkSelect(t, true, "jalSelect");
      k.jalSelect(t, epsilon);
    },
    jalUpdate(t, alpha, gamma) {
      checkUpdate(t, true, "jalUpdate");
      k.jalUpdate(t, alpha, gamma);
    },
  };
}
