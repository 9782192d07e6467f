// Task arrivals and the per-user task queues on a kernel Machine (the kernel port of
// src/world/traffic.ts): Poisson arrivals per user per slot, sizes and cycles per bit from the
// scenario's distributions or from a Zipf catalogue of task types, FIFO queues as fixed rings
// of `capacity` tasks per user in kernel memory (assembly/traffic.ts). Each slot step is one
// kernel call; the host never loops over users.
import type { Machine } from "../kernels/machine.js";
import { offsetIn } from "../kernels/offset.js";
import { DIST_CENTRED, DIST_CONSTANT, DIST_EXPONENTIAL, DIST_NORMAL, DIST_UNIFORM } from "../kernels/rng-js.js";
import { streamState } from "../kernels/rng-seed.js";
import type { Distribution, TrialConfig } from "../scenario/schema.js";
import { Catalogue } from "./catalogue.js";
import { stream } from "./rng.js";

/** A scenario distribution as the kernels' `draw` takes it: kind (DIST_*) and four parameters. */
export type DistributionArgs = [kind: number, a: number, b: number, c: number, d: number];

/** Maps a scenario distribution to the kernels' kind and parameters (assembly/rng.ts `draw`). */
export function distributionArgs(d: Distribution): DistributionArgs {
  switch (d.dist) {
    case "constant":
      return [DIST_CONSTANT, d.value, 0, 0, 0];
    case "uniform":
      return [DIST_UNIFORM, d.min, d.max, 0, 0];
    case "normal":
      return [DIST_NORMAL, d.mean, d.sd, d.min, d.max ?? Infinity];
    case "exponential":
      return [DIST_EXPONENTIAL, d.mean, 0, 0, 0];
    case "centred":
      return [DIST_CENTRED, d.mean, d.spread, 0, 0];
  }
}

/** The slot inputs prepare writes: views over the machine's memory, e.g. a SlotLayout's. */
export interface TaskInputs {
  active: Int32Array;
  /** The head task's catalogue type (-1 untyped or idle) and arrival slot (-1 idle). */
  taskType: Int32Array;
  arrivalSlot: Int32Array;
  bits: Float64Array;
  cyclesPerBit: Float64Array;
  deadlineS: Float64Array;
  theta: Float64Array;
  migrateTo: Int32Array;
  beta: Float64Array;
}

const DEFAULT_QUEUE_CAPACITY = 16;

export class TaskQueues {
  /** Queue lengths (tasks waiting, the head included). */
  count!: Int32Array;
  private readonly p: {
    rng: number; qBits: number; qCyclesPerBit: number; qType: number; qArrival: number; qHead: number; qCount: number;
    catCdf: number; catBits: number; catCpb: number; overflow: number;
  };
  private readonly limit: number;
  private readonly bits: DistributionArgs;
  private readonly cpb: DistributionArgs;
  private readonly types: number;

  /** `capacity`: tasks a user's ring holds, a power of two (see assembly/traffic.ts for why 16 suffices). */
  constructor(private readonly machine: Machine, readonly users: number, private readonly c: TrialConfig["tasks"], seed: number | string, readonly capacity = DEFAULT_QUEUE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1 || (capacity & (capacity - 1)) !== 0) throw new RangeError(`queue capacity: expected a power of two, got ${capacity}`);
    const m = users, mq = users * capacity;
    this.types = c.catalogue?.types ?? 0;
    const t = Math.max(this.types, 1);
    this.p = {
      rng: machine.alloc(16),
      qBits: machine.alloc(8 * mq), qCyclesPerBit: machine.alloc(8 * mq), qType: machine.alloc(4 * mq), qArrival: machine.alloc(4 * mq),
      qHead: machine.alloc(4 * m), qCount: machine.alloc(4 * m),
      catCdf: machine.alloc(8 * t), catBits: machine.alloc(8 * t), catCpb: machine.alloc(8 * t), overflow: machine.alloc(4),
    };
    this.limit = Math.exp(-c.arrivalRate);
    this.bits = distributionArgs(c.bits);
    this.cpb = distributionArgs(c.cyclesPerBit);
    machine.bind((h) => {
      this.count = h.i32.subarray(this.p.qCount >>> 2, (this.p.qCount >>> 2) + m);
    });
    this.reset(seed);
  }

  /**
   * A new episode of trial seed `seed`: empty queues, the arrival stream `traffic` re-seeded, and
   * the catalogue's per-type sizes drawn again on the host from its own stream `catalogue`
   * (as World does), into the kernel arrays.
   */
  reset(seed: number | string): void {
    const h = this.machine.heap, p = this.p, m = this.users;
    h.u32.set(streamState(seed, "traffic"), p.rng >>> 2);
    h.i32.fill(0, p.qHead >>> 2, (p.qHead >>> 2) + m);
    h.i32.fill(0, p.qCount >>> 2, (p.qCount >>> 2) + m);
    h.i32[p.overflow >>> 2] = 0;
    const cat = this.c.catalogue;
    if (cat) {
      const k = new Catalogue(cat.types, cat.zipfExponent, this.c.bits, this.c.cyclesPerBit, stream(seed, "catalogue"));
      h.f64.set(k.cdf, p.catCdf >>> 3);
      h.f64.set(k.bits, p.catBits >>> 3);
      h.f64.set(k.cyclesPerBit, p.catCpb >>> 3);
    }
  }

  /** Draws this slot's arrivals for every user, in user order (one kernel call). */
  arrive(slot: number): void {
    const p = this.p, b = this.bits, c = this.cpb;
    this.machine.fns.arrive(
      this.users, p.rng, this.limit, slot, this.capacity,
      p.qBits, p.qCyclesPerBit, p.qType, p.qArrival, p.qHead, p.qCount,
      b[0], b[1], b[2], b[3], b[4], c[0], c[1], c[2], c[3], c[4],
      this.types, p.catCdf, p.catBits, p.catCpb, p.overflow,
    );
    const dropped = this.machine.heap.i32[p.overflow >>> 2];
    if (dropped > 0) {
      throw new Error(`tasks.arrivalRate: ${dropped} task(s) arrived at a full queue of ${this.capacity} in slot ${slot}; arrivals outpace service (expected a rate in (0, 0.2])`);
    }
  }

  /** Head tasks into the slot's inputs and the decisions reset to all local (one kernel call). */
  prepare(L: TaskInputs): void {
    const p = this.p, at = (v: ArrayBufferView): number => offsetIn(this.machine, v);
    this.machine.fns.prepareTasks(
      this.users, p.qBits, p.qCyclesPerBit, p.qType, p.qArrival, p.qHead, p.qCount, this.capacity,
      this.c.deadlineS, at(L.active), at(L.bits), at(L.cyclesPerBit), at(L.deadlineS), at(L.taskType),
      at(L.arrivalSlot), at(L.theta), at(L.migrateTo), at(L.beta),
    );
  }

  /** Removes every active user's head task once processed (one kernel call). */
  complete(active: Int32Array): void {
    const p = this.p;
    this.machine.fns.completeTasks(this.users, offsetIn(this.machine, active), p.qHead, p.qCount, this.capacity);
  }
}
