// The digital twin in the kernels (assembly/twin.ts, on TwinState): WASM and the TS twin agree
// slot by slot, and both equal today's TwinLayer on a seeded world (observation, histories as
// RingHistory, dedup counts as RequestDedup, predictions and scores as NextCellPredictors); the
// incremental Markov predictor equals today's full scan prediction for prediction, ties included.
import { describe, expect, it } from "vitest";
import { createKernels } from "../src/kernels/index.js";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import type { Backend } from "../src/kernels/types.js";
import { resolveScenario } from "../src/sweep/load.js";
import { NextCellPredictors, type PredictorName } from "../src/twin/predictors.js";
import { TwinLayerTs as TwinLayer } from "./reference/twin-layer-ts.js";
import { TwinState, type TwinInputs } from "../src/twin/twin-state.js";
import { stream } from "../src/world/rng.js";
import type { Sites } from "../src/world/topology.js";
import { WorldTs as World } from "./reference/world-ts.js";

const vehicles = { model: "gaussMarkov", meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 };

/** The twin's inputs staged in the machine's memory (as the mobility and traffic kernels leave them). */
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

interface Rig { state: TwinState; inp: TwinInputs; backend: Backend }

function rig(backend: Backend, users: number, sites: Pick<Sites, "xM" | "yM">, area: { widthM: number; heightM: number }, cellScaleM: number, predictor: PredictorName, historyLength: number, syncPeriodSlots: number, types: number): Rig {
  const m = createMachine(backend);
  const inp = stage(m, users);
  const state = new TwinState(m, { users, siteXM: sites.xM, siteYM: sites.yM, area, cellScaleM, predictor, historyLength, syncPeriodSlots, types });
  return { state, inp, backend };
}

/** Exactly equal arrays (NaN equals NaN); a plain loop, as the tests compare thousands of arrays. */
function eq(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** Floats: exactly on the JS backend (same arithmetic), to 1e-9 on WASM (AS's hypot, atan2). */
function same(r: Rig, got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  if (r.backend === "js") return eq(got, want, what);
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const a = got[i], b = want[i];
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) throw new Error(`${what}[${i}]: ${a} vs ${b}`);
  }
}

describe("twin kernels vs today's TwinLayer on a seeded world", () => {
  // moves: users cross cells often enough that a learned predictor leaves the cell sometimes.
  const cases: { name: string; raw: Record<string, unknown>; predictors: PredictorName[]; moves: boolean }[] = [
    {
      name: "9 sites, vehicles, catalogue, sync every slot",
      raw: { slots: 300, sites: { count: 9 }, users: { perSite: 20 }, mobility: vehicles, tasks: { arrivalRate: 0.2, catalogue: { types: 20, zipfExponent: 1 } }, twin: { historyLength: 16, syncPeriodSlots: 1 } },
      predictors: ["stay", "velocity", "markov"], moves: true,
    },
    {
      name: "4 sites, walkers, untyped tasks, stale twin (sync every 3 slots), short history",
      raw: { slots: 300, sites: { count: 4 }, users: { total: 37 }, tasks: { arrivalRate: 0.1 }, twin: { historyLength: 5, syncPeriodSlots: 3 } },
      predictors: ["velocity", "markov"], moves: false,
    },
    {
      name: "1 site, 1 user",
      raw: { slots: 120, sites: { count: 1 }, users: { total: 1 }, mobility: vehicles, tasks: { catalogue: { types: 1 } }, twin: { historyLength: 3 } },
      predictors: ["velocity", "markov"], moves: false,
    },
  ];

  for (const { name, raw, predictors, moves } of cases) {
    for (const predictor of predictors) {
      it(`${name}: ${predictor}`, () => {
        const config = resolveScenario({ ...raw, twin: { ...(raw.twin as object), predictor } }, "s.json").points[0].config;
        const world = new World(config, 3);
        const m = world.users, n = world.sites.count;
        const twin = new TwinLayer(world, config.twin);
        const L = createKernels("js").createLayout(m, n);
        const taskType = new Int32Array(m);
        const cellScaleM = Math.sqrt((config.area.widthM * config.area.heightM) / n) / 2;
        const rigs = (["wasm", "js"] as const).map((b) => rig(b, m, world.sites, config.area, cellScaleM, predictor, config.twin.historyLength, config.twin.syncPeriodSlots, world.catalogue?.types ?? 0));
        const meas = stream(9, "measurements");
        let notStay = 0;
        for (let slot = 0; slot < config.slots; slot++) {
          world.advance(slot);
          for (let i = 0; i < m; i++) {
            const t = world.traffic.head(i);
            L.active[i] = t ? 1 : 0;
            L.bits[i] = t ? t.bits : 0;
            taskType[i] = t ? t.type : -1;
          }
          const obs = twin.sync(slot, world, L, taskType);
          for (const r of rigs) {
            r.inp.active.set(L.active.subarray(0, m));
            r.inp.bits.set(L.bits.subarray(0, m));
            r.inp.taskType.set(taskType);
            r.inp.xM.set(world.pos.xM);
            r.inp.yM.set(world.pos.yM);
            r.inp.serving.set(world.serving);
            r.state.sync(slot, r.inp);
            const s = r.state, at = `${r.backend} slot ${slot}`;
            same(r, s.userX, obs.userX, `userX ${at}`);
            same(r, s.userY, obs.userY, `userY ${at}`);
            eq(s.serving, obs.serving, `serving ${at}`);
            same(r, s.siteRxMw, obs.siteRxMw, `siteRxMw ${at}`);
            same(r, s.siteOwnMw, obs.siteOwnMw, `siteOwnMw ${at}`);
            eq(s.siteLoad, obs.siteLoad, `siteLoad ${at}`);
            eq(s.predictedCell, obs.predictedCell, `predictedCell ${at}`);
            eq(s.predictedStay, twin.predictors.predicted.stay, `stay ${at}`);
            same(r, s.predictedX, obs.predictedX, `predictedX ${at}`);
            same(r, s.predictedY, obs.predictedY, `predictedY ${at}`);
            for (const p of ["stay", predictor] as const) expect(s.score(p), `${p} score ${at}`).toEqual(twin.predictors.score[p]);
            expect(s.positionScore.total).toBe(twin.predictors.positionScore.total);
            // A sum of sqrt(dx² + dy²) against the reference's Math.hypot: equal to rounding, on either backend.
            expect(s.positionScore.errorM).toBeCloseTo(twin.predictors.positionScore.errorM, 9);
            const d = twin.dedup;
            expect([s.dedup.requests, s.dedup.fetches]).toEqual([d.requests, d.fetches]);
            same(r, [s.dedup.bitsRequested, s.dedup.bitsFetched], [d.bitsRequested, d.bitsFetched], `dedup bits ${at}`);
            for (const k of ["x", "y", "cell", "request", "siteLoad"] as const) {
              const mine = s.history[k], theirs = twin.history[k];
              expect(mine.size, `${k} size ${at}`).toBe(theirs.size);
              // Every value held, entity by entity (the kernels' rings are time-major, RingHistory's entity-major).
              const all = (h: { entities: number; size: number; at(e: number, lag: number): number }): number[] =>
                Array.from({ length: h.entities * h.size }, (_, q) => h.at(q % h.entities, Math.floor(q / h.entities)));
              if (k === "x" || k === "y") same(r, all(mine), all(theirs), `history ${k} ${at}`);
              else eq(all(mine), all(theirs), `history ${k} ${at}`);
            }
          }
          for (let i = 0; i < m; i++) if (obs.predictedCell[i] >= 0 && obs.predictedCell[i] !== obs.serving[i]) notStay++;
          // What the sites measure in the slot (any values: the twin only carries them to the next sync).
          for (let j = 0; j < n; j++) {
            L.siteRxMw[j] = meas() * 1e-6;
            L.siteOwnMw[j] = L.siteRxMw[j] * meas();
            L.siteLoad[j] = Math.floor(meas() * 5);
          }
          twin.record(L);
          for (const r of rigs) r.state.record(L.siteRxMw, L.siteOwnMw, L.siteLoad);
          for (let i = 0; i < m; i++) if (L.active[i]) world.traffic.complete(i);
        }
        if (predictor !== "stay" && moves) expect(notStay, "some predictions leave the cell").toBeGreaterThan(0);
        if (world.catalogue && m > 1) expect(twin.dedup.fetches).toBeLessThan(twin.dedup.requests);
        expect(twin.predictors.score.stay.total).toBeGreaterThan(0);
      });
    }
  }
});

describe("incremental Markov predictor vs today's full scan", () => {
  it("equals NextCellPredictors prediction for prediction on random cell sequences full of ties", () => {
    // Cells drawn at random, independently of positions taken from a few points (on the sites,
    // and off them) with a few displacements: states recur, successor counts tie often.
    for (const [users, n] of [[60, 3], [25, 1], [200, 6]]) {
      const sites: Sites = { count: n, xM: new Float64Array(n), yM: new Float64Array(n), cpuHz: new Float64Array(n).fill(1) };
      for (let j = 0; j < n; j++) { sites.xM[j] = 100 * j; sites.yM[j] = 50 * (j % 2); }
      const cellScaleM = 40;
      for (const predictor of ["markov", "velocity"] as const) {
        const r = stream(`${users}/${n}`, "cells");
        const today = new NextCellPredictors(users, sites, cellScaleM, predictor);
        const rigs = (["wasm", "js"] as const).map((b) => rig(b, users, sites, { widthM: 100 * n, heightM: 100 }, cellScaleM, predictor, 4, 1, 0));
        const x = new Float64Array(users), y = new Float64Array(users), dx = new Float64Array(users), dy = new Float64Array(users);
        const cell = new Int32Array(users);
        let differs = 0;
        for (let sync = 0; sync < 300; sync++) {
          for (let i = 0; i < users; i++) {
            const j = Math.floor(r() * n), k = Math.floor(r() * 4);
            const nx = sites.xM[j] + [0, 0, 30, -55][k], ny = sites.yM[j] + [0, 0.01, -20, 45][k];
            dx[i] = nx - x[i];
            dy[i] = ny - y[i];
            x[i] = nx;
            y[i] = ny;
            cell[i] = Math.floor(r() * n);
          }
          today.update({ users, x, y, dx, dy, cell, hasPrevious: sync > 0 });
          for (const rg of rigs) {
            rg.inp.xM.set(x);
            rg.inp.yM.set(y);
            rg.inp.serving.set(cell);
            rg.state.sync(sync, rg.inp);
            eq(rg.state.predictedCell, today.predicted[predictor], `${rg.backend} ${predictor} sync ${sync}`);
            expect(rg.state.score(predictor)).toEqual(today.score[predictor]);
          }
          for (let i = 0; i < users; i++) if (today.predicted[predictor][i] !== cell[i]) differs++;
        }
        if (n > 1) expect(differs).toBeGreaterThan(0);
      }
    }
  });
});
