// The optimum's descent kernel (assembly/optimum.ts, twin src/kernels/optimum-js.ts) on true
// slot states of seeded worlds, with greedy's and with random decisions:
// - its incremental system cost of every single-user option equals the simulation's kernels
//   recomputing the whole slot (channel, minimum-rate refusals, channel, latency) to 1e-9,
//   including options that flip other users' refusals;
// - after the descent no single user can lower the recomputed cost (a local optimum), and the
//   cost it reports is the kernels' to the last bit;
// - WASM and JS give the same option costs (1e-9) and the same decisions, sweeps and moves.
import { describe, expect, it } from "vitest";
import { activeUsers, Bench, slotCases, withOption, type SlotCase } from "./optimum.fixture.js";
import { closeFloats, sameInts } from "./policy-kernels.fixture.js";

const HIGH_MIN_RATE = { users: { perSite: 10 }, tasks: { arrivalRate: 0.2 }, area: { widthM: 3000, heightM: 3000 }, channel: { minRateBps: 4e7 } };
const WORLDS: Record<string, object> = {
  shared: { users: { perSite: 10 }, tasks: { arrivalRate: 0.2 } },
  orthogonal: { users: { perSite: 12 }, tasks: { arrivalRate: 0.2 }, channel: { interference: "orthogonal" } },
  "high minimum rate, shared": HIGH_MIN_RATE,
  "high minimum rate, orthogonal": { ...HIGH_MIN_RATE, channel: { minRateBps: 4e7, interference: "orthogonal" } },
  "one site": { sites: { count: 1 }, users: { perSite: 25 }, tasks: { arrivalRate: 0.2 } },
  "two sites, two fractions": { sites: { count: 2 }, users: { perSite: 15 }, tasks: { arrivalRate: 0.2 }, actions: { localFractions: [0.5, 1] } },
  "no minimum rate": { sites: { count: 4 }, users: { perSite: 8 }, tasks: { arrivalRate: 0.2 }, channel: { minRateBps: 0 } },
};

const CASES: SlotCase[] = Object.entries(WORLDS).flatMap(([name, raw]) => [
  ...slotCases(name, raw, 5, [3, 8]),
  ...slotCases(name, raw, 6, [4], true),
]);

/** |a − b| <= tol · max(|a|, |b|). */
const near = (a: number, b: number, tol: number): boolean => a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

describe("optimum descent kernel", () => {
  it("the slot cases have active users, uploads, refusals and options that flip others' refusals", () => {
    let active = 0, refusedCases = 0;
    for (const c of CASES) {
      active += activeUsers(c).length;
      const b = new Bench("js", c);
      if (b.fullCost(c.theta, c.server).refused.some((r) => r !== 0)) refusedCases++;
    }
    expect(active).toBeGreaterThan(300);
    expect(refusedCases).toBeGreaterThan(3);
  });

  for (const backend of ["wasm", "js"] as const) {
    it(`${backend}: the incremental cost of every single-user option equals a full recomputation to 1e-9`, () => {
      let checked = 0, flipping = 0, worst = 0;
      for (const c of CASES) {
        const b = new Bench(backend, c);
        const users = activeUsers(c);
        const costs = b.optionCosts();
        expect(costs.length, c.name).toBe(users.length);
        const base = b.fullCost(c.theta, c.server);
        users.forEach((i, a) => {
          for (let o = 0; o < costs[a].length; o++) {
            const d = withOption(c, c.theta, c.server, i, o);
            const full = b.fullCost(d.theta, d.server);
            const inc = costs[a][o];
            if (!near(inc, full.cost, 1e-9)) throw new Error(`${c.name}: user ${i} option ${o}: incremental ${inc}, full ${full.cost}`);
            worst = Math.max(worst, Math.abs(inc - full.cost) / full.cost);
            checked++;
            // An option that changes another user's refusal: the pass-2 sums of every site move.
            if (full.refused.some((r, k) => k !== i && r !== base.refused[k])) flipping++;
          }
        });
      }
      expect(checked).toBeGreaterThan(10000);
      expect(flipping, "options flipping another user's refusal").toBeGreaterThan(500);
      expect(worst).toBeLessThan(1e-9);
    });

    it(`${backend}: after the descent no single user can lower the recomputed cost, and the reported cost is the kernels'`, () => {
      let moved = 0, refusedBefore = 0, refusedAfter = 0;
      for (const c of CASES) {
        const b = new Bench(backend, c);
        const greedy = b.fullCost(c.theta, c.server);
        const before = greedy.cost;
        const { stats, theta, server } = b.improve();
        const [sweeps, moves, capped, start, end] = stats;
        expect(capped, c.name).toBe(0);
        expect(sweeps, c.name).toBeGreaterThanOrEqual(1);
        expect(start, `${c.name}: cost before`).toBe(before);
        const final = b.fullCost(theta, server), after = final.cost;
        refusedBefore += greedy.refused.reduce((x, r) => x + r, 0);
        refusedAfter += final.refused.reduce((x, r) => x + r, 0);
        expect(end, `${c.name}: cost after`).toBe(after);
        expect(after, c.name).toBeLessThanOrEqual(before);
        if (moves === 0) expect(after).toBe(before);
        moved += moves;
        for (const i of activeUsers(c)) {
          const options = 1 + c.sites * c.config.actions.localFractions.length;
          for (let o = 0; o < options; o++) {
            const d = withOption(c, theta, server, i, o);
            const cost = b.fullCost(d.theta, d.server).cost;
            if (!(cost >= after * (1 - 2e-9))) throw new Error(`${c.name}: user ${i} option ${o} lowers the cost from ${after} to ${cost}`);
          }
        }
      }
      expect(moved).toBeGreaterThan(50);
      // The descent starts from the decisions as the sites admitted them: refused uploads are not kept.
      expect(refusedBefore).toBeGreaterThan(20);
      expect(refusedAfter).toBeLessThan(refusedBefore / 4);
    });
  }

  it("WASM and JS give the same option costs, decisions, sweeps and moves", () => {
    for (const c of CASES) {
      const w = new Bench("wasm", c), j = new Bench("js", c);
      const cw = w.optionCosts(), cj = j.optionCosts();
      cw.forEach((x, a) => closeFloats(x, cj[a], `${c.name} option costs of active user ${a}`));
      const rw = w.improve(), rj = j.improve();
      closeFloats(rw.theta, rj.theta, `${c.name} theta`);
      sameInts(rw.theta, rj.theta, `${c.name} theta`);
      sameInts(rw.server, rj.server, `${c.name} server`);
      sameInts(rw.stats.subarray(0, 3), rj.stats.subarray(0, 3), `${c.name} sweeps, moves, capped`);
      closeFloats(rw.stats.subarray(3), rj.stats.subarray(3), `${c.name} costs`);
    }
  });
});
