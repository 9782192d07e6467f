// TwinState (src/twin/twin-state.ts): the twin kernels behind a host class on a Machine:
// requests every slot, the physical sync on sync slots only; reset() starts an episode over
// without re-allocation; views survive memory growth; ring reads as RingHistory's.
import { describe, expect, it } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import type { Backend } from "../src/kernels/types.js";
import { stream } from "../src/world/rng.js";
import { TwinState, type TwinInputs } from "../src/twin/twin-state.js";

const siteXM = [50, 150, 250, 50, 150, 250], siteYM = [50, 50, 50, 150, 150, 150];

function stage(m: Machine, users: number): TwinInputs {
  const p = { active: m.alloc(4 * users), taskType: m.alloc(4 * users), bits: m.alloc(8 * users), xM: m.alloc(8 * users), yM: m.alloc(8 * users), serving: m.alloc(4 * users) };
  const v = {} as TwinInputs;
  m.bind((h) => {
    v.active = h.i32.subarray(p.active >> 2, (p.active >> 2) + users);
    v.taskType = h.i32.subarray(p.taskType >> 2, (p.taskType >> 2) + users);
    v.bits = h.f64.subarray(p.bits >> 3, (p.bits >> 3) + users);
    v.xM = h.f64.subarray(p.xM >> 3, (p.xM >> 3) + users);
    v.yM = h.f64.subarray(p.yM >> 3, (p.yM >> 3) + users);
    v.serving = h.i32.subarray(p.serving >> 2, (p.serving >> 2) + users);
  });
  return v;
}

/** `slots` slots of users walking right, cells from x, random requests; everything the twin shows, per slot. */
function episode(s: TwinState, inp: TwinInputs, slots: number, seed: number): number[] {
  const r = stream(seed, "episode"), out: number[] = [];
  for (let i = 0; i < s.users; i++) { inp.xM[i] = 300 * r(); inp.yM[i] = 200 * r(); }
  for (let slot = 0; slot < slots; slot++) {
    for (let i = 0; i < s.users; i++) {
      inp.xM[i] = (inp.xM[i] + 20 * r()) % 300;
      inp.yM[i] = Math.min(199, Math.max(0, inp.yM[i] + 10 * (r() - 0.5)));
      inp.serving[i] = Math.floor(inp.xM[i] / 100) + 3 * Math.floor(inp.yM[i] / 100);
      inp.active[i] = r() < 0.3 ? 1 : 0;
      inp.taskType[i] = inp.active[i] ? Math.floor(r() * 4) : -1;
      inp.bits[i] = 1000 * (1 + inp.taskType[i]);
    }
    s.sync(slot, inp);
    s.record(Float64Array.from(siteXM, (x) => x * r()), Float64Array.from(siteXM, () => r()), Int32Array.from(siteXM, () => Math.floor(4 * r())));
    out.push(...s.userX, ...s.serving, ...s.predictedCell, ...s.predictedX, ...s.siteRxMw, ...s.siteLoad, s.positionScore.errorM, s.score("stay").hits, s.score(s.predictor).hits, s.dedup.fetches);
  }
  return out;
}

const options = { users: 40, siteXM, siteYM, area: { widthM: 400, heightM: 300 }, cellScaleM: 50, historyLength: 6, syncPeriodSlots: 2, types: 4 };

describe("TwinState on a machine", () => {
  for (const backend of ["wasm", "js"] as Backend[]) {
    for (const predictor of ["stay", "velocity", "markov"] as const) {
      it(`${backend} ${predictor}: reset() replays an episode as a fresh twin would, without allocating`, () => {
        const m = createMachine(backend);
        const inp = stage(m, 40);
        const s = new TwinState(m, { ...options, predictor });
        const first = episode(s, inp, 50, 1);
        expect(s.score("stay").total).toBeGreaterThan(0);
        const mark = m.mark();
        s.reset();
        expect(episode(s, inp, 50, 1)).toEqual(first);
        expect(m.mark()).toBe(mark);
        // Learned state is cleared: a different episode then the first again gives the first.
        episode(s, inp, 50, 2);
        s.reset();
        expect(episode(s, inp, 50, 1)).toEqual(first);
      });
    }
  }

  it("syncs the physical state on sync slots only, and requests every slot", () => {
    const m = createMachine("wasm");
    const inp = stage(m, 40);
    const s = new TwinState(m, { ...options, predictor: "markov" });
    episode(s, inp, 9, 4); // slots 0-8: sync on 0, 2, 4, 6, 8
    expect([s.history.request.writes, s.history.x.writes, s.history.siteLoad.writes]).toEqual([9, 5, 5]);
    expect(s.history.x.size).toBe(5);
    expect(Array.from(s.userX)).toEqual(Array.from(inp.xM));
    for (let i = 0; i < 40; i++) expect(s.history.request.at(i, 0)).toBe(inp.active[i] ? inp.taskType[i] : -2);
    expect(s.history.x.at(7, 0)).toBe(inp.xM[7]);
    expect(() => s.history.x.at(0, 5)).toThrow(/lag 5/);
    s.sync(9, inp); // not a sync slot
    expect([s.history.request.writes, s.history.x.writes]).toEqual([10, 5]);
    s.sync(10, inp);
    expect([s.history.request.writes, s.history.x.writes, s.history.x.size]).toEqual([11, 6, 6]);
    s.sync(12, inp);
    expect(s.history.x.size).toBe(6);
    expect(s.history.x.at(3, 0)).toBe(inp.xM[3]);
  });

  it("keeps its views and results when the memory grows, and refuses arrays of another memory", () => {
    for (const backend of ["wasm", "js"] as Backend[]) {
      const m = createMachine(backend);
      const inp = stage(m, 40);
      const s = new TwinState(m, { ...options, predictor: "velocity" });
      const first = episode(s, inp, 20, 3);
      m.alloc(64 << 20);
      expect(s.userX.buffer).toBe(m.heap.buffer);
      expect(s.history.cell.data.buffer).toBe(m.heap.buffer);
      s.reset();
      expect(episode(s, inp, 20, 3)).toEqual(first);
      expect(() => s.sync(0, { ...inp, xM: new Float64Array(40) })).toThrow(/not in this machine's memory/);
    }
  });
});
