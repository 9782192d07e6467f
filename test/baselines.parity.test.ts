// The baselines in the kernels: WASM and TS twin make the same choices, and both equal today's
// NearestPolicy, RandomPolicy (same stream state, so the same draws) and GreedyPolicy on the
// observations of seeded worlds (shared and orthogonal interference, one site, users with no
// feasible site, one user, users exactly on site positions).
import { describe, expect, it } from "vitest";
import type { Decisions } from "../src/contracts/decisions.js";
import type { Machine } from "../src/kernels/machine.js";
import { GreedyPolicy, NearestPolicy, RandomPolicy } from "../src/policy/baselines.js";
import { KernelBaselines } from "../src/policy/kernel-baselines.js";
import type { Policy } from "../src/policy/policy.js";
import type { Observation } from "../src/twin/twin-layer.js";
import { stream } from "../src/world/rng.js";
import { cloneObs, closeFloats, configOf, f64s, i32s, onSites, pair, sameInts, step, WORLDS } from "./policy-kernels.fixture.js";

const defaults = (obs: Observation): Decisions => ({
  theta: new Float64Array(obs.users).fill(1), server: obs.serving.slice(), migrateTo: new Int32Array(obs.users).fill(-1), beta: new Float64Array(obs.users),
});

const WORLDS_PLUS: Record<string, object> = { ...WORLDS, "two fractions": { ...WORLDS.shared, actions: { localFractions: [0.5, 1] } } };

describe("baseline kernels", () => {
  for (const [name, raw] of Object.entries(WORLDS_PLUS)) {
    it(`equal the TS baselines on both backends: ${name}`, () => {
      const c = configOf(raw);
      const users = c.users.total ?? c.users.perSite! * c.sites.count, n = c.sites.count;
      const p = pair(users, n);
      const seed = 11;
      // The trial's TS stream "policy" and the kernel's are the same generator, seeded alike.
      const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(seed, "policy"), seed };
      const bw = new KernelBaselines(p.wasm, ctx, n), bj = new KernelBaselines(p.js, ctx, n);
      const ts: Record<"random" | "nearest" | "greedy", Policy> = { random: new RandomPolicy(ctx), nearest: new NearestPolicy(ctx), greedy: new GreedyPolicy(ctx) };
      const out = (m: Machine) => ({ theta: m.alloc(8 * users), server: m.alloc(4 * users) });
      const ow = out(p.wasm), oj = out(p.js);
      const offloads = { random: 0, nearest: 0, greedy: 0 }, local = { random: 0, nearest: 0, greedy: 0 };
      step(raw, 4, 25, {
        before: (live, slot) => {
          const obs = cloneObs(live);
          if (slot % 3 === 2) onSites(obs);
          p.ow.load(obs);
          p.oj.load(obs);
          for (const which of ["random", "nearest", "greedy"] as const) {
            const d = defaults(obs);
            for (const [m, o] of [[p.wasm, ow], [p.js, oj]] as const) {
              m.heap.f64.set(d.theta, o.theta >> 3);
              m.heap.i32.set(d.server, o.server >> 2);
            }
            bw[which](p.ow, ow.theta, ow.server);
            bj[which](p.oj, oj.theta, oj.server);
            ts[which].act(obs, d);
            closeFloats(f64s(p.wasm, ow.theta, users), f64s(p.js, oj.theta, users), `${which} theta wasm/js`);
            sameInts(i32s(p.wasm, ow.server, users), i32s(p.js, oj.server, users), `${which} server wasm/js`);
            sameInts(f64s(p.js, oj.theta, users), d.theta, `${which} theta js/TS`);
            sameInts(i32s(p.js, oj.server, users), d.server, `${which} server js/TS`);
            for (let i = 0; i < users; i++) {
              if (!obs.active[i]) continue;
              if (d.theta[i] < 1) offloads[which]++;
              else local[which]++;
            }
          }
        },
      });
      // The policy streams advanced alike: the next words agree.
      sameInts(i32s(p.wasm, bw.rngPtr, 4), i32s(p.js, bj.rngPtr, 4), "policy stream wasm/js");
      for (const which of ["random", "nearest", "greedy"] as const) expect(offloads[which] + local[which], which).toBeGreaterThan(0);
      if (name === "shared") for (const which of ["random", "nearest", "greedy"] as const) expect(offloads[which], which).toBeGreaterThan(0);
      if (name === "high minimum rate") expect(local.nearest, "some users have no feasible serving site").toBeGreaterThan(0);
    });
  }

  it("reset re-seeds the policy stream: the same episode gives the same choices", () => {
    const c = configOf(WORLDS.shared);
    const users = c.users.perSite! * c.sites.count;
    const p = pair(users, c.sites.count);
    const b = new KernelBaselines(p.js, { channel: c.channel, localFractions: c.actions.localFractions, seed: 3 }, c.sites.count);
    const theta = p.js.alloc(8 * users), server = p.js.alloc(4 * users);
    const run = (): number[] => {
      const got: number[] = [];
      step(WORLDS.shared, 1, 4, {
        before: (obs) => {
          p.oj.load(obs);
          p.js.heap.f64.fill(1, theta >> 3, (theta >> 3) + users);
          p.js.heap.i32.set(obs.serving, server >> 2);
          b.random(p.oj, theta, server);
          got.push(...i32s(p.js, server, users), ...f64s(p.js, theta, users));
        },
      });
      return got;
    };
    const first = run();
    const second = run();
    expect(second).not.toEqual(first);
    b.reset(3);
    expect(run()).toEqual(first);
  });
});
