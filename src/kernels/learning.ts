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

/**
 * Tables in `machine`'s memory, where the check kernels read them (the WASM backend also
 * refuses tables placed by another kernels object on the same memory).
 */
function checkHome(machine: Machine, t: LearningTables): void {
  if (t.tableOf.buffer !== machine.heap.buffer) {
    throw new Error("tables were created by another LearningKernels object: create them with this one's createTables");
  }
}

/** Table and state of every active agent in range (one kernel call): the WASM kernels trust them as offsets. */
function checkSelect(machine: Machine, t: LearningTables, jal: boolean, what: string): void {
  checkKind(t, jal, what);
  checkHome(machine, t);
  const { agents, tables, states, active, tableOf, state } = t;
  const i = machine.fns.firstBadSelect(agents, tables, states, active.byteOffset, tableOf.byteOffset, state.byteOffset);
  if (i >= 0) {
    throw new RangeError(`${what}: agent ${i}: table ${tableOf[i]} or state ${state[i]} out of range (${tables} tables, ${states} states)`);
  }
}

/** As checkSelect, plus action, next state and (JAL) bucket of every agent that learns. */
function checkUpdate(machine: Machine, t: LearningTables, jal: boolean, what: string): void {
  checkKind(t, jal, what);
  checkHome(machine, t);
  const { agents, tables, states, actions, buckets, active, tableOf, state, action, nextState, bucket } = t;
  const i = machine.fns.firstBadUpdate(agents, tables, states, actions, buckets,
    active.byteOffset, tableOf.byteOffset, state.byteOffset, action.byteOffset, nextState.byteOffset, bucket.byteOffset);
  if (i >= 0) {
    throw new RangeError(`${what}: agent ${i}: table ${tableOf[i]}, state ${state[i]}, action ${action[i]}, next state ${nextState[i]}`
      + `${jal ? ` or bucket ${bucket[i]}` : ""} out of range (${tables} tables, ${states} states, ${actions} actions${jal ? `, ${buckets} buckets` : ""})`);
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
      checkSelect(machine, t, false, "ilSelect");
      k.ilSelect(t, epsilon);
    },
    ilUpdate(t, alpha, gamma) {
      checkUpdate(machine, t, false, "ilUpdate");
      k.ilUpdate(t, alpha, gamma);
    },
    jalSelect(t, epsilon) {
      checkSelect(machine, t, true, "jalSelect");
      k.jalSelect(t, epsilon);
    },
    jalUpdate(t, alpha, gamma) {
      checkUpdate(machine, t, true, "jalUpdate");
      k.jalUpdate(t, alpha, gamma);
    },
  };
}
