// The learners' encoding in the kernels: WASM and TS twin give the same states, masks, targets
// and decisions, and both equal today's Encoder.encode / Encoder.decide on the observations of
// seeded worlds (shared and orthogonal interference, one site, no feasible site, one user,
// users exactly on site positions where distances tie).
import { describe, expect, it } from "vitest";
import { ACTIONS, Encoder } from "../src/policy/encoding.js";
import { KernelEncoder } from "../src/policy/kernel-encoder.js";
import { stream } from "../src/world/rng.js";
import { cloneObs, configOf, onSites, pair, sameInts, step, WORLDS, closeFloats, f64s, i32s } from "./policy-kernels.fixture.js";

describe("encode and decide kernels", () => {
  for (const [name, raw] of Object.entries(WORLDS)) {
    it(`equal Encoder on both backends: ${name}`, () => {
      const c0 = configOf(raw);
      const users = c0.users.total ?? c0.users.perSite! * c0.sites.count;
      const p = pair(users, c0.sites.count);
      const ctx = { channel: c0.channel };
      const kw = new KernelEncoder(p.wasm, c0, ctx, users), kj = new KernelEncoder(p.js, c0, ctx, users);
      const encoder = new Encoder(c0, ctx, users);
      const state = new Int32Array(users), mask = new Int32Array(users);
      const thw = p.wasm.alloc(8 * users), svw = p.wasm.alloc(4 * users), thj = p.js.alloc(8 * users), svj = p.js.alloc(4 * users);
      const pick = stream(9, "actions");
      const seen = { active: 0, masked: 0, allowed: 0, far: 0, ties: 0 };
      step(raw, 5, 25, {
        before: (live, slot) => {
          const obs = cloneObs(live);
          if (slot % 2 === 1) onSites(obs);
          p.ow.load(obs);
          p.oj.load(obs);
          kw.encode(p.ow);
          kj.encode(p.oj);
          encoder.encode(obs, state, mask);
          sameInts(kw.state, kj.state, "state wasm/js");
          sameInts(kw.mask, kj.mask, "mask wasm/js");
          sameInts(kw.targets, kj.targets, "targets wasm/js");
          sameInts(kj.state, state, "state js/Encoder");
          sameInts(kj.mask, mask, "mask js/Encoder");
          sameInts(kj.targets, encoder.targets, "targets js/Encoder");
          // Random allowed actions; decisions start from the runner's default (theta 1, serving).
          const theta = new Float64Array(users).fill(1), server = obs.serving.slice();
          for (let i = 0; i < users; i++) {
            const allowed = [...Array(ACTIONS).keys()].filter((a) => (mask[i] >> a) & 1);
            const a = obs.active[i] ? allowed[Math.floor(pick() * allowed.length)] : 0;
            kw.action[i] = a;
            kj.action[i] = a;
            if (obs.active[i]) {
              encoder.decide(i, a, theta, server);
              seen.active++;
              if (mask[i] !== 0b1111111) seen.masked++;
              if (a > 0) seen.allowed++;
              if (a >= 5) seen.far++;
            }
          }
          // Ties among the other sites' distances (users on grid sites): the scan keeps the lower index.
          for (let i = 0; i < users; i++) {
            if (!obs.active[i]) continue;
            const d = [...obs.sites.xM.keys()].filter((j) => j !== obs.serving[i]).map((j) => (obs.sites.xM[j] - obs.userX[i]) ** 2 + (obs.sites.yM[j] - obs.userY[i]) ** 2).sort((x, y) => x - y);
            if (d.length > 2 && (d[0] === d[1] || d[1] === d[2])) seen.ties++;
          }
          for (const [m, th, sv] of [[p.wasm, thw, svw], [p.js, thj, svj]] as const) {
            m.heap.f64.fill(1, th >> 3, (th >> 3) + users);
            m.heap.i32.set(obs.serving, sv >> 2);
          }
          kw.decide(p.ow, thw, svw);
          kj.decide(p.oj, thj, svj);
          closeFloats(f64s(p.wasm, thw, users), f64s(p.js, thj, users), "theta wasm/js");
          sameInts(i32s(p.wasm, svw, users), i32s(p.js, svj, users), "server wasm/js");
          sameInts(f64s(p.js, thj, users), theta, "theta js/Encoder");
          sameInts(i32s(p.js, svj, users), server, "server js/Encoder");
        },
      });
      expect(seen.active).toBeGreaterThan(0);
      if (name === "high minimum rate") expect(seen.masked).toBeGreaterThan(seen.active / 4);
      if (name === "shared") {
        expect(seen.far).toBeGreaterThan(0);
        expect(seen.masked).toBeLessThan(seen.active);
        expect(seen.ties).toBeGreaterThan(0);
      }
    });
  }

  it("the observation copy refuses an observation of another size and survives memory growth", () => {
    const c = configOf(WORLDS.shared);
    const users = c.users.perSite! * c.sites.count;
    const small = pair(users - 1, c.sites.count);
    step(WORLDS.shared, 2, 1, { before: (obs) => expect(() => small.oj.load(obs)).toThrow(RangeError) });
    const p = pair(users, c.sites.count);
    step(WORLDS.shared, 2, 1, {
      before: (obs) => {
        p.js.alloc(1 << 24); // grows the JS machine's buffer: the copy must write into the new one
        p.oj.load(obs);
        sameInts(p.js.heap.i32.subarray(p.oj.serving >> 2, (p.oj.serving >> 2) + users), obs.serving, "serving after growth");
        closeFloats(p.js.heap.f64.subarray(p.oj.siteRxMw >> 3, (p.oj.siteRxMw >> 3) + c.sites.count), obs.siteRxMw, "siteRxMw after growth");
      },
    });
  });
});
