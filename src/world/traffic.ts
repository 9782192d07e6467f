// Task arrivals: a Poisson count per user per slot, each task's size and cycles per bit
// drawn from the scenario's distributions. Tasks wait in a per-user FIFO; a user processes
// its head-of-line task in a slot (the paper's per-slot model has one task per user).
import type { TrialConfig } from "../scenario/schema.js";
import type { Catalogue } from "./catalogue.js";
import { draw, poisson, type Rng } from "./rng.js";

export interface Task {
  /** Catalogue type, or -1 when the scenario has no catalogue (every task distinct). */
  type: number;
  bits: number;
  cyclesPerBit: number;
  deadlineS: number;
  arrivalSlot: number;
}

export class Traffic {
  /** Per-user FIFO, created on first arrival (most users are idle most slots). */
  private readonly queues: (Task[] | undefined)[];

  constructor(private readonly users: number, private readonly c: TrialConfig["tasks"], private readonly r: Rng, private readonly catalogue?: Catalogue) {
    this.queues = new Array(users);
  }

  /** Draws this slot's arrivals for every user, in user order. */
  arrive(slot: number): void {
    for (let i = 0; i < this.users; i++) {
      const k = poisson(this.r, this.c.arrivalRate);
      for (let a = 0; a < k; a++) {
        const cat = this.catalogue;
        const type = cat ? cat.sample(this.r) : -1;
        const task: Task = cat
          ? { type, bits: cat.bits[type], cyclesPerBit: cat.cyclesPerBit[type], deadlineS: this.c.deadlineS, arrivalSlot: slot }
          : { type, bits: draw(this.r, this.c.bits), cyclesPerBit: draw(this.r, this.c.cyclesPerBit), deadlineS: this.c.deadlineS, arrivalSlot: slot };
        (this.queues[i] ??= []).push(task);
      }
    }
  }

  head(i: number): Task | undefined {
    return this.queues[i]?.[0];
  }

  /** Removes user i's head task once it has been processed. */
  complete(i: number): void {
    this.queues[i]?.shift();
  }
}
