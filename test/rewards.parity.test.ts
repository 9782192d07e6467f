// Rewards, JAL buckets and metric sums in the kernels: WASM and TS twin agree, and both equal
// today's RewardModel.compute (team and agent rewards, -T_proc and 1/T_proc) and MetricAccumulator (addTask, result)
// on the evaluated slots of seeded worlds, driven by the greedy and the random baselines.
import { describe, expect, it } from "vitest";
import type { SlotOutcome } from "../src/contracts/decisions.js";
import type { Machine } from "../src/kernels/machine.js";
import { ACC_FIELDS } from "../src/kernels/metrics-js.js";
import { RandomPolicy } from "../src/policy/baselines.js";
import { KernelRewards, type OutcomePtrs } from "../src/policy/kernel-rewards.js";
import { RewardModel } from "../src/policy/rewards.js";
import { KernelMetrics, taskMetrics, type TaskPtrs } from "../src/run/kernel-metrics.js";
import { MetricAccumulator, type TwinTotals } from "../src/run/metrics.js";
import { stream } from "../src/world/rng.js";
import { closeFloats, configOf, pair, sameInts, step, WORLDS } from "./policy-kernels.fixture.js";

const CROWDED = { sites: { count: 1 }, users: { perSite: 200 }, tasks: { arrivalRate: 0.2 }, mobility: { model: "static" } };
const CASES: Record<string, object> = { ...WORLDS, crowded: CROWDED, "short slots": { ...WORLDS.shared, slotS: 0.05 } };

/** Outcome and task arrays on a machine, filled from the slot's layout. */
function taskArrays(m: Machine, users: number): OutcomePtrs & TaskPtrs {
  return {
    active: m.alloc(4 * users), theta: m.alloc(8 * users), server: m.alloc(4 * users), tProcS: m.alloc(8 * users),
    deadlineMet: m.alloc(4 * users), refused: m.alloc(4 * users), rateBps: m.alloc(8 * users), arrivalSlot: m.alloc(4 * users),
  };
}

interface Slot extends SlotOutcome {
  deadlineMet: Int32Array;
  refused: Int32Array;
  rateBps: Float64Array;
  arrivalSlot: Int32Array;
}

function copyIn(m: Machine, p: OutcomePtrs & TaskPtrs, s: Slot): void {
  const h = m.heap;
  h.i32.set(s.active, p.active >> 2);
  h.f64.set(s.theta, p.theta >> 3);
  h.i32.set(s.server, p.server >> 2);
  h.f64.set(s.tProcS, p.tProcS >> 3);
  h.i32.set(s.deadlineMet, p.deadlineMet >> 2);
  h.i32.set(s.refused, p.refused >> 2);
  h.f64.set(s.rateBps, p.rateBps >> 3);
  h.i32.set(s.arrivalSlot, p.arrivalSlot >> 2);
}

const TWIN: TwinTotals = { predHits: 3, predTotal: 4, stayHits: 1, stayTotal: 4, positionErrorM: 2, positionTotal: 4, requests: 10, fetches: 7, bitsRequested: 100, bitsFetched: 70 };

describe("reward and metric kernels", () => {
  for (const [name, raw] of Object.entries(CASES)) {
    for (const driver of ["greedy", "random"] as const) {
      it(`equal RewardModel and MetricAccumulator on both backends: ${name}, ${driver}`, () => {
        const c = configOf(raw);
        const users = c.users.total ?? c.users.perSite! * c.sites.count, n = c.sites.count;
        const p = pair(users, n);
        const choices = {
          team: { reward: "team", rewardForm: "inverseLatency" }, agent: { reward: "agent", rewardForm: "inverseLatency" },
          teamNeg: { reward: "team", rewardForm: "negLatency" }, agentNeg: { reward: "agent", rewardForm: "negLatency" },
        } as const;
        const kinds = Object.keys(choices) as (keyof typeof choices)[];
        const each = <T>(make: (c: (typeof choices)[keyof typeof choices]) => T) => Object.fromEntries(kinds.map((k) => [k, make(choices[k])])) as Record<keyof typeof choices, T>;
        const rw = each((ch) => new KernelRewards(p.wasm, users, n, ch));
        const rj = each((ch) => new KernelRewards(p.js, users, n, ch));
        const ts = each((ch) => new RewardModel(n, ch));
        const mw = new KernelMetrics(p.wasm), mj = new KernelMetrics(p.js), acc = new MetricAccumulator();
        const tw = taskArrays(p.wasm, users), tj = taskArrays(p.js, users);
        const seen = { buckets: new Set<number>(), floored: 0, waited: 0, tasks: 0 };
        const policy = driver === "random" ? new RandomPolicy({ channel: c.channel, localFractions: c.actions.localFractions, rng: stream(6, "policy"), seed: 6 }) : undefined;
        step(raw, 6, 30, {
          after: (obs, sim, slot) => {
            const L = sim.L;
            const s: Slot = {
              active: L.active.slice(0, users), theta: L.theta.slice(0, users), server: L.server.slice(0, users), tProcS: L.tProcS.slice(0, users),
              deadlineMet: L.deadlineMet.slice(0, users), refused: L.refused.slice(0, users), rateBps: L.rateBps.slice(0, users),
              arrivalSlot: Int32Array.from(sim.L.arrivalSlot.subarray(0, users), (a) => Math.max(a, 0)),
            };
            // Cover the branches: near-instant tasks (reward floor, 1/T skipped at 0) and refusals.
            for (let i = 0; i < users; i++) {
              if (!s.active[i]) continue;
              const k = seen.tasks;
              if (k % 5 === 0) s.tProcS[i] = 1e-4;
              if (k % 11 === 0) s.tProcS[i] = 0;
              if (k % 3 === 0 && s.theta[i] === 1) s.refused[i] = 1;
              if (s.tProcS[i] < 1e-3) seen.floored++;
              if (s.arrivalSlot[i] < slot) seen.waited++;
              seen.tasks++;
            }
            p.ow.load(obs);
            p.oj.load(obs);
            copyIn(p.wasm, tw, s);
            copyIn(p.js, tj, s);
            for (const k of kinds) {
              const reward = new Float64Array(users), bucket = new Int32Array(users);
              rw[k].reward.fill(0); rw[k].bucket.fill(0); rj[k].reward.fill(0); rj[k].bucket.fill(0);
              const sw = rw[k].compute(p.ow, tw), sj = rj[k].compute(p.oj, tj), st = ts[k].compute(obs, s, reward, bucket);
              closeFloats([sw], [sj], `${k} own sum wasm/js`);
              expect(sj, `${k} own sum js/TS`).toBe(st);
              closeFloats(rw[k].reward, rj[k].reward, `${k} reward wasm/js`);
              sameInts(rw[k].bucket, rj[k].bucket, `${k} bucket wasm/js`);
              sameInts(rj[k].reward, reward, `${k} reward js/TS`);
              sameInts(rj[k].bucket, bucket, `${k} bucket js/TS`);
              for (let i = 0; i < users; i++) if (s.active[i]) seen.buckets.add(bucket[i]);
            }
            // By hand: an agent's own reward is -T_proc (no floor) or 1/max(T_proc, 1 ms); the team's the mean over its cell's acting agents.
            const cellSum = new Map<number, [number, number]>();
            for (let i = 0; i < users; i++) {
              if (!s.active[i]) continue;
              expect(rj.agentNeg.reward[i]).toBe(-s.tProcS[i]);
              expect(rj.agent.reward[i]).toBe(1 / Math.max(s.tProcS[i], 1e-3));
              const [sum, count] = cellSum.get(obs.serving[i]) ?? [0, 0];
              cellSum.set(obs.serving[i], [sum - s.tProcS[i], count + 1]);
            }
            for (let i = 0; i < users; i++) {
              if (!s.active[i]) continue;
              const [sum, count] = cellSum.get(obs.serving[i])!;
              expect(Math.abs(rj.teamNeg.reward[i] - sum / count)).toBeLessThanOrEqual(1e-12 * Math.abs(sum / count));
            }
            // By hand: JAL's bucket counts the other agents, of every cell, whose upload goes to the site this agent's upload goes to
            // (0, 1, 2-3, 4-6, 7+); 0 for an all-local agent.
            for (let i = 0; i < users; i++) {
              if (!s.active[i]) continue;
              let others = 0;
              if (s.theta[i] < 1) for (let j = 0; j < users; j++) if (j !== i && s.active[j] && s.theta[j] < 1 && s.server[j] === s.server[i]) others++;
              const b = s.theta[i] < 1 ? (others === 0 ? 0 : others === 1 ? 1 : others <= 3 ? 2 : others <= 6 ? 3 : 4) : 0;
              expect(rj.agent.bucket[i]).toBe(b);
            }
            if (slot >= 3) {
              acc.addSlot();
              mw.addSlot();
              mj.addSlot();
              for (let i = 0; i < users; i++) {
                if (!s.active[i]) continue;
                acc.addTask(s.tProcS[i], s.deadlineMet[i] === 1, s.theta[i], s.refused[i] === 1, s.rateBps[i], (slot - s.arrivalSlot[i]) * c.slotS);
              }
              mw.addTasks(users, tw, slot, c.slotS);
              mj.addTasks(users, tj, slot, c.slotS);
            }
          },
        }, policy);
        closeFloats(mw.sums(), mj.sums(), "metric sums wasm/js");
        expect(mj.sums().length).toBe(ACC_FIELDS);
        const want = acc.result(users, c.slotS, TWIN);
        expect(mj.result(users, c.slotS, TWIN)).toEqual(want);
        const got = mw.result(users, c.slotS, TWIN);
        for (const [k, v] of Object.entries(want)) {
          if (v === null) expect(got[k as keyof typeof got], k).toBeNull();
          else closeFloats([got[k as keyof typeof got]!], [v], k);
        }
        expect(seen.tasks).toBeGreaterThan(0);
        expect(seen.floored).toBeGreaterThan(0);
        if (name === "crowded" && driver === "greedy") expect([...seen.buckets].sort(), "local (0) and a crowded site (7+) occur").toEqual(expect.arrayContaining([0, 4]));
        if (name === "shared") expect(seen.waited).toBeGreaterThan(0);
      });
    }
  }

  it("metrics: no tasks give the null means, reset starts a new episode", () => {
    const m = pair(1, 1).js;
    const k = new KernelMetrics(m);
    const ptr = k.accPtr;
    expect(k.result(10, 1, TWIN)).toEqual(new MetricAccumulator().result(10, 1, TWIN));
    m.heap.f64[(k.accPtr >> 3)] = 5;
    k.addSlot();
    k.reset();
    expect(k.accPtr).toBe(ptr);
    expect(k.result(10, 1, TWIN)).toEqual(new MetricAccumulator().result(10, 1, TWIN));
    expect(taskMetrics(new Float64Array(ACC_FIELDS), 0)).toEqual({
      latencyS: null, responseS: null, deadlineMissRate: null, offloadRatio: null, infeasibleRate: null, reward: null, systemCostS: null, queueWaitS: null, uploadRateBps: null, tasks: 0,
    });
  });
});
