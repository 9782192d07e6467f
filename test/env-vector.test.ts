// The vectorised environment (src/env/vector-env.ts) drives the trial runner's simulation: an
// episode stepped through it equals the trial `twinedge run` runs for the same scenario and
// seed, with authentication and migration on, for action 0 everywhere (= local) and for the
// built-in baselines it applies; and its arrays say who acts, what is allowed, and the rewards.
import { describe, expect, it } from "vitest";
import { openScenario } from "../src/env/open-scenario.js";
import { VectorEnv } from "../src/env/vector-env.js";
import { ACTIONS } from "../src/policy/encoding.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";

const raw = {
  slots: 30, warmupSlots: 4, sites: { count: 6 }, users: { perSite: 6 }, tasks: { arrivalRate: 0.2 }, seeds: [3, 8],
  policies: ["local", "random", "nearest", "greedy"], auth: { mode: "modeled", maliciousShare: 0.2 }, migration: { mode: "proactive" },
};

describe("the vectorised environment", () => {
  for (const backend of ["wasm", "js"] as const) {
    it(`gives the trial's metrics record for local (action 0), random, nearest and greedy (${backend})`, () => {
      const { trials } = resolveScenario(raw, "s.json");
      const env = new VectorEnv(trials[0].config, { backend, episode: "evaluation", baseDir: null, strictMasks: true });
      const zeros = new Int32Array(env.users);
      for (const t of trials) {
        const record = runTrial(t, backend).record;
        expect(record.status).toBe("ok");
        env.reset(t.seed);
        for (let slot = 0; slot < env.slots; slot++) {
          if (t.policy === "local" && slot % 2 === 0) env.step(zeros);
          else env.stepPolicy(t.policy as "local" | "random" | "nearest" | "greedy");
        }
        const m = env.metrics();
        expect(m, `${t.policy} seed ${t.seed}`).toEqual(record.status === "ok" ? record.metrics : null);
        expect(m.fullHandshakesPerUserHour).toBeGreaterThan(t.policy === "local" ? -1 : 0);
      }
    });
  }

  it("marks who acts, masks the rest to action 0, rewards only the acting agents and ends after the episode's slots", () => {
    const { point } = openScenario({ object: raw, overrides: { "learning.slotsPerEpisode": 12 } });
    const env = new VectorEnv(point.config, { backend: "wasm", episode: "training", baseDir: null, strictMasks: false });
    expect(env.slots).toBe(12);
    env.reset(5);
    const o = env.out;
    let acted = 0;
    for (let slot = 0; slot < 12; slot++) {
      expect(o.header[0]).toBe(slot);
      const active = Uint8Array.from(o.active);
      for (let i = 0; i < env.users; i++) {
        if (!active[i]) expect(Array.from(o.mask.subarray(i * ACTIONS, (i + 1) * ACTIONS))).toEqual([1, 0, 0, 0, 0, 0, 0]);
      }
      env.step(new Int32Array(env.users).fill(4));
      for (let i = 0; i < env.users; i++) {
        if (active[i]) acted++;
        expect(o.reward[i] < 0).toBe(active[i] === 1);
      }
    }
    expect(acted).toBeGreaterThan(20);
    expect(o.header[1]).toBe(1);
    expect(() => env.step(new Int32Array(env.users))).toThrow(/the episode has ended/);
    expect(env.metrics().tasks).toBeGreaterThan(0);
  });

  it("refuses an out-of-range action naming the agent, and a masked one with strictMasks", () => {
    const { point } = openScenario({ object: { ...raw, channel: { minRateBps: 2e8 } } });
    const env = new VectorEnv(point.config, { backend: "js", episode: "evaluation", baseDir: null, strictMasks: true });
    env.reset(1);
    while (!env.out.active.some((a) => a === 1)) env.step(new Int32Array(env.users));
    const i = env.out.active.indexOf(1);
    expect(() => env.step(new Int32Array(env.users).fill(7))).toThrow(new RegExp(`actions\\[${i}\\] \\(user_${i}\\): expected an action in 0..6, got 7`));
    expect(() => env.step(new Int32Array(env.users).fill(6))).toThrow(new RegExp(`actions\\[${i}\\] \\(user_${i}\\): action 6 is masked`));
  });

  it("chooses one sweep point and applies overrides through the scenario schema, naming bad fields", () => {
    const sweep = { ...raw, sweep: { "users.perSite": [2, 4] } };
    expect(() => openScenario({ object: sweep })).toThrow(/point: the scenario sweeps users.perSite \(2 points\)/);
    expect(openScenario({ object: sweep, point: { "users.perSite": 4 } }).pointIndex).toBe(1);
    expect(() => openScenario({ object: raw, overrides: { "sites.count": 0 } })).toThrow(/<scenario>: sites.count: expected a positive integer/);
    expect(() => openScenario({ object: raw, overrides: { "a..b": 1 } })).toThrow(/a\.\.b: not a field path/);
  });
});
