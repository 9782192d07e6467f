// Tabular multi-agent Q-learning kernels (assembly/learning.ts and its pure-TS twin
// learning-js.ts): the interface, the table layout both backends share, the checks the
// WASM kernels rely on, and the factory. Independent learners (IL) learn Q(s, a); joint-
// action learners (JAL, Claus & Boutilier 1998) learn Q(s, a, b) over their own action and
// a bucket b of the load the others put on the action's site, with visit counts of b per
// state and site role as the belief.
import { createJsLearningBackend } from "./learning-js.js";
import { createWasmLearningBackend } from "./learning-wasm.js";
import { LearningTables, type LearningKernels, type LearnRule } from "./learning-tables.js";
import { createMachine, type Machine } from "./machine.js";
import type { Backend } from "./types.js";

function checkKind(t: LearningTables, jal: boolean, what: string): void {
  if (jal ? t.buckets < 1 : t.buckets !== 0) {
    throw new TypeError(`${what}: tables have ${t.buckets} buckets; ${jal ? "JAL needs buckets >= 1" : "IL needs buckets = 0"}`);
  }
  if (!jal) return;
  // The WASM kernels trust the roles as offsets.
  for (let a = 0; a < t.actions; a++) {
    const r = t.roleOf[a];
    if (!(Number.isInteger(r) && r >= -1 && r < t.roles)) throw new RangeError(`${what}: roleOf[${a}]: expected an integer in -1..${t.roles - 1}, got ${r}`);
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

/**
 * Every pending decision, and with `final` false every active agent's table, state, action and
 * (JAL) bucket, in range (one kernel call): the WASM kernels trust them as offsets.
 */
function checkLearn(machine: Machine, t: LearningTables, jal: boolean, final: boolean, what: string): void {
  checkKind(t, jal, what);
  checkHome(machine, t);
  const { agents, tables, states, actions, buckets } = t;
  const i = machine.fns.firstBadLearn(agents, tables, states, actions, buckets, final ? 1 : 0,
    t.active.byteOffset, t.tableOf.byteOffset, t.state.byteOffset, t.action.byteOffset, t.bucket.byteOffset,
    t.pendingTable.byteOffset, t.pendingState.byteOffset, t.pendingAction.byteOffset, t.pendingBucket.byteOffset);
  if (i >= 0) {
    const b = (x: number): string => (jal ? `, bucket ${x}` : "");
    const pending = t.pendingAction[i] >= 0 ? ` pending decision (table ${t.pendingTable[i]}, state ${t.pendingState[i]}, action ${t.pendingAction[i]}${b(t.pendingBucket[i])}) or` : "";
    throw new RangeError(`${what}: agent ${i}:${pending} table ${t.tableOf[i]}, state ${t.state[i]}, action ${t.action[i]}${b(t.bucket[i])}`
      + ` out of range (${tables} tables, ${states} states, ${actions} actions${jal ? `, ${buckets} buckets` : ""})`);
  }
}

const inUnit = (x: number, open: boolean): boolean => Number.isFinite(x) && (open ? x > 0 : x >= 0) && x <= 1;

/** The rule's numbers in range, named: gamma and alphaMin in [0, 1], alpha in (0, 1]. */
function checkRule(r: LearnRule, what: string): void {
  if (!inUnit(r.gamma, false)) throw new RangeError(`${what}: gamma: expected a number in [0, 1], got ${r.gamma}`);
  if (r.stepSize !== "constant" && r.stepSize !== "visits") throw new RangeError(`${what}: stepSize: expected "constant" or "visits", got ${String(r.stepSize)}`);
  if (!inUnit(r.alpha, true)) throw new RangeError(`${what}: alpha: expected a number in (0, 1], got ${r.alpha}`);
  if (!inUnit(r.alphaMin, false)) throw new RangeError(`${what}: alphaMin: expected a number in [0, 1], got ${r.alphaMin}`);
}

/** The Boltzmann policy's beta: finite and >= 0 (0: uniform over the allowed actions). */
function checkBeta(beta: number, what: string): void {
  if (!(Number.isFinite(beta) && beta >= 0)) throw new RangeError(`${what}: beta: expected a finite number >= 0, got ${beta}`);
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
      t.pendingAction.fill(-1);
      return t;
    },
    ilSelect(t, epsilon) {
      checkSelect(machine, t, false, "ilSelect");
      k.ilSelect(t, epsilon);
    },
    ilLearn(t, rule, final) {
      checkRule(rule, "ilLearn");
      checkLearn(machine, t, false, final, "ilLearn");
      k.ilLearn(t, rule, final);
    },
    jalSelect(t, epsilon) {
      checkSelect(machine, t, true, "jalSelect");
      k.jalSelect(t, epsilon);
    },
    jalLearn(t, rule, final) {
      checkRule(rule, "jalLearn");
      checkLearn(machine, t, true, final, "jalLearn");
      k.jalLearn(t, rule, final);
    },
    mfqSelect(t, beta, greedy) {
      checkBeta(beta, "mfqSelect");
      checkSelect(machine, t, false, "mfqSelect");
      k.mfqSelect(t, beta, greedy);
    },
    mfqLearn(t, rule, beta, final) {
      checkRule(rule, "mfqLearn");
      checkBeta(beta, "mfqLearn");
      checkLearn(machine, t, false, final, "mfqLearn");
      k.mfqLearn(t, rule, beta, final);
    },
  };
}
