// TaskQueues (src/world/task-queues.ts): the traffic kernels behind a host class on a Machine,
// one kernel call per step; episodes re-seeded without re-allocation; views that survive
// memory growth; a full queue is an error naming tasks.arrivalRate.
import { describe, expect, it } from "vitest";
import type { SlotLayout } from "../src/layout.js";
import { layoutOn } from "../src/kernels/layout-on.js";
import { createMachine } from "../src/kernels/machine.js";
import type { Backend } from "../src/kernels/types.js";
import { resolveScenario } from "../src/sweep/load.js";
import { distributionArgs, TaskQueues } from "../src/world/task-queues.js";
import { WorldTs as World } from "./reference/world-ts.js";
import { DIST_NORMAL } from "../src/kernels/rng-js.js";

const config = resolveScenario({ sites: { count: 4 }, users: { perSite: 25 }, tasks: { arrivalRate: 0.2, catalogue: { types: 12 } } }, "s.json").points[0].config;

/** Head tasks of `slots` slots: per slot, active users' type, arrival slot and bits. */
function run(q: TaskQueues, L: SlotLayout, slots: number): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < slots; slot++) {
    q.arrive(slot);
    q.prepare(L);
    for (let i = 0; i < q.users; i++) if (L.active[i]) out.push(i, L.taskType[i], L.arrivalSlot[i], L.bits[i], L.deadlineS[i]);
    q.complete(L.active);
  }
  return out;
}

describe("TaskQueues on a machine", () => {
  for (const backend of ["wasm", "js"] as Backend[]) {
    it(`${backend}: reset(seed) replays an episode without allocating; another seed differs`, () => {
      const m = createMachine(backend);
      const L = layoutOn(m, 100, 4);
      const q = new TaskQueues(m, 100, config.tasks, 1);
      const first = run(q, L, 60);
      expect(first.length).toBeGreaterThan(5 * 100);
      const mark = m.mark();
      q.reset(1);
      expect(run(q, L, 60)).toEqual(first);
      q.reset(2);
      expect(run(q, L, 60)).not.toEqual(first);
      expect(m.mark()).toBe(mark);
      // A fresh machine with seed 2 gives what the reset one gave.
      q.reset(2);
      const again = run(q, L, 60);
      const m2 = createMachine(backend);
      expect(run(new TaskQueues(m2, 100, config.tasks, 2), layoutOn(m2, 100, 4), 60)).toEqual(again);
    });
  }

  it("gives the World's Traffic's tasks, slot by slot: the same stream and catalogue, on both backends", () => {
    for (const backend of ["wasm", "js"] as Backend[]) {
      const m = createMachine(backend);
      const L = layoutOn(m, 100, 4);
      const q = new TaskQueues(m, 100, config.tasks, 7);
      const world = new World(config, 7);
      for (let slot = 0; slot < 100; slot++) {
        world.traffic.arrive(slot);
        q.arrive(slot);
        q.prepare(L);
        for (let i = 0; i < 100; i++) {
          const t = world.traffic.head(i);
          expect([L.active[i], L.taskType[i], L.arrivalSlot[i], L.bits[i], L.cyclesPerBit[i]]).toEqual(t ? [1, t.type, t.arrivalSlot, t.bits, t.cyclesPerBit] : [0, -1, -1, 0, 0]);
          if (t) world.traffic.complete(i);
        }
        q.complete(L.active);
      }
    }
  });

  it("prepare fills the slot inputs and resets decisions; the catalogue is the World's", () => {
    const m = createMachine("wasm");
    const L = layoutOn(m, 100, 4);
    const q = new TaskQueues(m, 100, config.tasks, 5);
    L.theta.fill(0.3);
    L.migrateTo.fill(2);
    L.beta.fill(0.5);
    q.arrive(0);
    q.prepare(L);
    const world = new World(config, 5);
    const types = new Set<number>();
    for (let i = 0; i < 100; i++) {
      expect([L.theta[i], L.migrateTo[i], L.beta[i]]).toEqual([1, -1, 0]);
      if (!L.active[i]) {
        expect([L.bits[i], L.taskType[i], L.arrivalSlot[i]]).toEqual([0, -1, -1]);
        continue;
      }
      types.add(L.taskType[i]);
      expect(L.bits[i]).toBe(world.catalogue!.bits[L.taskType[i]]);
      expect(L.cyclesPerBit[i]).toBe(world.catalogue!.cyclesPerBit[L.taskType[i]]);
      expect(L.deadlineS[i]).toBe(config.tasks.deadlineS);
    }
    expect(types.size).toBeGreaterThan(1);
  });

  it("keeps working when the memory grows after it was set up", () => {
    for (const backend of ["wasm", "js"] as Backend[]) {
      const m = createMachine(backend);
      const L = layoutOn(m, 100, 4);
      const q = new TaskQueues(m, 100, config.tasks, 3);
      const before = run(q, L, 10);
      m.alloc(64 << 20);
      expect(q.count.buffer).toBe(m.heap.buffer);
      q.reset(3);
      expect(run(q, L, 10)).toEqual(before);
    }
  });

  it("a full queue is an error naming tasks.arrivalRate; arrays of another memory are refused", () => {
    const m = createMachine("js");
    const q = new TaskQueues(m, 100, config.tasks, 1, 1);
    expect(() => { for (let slot = 0; slot < 20; slot++) q.arrive(slot); }).toThrow(/tasks\.arrivalRate: \d+ task\(s\) arrived at a full queue of 1/);
    expect(() => new TaskQueues(m, 10, config.tasks, 1, 48)).toThrow(/power of two/);
    expect(() => q.complete(new Int32Array(100))).toThrow(/not in this machine's memory/);
  });

  it("maps every scenario distribution to the kernels' kind and parameters", () => {
    expect(distributionArgs({ dist: "normal", mean: 5, sd: 2, min: 1 })).toEqual([DIST_NORMAL, 5, 2, 1, Infinity]);
    expect(distributionArgs({ dist: "normal", mean: 5, sd: 2, min: 1, max: 9 })).toEqual([DIST_NORMAL, 5, 2, 1, 9]);
    const kinds = [
      distributionArgs({ dist: "constant", value: 1 }), distributionArgs({ dist: "uniform", min: 1, max: 2 }),
      distributionArgs({ dist: "normal", mean: 1, sd: 1, min: 0 }), distributionArgs({ dist: "exponential", mean: 1 }),
      distributionArgs({ dist: "centred", mean: 1, spread: 0.5 }),
    ].map((a) => a[0]);
    expect(kinds).toEqual([0, 1, 2, 3, 4]);
  });
});
