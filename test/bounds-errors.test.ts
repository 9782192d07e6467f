// The hosts' index checks before the slot and learning kernels: on both backends the first
// offending user or agent is named with its values, in the error class and words the hosts
// have always used, and nothing runs when a check fails.
import { describe, expect, it } from "vitest";
import { createKernels, evaluateSlot, type SlotParams } from "../src/kernels/index.js";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { SlotLayout } from "../src/layout.js";

const params: SlotParams = { bandwidthHz: 1e7, noiseMw: 1e-11, dMinM: 1, interference: "shared", minRateBps: 1e5, backhaulRateBps: null };

/** The error `f` throws (fails the test when it throws none). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, none was thrown");
}

function expectError(f: () => unknown, kind: typeof RangeError | typeof TypeError | typeof Error, message: string): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(kind);
  expect(e.message).toBe(message);
}

/** 5 users on 3 sites, every one uploading to a valid site (user 4 migrates to site 0). */
function validSlot(L: SlotLayout): void {
  for (let j = 0; j < 3; j++) { L.siteX[j] = 100 * j; L.siteY[j] = 50; L.siteCpuHz[j] = 1e10; }
  for (let i = 0; i < 5; i++) {
    L.userX[i] = 30 * i; L.userY[i] = 10; L.powerMw[i] = 100; L.userCpuHz[i] = 5e8;
    L.active[i] = 1; L.bits[i] = 5e5; L.cyclesPerBit[i] = 500; L.deadlineS[i] = 1;
    L.theta[i] = 0.25; L.server[i] = i % 3; L.migrateTo[i] = -1; L.beta[i] = 0;
  }
  L.migrateTo[4] = 0;
  L.beta[4] = 0.25;
}

describe("slot hosts: server and migrateTo of every active upload", () => {
  for (const backend of ["wasm", "js"] as const) {
    it(`${backend}: names the first bad user with its indices; idle and local users are not read`, () => {
      const k = createKernels(backend);
      const L = k.createLayout(6, 4);
      validSlot(L);
      expect(evaluateSlot(k, L, 5, 3, params)).toBeGreaterThan(0);
      L.server[3] = 3;
      L.server[4] = -1;
      for (const f of [() => k.channel(L, 5, 3, params), () => k.latency(L, 5, 3, params)]) {
        expectError(f, RangeError, "user 3: server 3 or migrateTo -1 outside 0..2");
      }
      L.active[3] = 0;
      expectError(() => k.channel(L, 5, 3, params), RangeError, "user 4: server -1 or migrateTo 0 outside 0..2");
      L.theta[4] = 1; // runs locally: its server is not read
      expect(evaluateSlot(k, L, 5, 3, params)).toBeGreaterThan(0);
      L.theta[4] = NaN; // not >= 1, so still an upload
      expectError(() => k.latency(L, 5, 3, params), RangeError, "user 4: server -1 or migrateTo 0 outside 0..2");
      L.theta[4] = 0.25;
      L.server[4] = 1;
      L.migrateTo[0] = 3;
      expectError(() => k.channel(L, 5, 3, params), RangeError, "user 0: server 0 or migrateTo 3 outside 0..2");
      L.migrateTo[0] = -2;
      expectError(() => k.latency(L, 5, 3, params), RangeError, "user 0: server 0 or migrateTo -2 outside 0..2");
      // Site 3 exists in the layout but not in this slot's 3 sites; with 4 sites it is valid.
      L.siteCpuHz[3] = 1e10;
      L.migrateTo[0] = 3;
      expect(evaluateSlot(k, L, 5, 4, params)).toBeGreaterThan(0);
      // Users past the count are not read.
      L.migrateTo[0] = -1;
      L.server[5] = 99;
      L.active[5] = 1;
      expect(evaluateSlot(k, L, 5, 3, params)).toBeGreaterThan(0);
      expectError(() => k.channel(L, 6, 3, params), RangeError, "user 5: server 99 or migrateTo 0 outside 0..2");
    });

    it(`${backend}: nothing is written when the check fails`, () => {
      const k = createKernels(backend);
      const L = k.createLayout(5, 3);
      validSlot(L);
      L.server[2] = 7;
      L.rateBps.fill(-1);
      L.tProcS.fill(-1);
      L.siteLoad.fill(-1);
      thrown(() => k.channel(L, 5, 3, params));
      thrown(() => k.latency(L, 5, 3, params));
      expect([...L.rateBps, ...L.tProcS, ...L.siteLoad].every((v) => v === -1)).toBe(true);
    });

    it(`${backend}: counts beyond the layout`, () => {
      const k = createKernels(backend);
      const L = k.createLayout(5, 3);
      validSlot(L);
      expectError(() => k.channel(L, 6, 3, params), RangeError, "users: 6 exceeds the layout's 5");
      expectError(() => k.latency(L, 5, 4, params), RangeError, "sites: 4 exceeds the layout's 3");
      expectError(() => k.channel(L, 5, 0, params), RangeError, "sites: 0 exceeds the layout's 3");
      expectError(() => k.refuseInfeasible(L, -1, 1e5), RangeError, "users: -1 exceeds the layout's 5");
    });
  }
});

describe("learning hosts: table, state, action and bucket of every agent's acting and pending decision", () => {
  for (const backend of ["wasm", "js"] as const) {
    it(`${backend}: select names the first active agent with a bad table or state`, () => {
      const k = createLearningKernels(backend);
      for (const jal of [false, true]) {
        const name = jal ? "jalSelect" : "ilSelect";
        const select = (): void => (jal ? k.jalSelect(t, 0.1) : k.ilSelect(t, 0.1));
        const t = k.createTables({ agents: 4, tables: 2, states: 3, actions: 2, buckets: jal ? 2 : 0 });
        t.active.fill(1);
        t.mask.fill(3);
        select();
        t.tableOf[2] = 2;
        t.state[3] = -1;
        expectError(select, RangeError, `${name}: agent 2: table 2 or state 0 out of range (2 tables, 3 states)`);
        t.active[2] = 0;
        expectError(select, RangeError, `${name}: agent 3: table 0 or state -1 out of range (2 tables, 3 states)`);
        t.state[3] = 3;
        expectError(select, RangeError, `${name}: agent 3: table 0 or state 3 out of range (2 tables, 3 states)`);
        t.active[3] = 0;
        select();
        expect(Array.from(t.action)).toEqual([t.action[0], t.action[1], -1, -1]);
      }
    });

    it(`${backend}: learn names the first agent with a bad decision, pending or acting`, () => {
      const k = createLearningKernels(backend);
      for (const jal of [false, true]) {
        const name = jal ? "jalLearn" : "ilLearn";
        const rule = { gamma: 0.9, stepSize: "constant", alpha: 0.5, alphaMin: 0 } as const;
        const learn = (final = false): void => (jal ? k.jalLearn(t, rule, final) : k.ilLearn(t, rule, final));
        const t = k.createTables({ agents: 4, tables: 2, states: 3, actions: 2, buckets: jal ? 2 : 0 });
        const tail = jal ? " out of range (2 tables, 3 states, 2 actions, 2 buckets)" : " out of range (2 tables, 3 states, 2 actions)";
        const b = (x: number): string => (jal ? `, bucket ${x}` : "");
        const says = (i: number, tb: number, s: number, a: number, bk: number, pending = ""): string =>
          `${name}: agent ${i}:${pending} table ${tb}, state ${s}, action ${a}${b(bk)}${tail}`;
        t.active.set([1, 1, 0, 1]);
        t.mask.fill(3);
        t.action.set([0, 1, -1, 0]);
        learn(); // every acting agent now has a pending decision: table 0, state 0, its action, bucket 0
        const q = Array.from(t.q), pendingAction = Array.from(t.pendingAction);
        expect(pendingAction).toEqual([0, 1, -1, 0]);
        t.action[1] = 7;
        expectError(learn, RangeError, says(1, 0, 0, 7, 0, " pending decision (table 0, state 0, action 1" + b(0) + ") or"));
        t.action[1] = 1;
        t.active[2] = 1; // an acting agent needs an action
        expectError(learn, RangeError, says(2, 0, 0, -1, 0));
        t.active[2] = 0;
        t.tableOf[3] = -1;
        expectError(learn, RangeError, says(3, -1, 0, 0, 0, " pending decision (table 0, state 0, action 0" + b(0) + ") or"));
        t.tableOf[3] = 1;
        t.state[0] = 3;
        expectError(learn, RangeError, says(0, 0, 3, 0, 0, " pending decision (table 0, state 0, action 0" + b(0) + ") or"));
        t.state[0] = 0;
        t.bucket[1] = 2;
        if (jal) expectError(learn, RangeError, says(1, 0, 0, 1, 2, " pending decision (table 0, state 0, action 1, bucket 0) or"));
        t.bucket[1] = 0;
        // A corrupted pending decision fails the episode's end too, where the acting fields are not read.
        t.pendingState[3] = 5;
        t.action[0] = 9;
        expectError(() => learn(true), RangeError, says(3, 1, 0, 0, 0, " pending decision (table 0, state 5, action 0" + b(0) + ") or"));
        t.pendingState[3] = 0;
        expect(Array.from(t.q)).toEqual(q); // no failed call wrote
        expect(Array.from(t.pendingAction)).toEqual(pendingAction);
        learn(true);
        expect(Array.from(t.pendingAction)).toEqual([-1, -1, -1, -1]);
      }
    });

    it(`${backend}: the wrong kind of tables is refused before any index`, () => {
      const k = createLearningKernels(backend);
      const il = k.createTables({ agents: 2, tables: 1, states: 1, actions: 2, buckets: 0 });
      const jal = k.createTables({ agents: 2, tables: 1, states: 1, actions: 2, buckets: 3 });
      il.active.fill(1);
      il.tableOf.fill(9);
      expectError(() => k.jalSelect(il, 0), TypeError, "jalSelect: tables have 0 buckets; JAL needs buckets >= 1");
      expectError(() => k.ilLearn(jal, { gamma: 0, stepSize: "visits", alpha: 0.1, alphaMin: 0.01 }, false), TypeError, "ilLearn: tables have 3 buckets; IL needs buckets = 0");
    });
  }
});
