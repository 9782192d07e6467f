// The learning kernels' contract: the table layout both backends share (LearningTables),
// the kernels' interface, and what a backend supplies. Implementations import this module,
// never their factory (learning.ts).
import type { Backend } from "./backend.js";
import type { Machine } from "./machine.js";

/** Sizes of a set of tables. buckets = 0 makes IL tables, buckets >= 1 JAL tables. */
export interface LearningSizes {
  agents: number;
  tables: number;
  states: number;
  /** At most 30: action sets are bit masks in an i32. */
  actions: number;
  buckets: number;
  /** JAL: site roles (one belief row per state and role); 1 when omitted. IL: 0 (omitted). */
  roles?: number;
}

/** At most 30 actions, so that (1 << actions) - 1 is a positive i32 mask. */
const MAX_ACTIONS = 30;

/** 16-byte alignment of every array, as in SlotLayout. */
/** Rounds up to a multiple of 16 (arithmetic, not `& ~15`: byte counts and offsets pass 2^31). */
const align16 = (n: number): number => Math.ceil(n / 16) * 16;

const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;

/**
 * How a learn call updates (the scenario's learning section has these fields): gamma, and
 * the step size, alpha ("constant") or max(1/n, alphaMin) ("visits", n the entry's visit
 * count, this update included).
 */
export interface LearnRule {
  gamma: number;
  stepSize: "constant" | "visits";
  alpha: number;
  alphaMin: number;
}

/**
 * Q tables, visit counts, beliefs, per-step agent arrays and each agent's pending decision in
 * one contiguous byte range: an ArrayBuffer of its own for the JS backend, a range of linear
 * memory for WASM (views rebuilt by the backend after memory growth). The host writes state,
 * mask, active, tableOf, uniforms, then reads action after a select; it writes reward (and
 * bucket for JAL) before a learn call, which reads state, mask, active, tableOf and action
 * as the select left them.
 */
export class LearningTables implements LearningSizes {
  readonly agents: number;
  readonly tables: number;
  readonly states: number;
  readonly actions: number;
  readonly buckets: number;
  readonly roles: number;
  /** Bytes of the learned tables (q, visits, belief), for the manifest. */
  readonly tableBytes: number;
  /** Bytes of the whole range, per-step arrays and scratch included. */
  readonly byteLength: number;
  /** Byte offset of the range in the buffer it is bound to. */
  base = 0;

  /** IL: [tables x S x A]; JAL: [tables x S x A x B]. */
  q!: Float64Array;
  /** Updates of each entry of q so far (same shape): n of the 1/n step size. */
  visits!: Float64Array;
  /** JAL visit counts of each bucket per state and site role: [tables x S x R x B]; empty for IL. */
  belief!: Float64Array;
  /**
   * JAL: the site role of each action, [A] (-1: the action uploads nowhere, so its value is
   * q[s, a, 0] and it counts no belief); written by the host after createTables, all 0 at creation.
   */
  roleOf!: Int32Array;
  /** Agent i's table: one per agent, per site or one for all is the caller's choice. */
  tableOf!: Int32Array;
  state!: Int32Array;
  /** Bit a set = action a allowed. */
  mask!: Int32Array;
  /** 1 = the agent acts and learns this step. */
  active!: Int32Array;
  /** Drawn by the host, 2 per agent: [2i] < epsilon explores, [2i+1] picks the explored action. */
  uniforms!: Float64Array;
  /** Output of a select: the action, -1 for inactive agents. */
  action!: Int32Array;
  reward!: Float64Array;
  /** JAL: the observed bucket of the others' joint action for each agent. */
  bucket!: Int32Array;
  /**
   * Each agent's decision awaiting its next decision (gamma > 0): table, state, action (-1 =
   * none), reward and (JAL) bucket. Written by the learn kernels; -1 actions at creation.
   */
  pendingTable!: Int32Array;
  pendingState!: Int32Array;
  pendingAction!: Int32Array;
  pendingReward!: Float64Array;
  pendingBucket!: Int32Array;
  /** Kernel scratch: P(b | s, r) of the row being evaluated, [R x B] (JAL), or the Boltzmann weights, [A] (mfq). */
  prob!: Float64Array;

  constructor(o: LearningSizes) {
    const { agents, tables, states, actions, buckets } = o;
    if (!isCount(agents, 1)) throw new RangeError(`agents: expected a positive integer, got ${agents}`);
    if (!isCount(tables, 1)) throw new RangeError(`tables: expected a positive integer, got ${tables}`);
    if (!isCount(states, 1)) throw new RangeError(`states: expected a positive integer, got ${states}`);
    if (!isCount(actions, 1) || actions > MAX_ACTIONS) throw new RangeError(`actions: expected an integer in 1..${MAX_ACTIONS}, got ${actions}`);
    if (!isCount(buckets, 0)) throw new RangeError(`buckets: expected 0 (IL) or a positive integer (JAL), got ${buckets}`);
    const roles = o.roles ?? (buckets > 0 ? 1 : 0);
    if (buckets > 0 ? !isCount(roles, 1) : roles !== 0) throw new RangeError(`roles: expected ${buckets > 0 ? "a positive integer (JAL)" : "0 (IL)"}, got ${roles}`);
    this.roles = roles;
    this.agents = agents;
    this.tables = tables;
    this.states = states;
    this.actions = actions;
    this.buckets = buckets;
    const qLength = tables * states * actions * Math.max(buckets, 1);
    this.tableBytes = (2 * qLength + tables * states * roles * buckets) * 8;
    this.byteLength = this.walk(null);
  }

  /** (Re)creates every view over `buffer` at byte offset `base` (a multiple of 16). */
  bind(buffer: ArrayBuffer, base = this.base): this {
    if (base % 16 !== 0) throw new RangeError(`base: expected a multiple of 16, got ${base}`);
    this.base = base;
    this.walk(buffer);
    return this;
  }

  /** Walks the arrays in layout order, creating views when given a buffer; returns the byte length. */
  private walk(buffer: ArrayBuffer | null): number {
    const { agents: M, tables: T, states: S, actions: A, buckets: B, roles: R } = this;
    const self = this as unknown as Record<string, Float64Array | Int32Array>;
    let off = 0;
    const f64 = (name: string, count: number): void => {
      if (buffer) self[name] = new Float64Array(buffer, this.base + off, count);
      off += align16(count * 8);
    };
    const i32 = (name: string, count: number): void => {
      if (buffer) self[name] = new Int32Array(buffer, this.base + off, count);
      off += align16(count * 4);
    };
    f64("q", T * S * A * Math.max(B, 1));
    f64("visits", T * S * A * Math.max(B, 1));
    f64("belief", T * S * R * B);
    f64("uniforms", 2 * M);
    f64("reward", M);
    f64("pendingReward", M);
    f64("prob", Math.max(R * B, A));
    for (const name of ["tableOf", "state", "mask", "active", "action", "bucket", "pendingTable", "pendingState", "pendingAction", "pendingBucket"]) i32(name, M);
    i32("roleOf", B > 0 ? A : 0);
    return off;
  }
}

/** The learning kernels of one backend, implemented twice (WASM and pure TS) over LearningTables. */
export interface LearningKernels {
  readonly backend: Backend;
  /** The kernel memory the tables live in. */
  readonly machine: Machine;
  /** Allocates zeroed tables (no pending decisions) in this backend's memory; views stay valid across later allocations. */
  createTables(o: LearningSizes): LearningTables;
  /** IL: epsilon-greedy action of each active agent on q[tableOf, state] (ties: lowest action). */
  ilSelect(t: LearningTables, epsilon: number): void;
  /**
   * IL, after an evaluated step: each active agent's pending decision learns from this
   * decision's state (gamma > 0), and this decision is learned at once (gamma = 0) or becomes
   * the pending one. `final`: the episode ended, every pending decision learns as terminal.
   */
  ilLearn(t: LearningTables, rule: LearnRule, final: boolean): void;
  /** JAL: epsilon-greedy on EV(s, a) = sum_b P(b | s, roleOf[a]) q[t, s, a, b], P from the belief counts. */
  jalSelect(t: LearningTables, epsilon: number): void;
  /** JAL: as ilLearn on q[t, s, a, bucket], bootstrapping on max EV(s', .); each update counts its bucket under its action's role. */
  jalLearn(t: LearningTables, rule: LearnRule, final: boolean): void;
  /**
   * mfq on IL tables whose states fold in the mean-action bin: a Boltzmann draw pi(a) ~
   * exp(beta q[t, s, a]) from uniforms[2i] (greedy: the argmax, lowest on ties).
   */
  mfqSelect(t: LearningTables, beta: number, greedy: boolean): void;
  /** mfq: as ilLearn, bootstrapping on the Boltzmann value sum_a pi(a | s') q[t, s', a]. */
  mfqLearn(t: LearningTables, rule: LearnRule, beta: number, final: boolean): void;
}

/** What a backend supplies: placing new tables in its memory, and the six kernels unchecked. */
export interface LearningBackend {
  readonly backend: Backend;
  place(t: LearningTables): void;
  ilSelect(t: LearningTables, epsilon: number): void;
  ilLearn(t: LearningTables, rule: LearnRule, final: boolean): void;
  jalSelect(t: LearningTables, epsilon: number): void;
  jalLearn(t: LearningTables, rule: LearnRule, final: boolean): void;
  mfqSelect(t: LearningTables, beta: number, greedy: boolean): void;
  mfqLearn(t: LearningTables, rule: LearnRule, beta: number, final: boolean): void;
}
