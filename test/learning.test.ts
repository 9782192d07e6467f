import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../src/policy/encoding.js";
import { EdgeParallelEnv } from "../src/env/parallel-env.js";
import type { TrialRecord } from "../src/contracts/record.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";

const small = { slots: 200, warmupSlots: 10, sites: { count: 6 }, users: { perSite: 10 }, tasks: { arrivalRate: 0.2 }, learning: { episodes: 400, slotsPerEpisode: 50 } };
const configOf = (raw: object) => resolveScenario(raw, "s.json").points[0].config;

/** A uniformly random allowed action for each agent. */
function randomActions(env: EdgeParallelEnv, obs: Record<string, { mask: number }>, r: () => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of env.possibleAgents) {
    const allowed = [...Array(ACTIONS).keys()].filter((k) => (obs[a].mask >> k) & 1);
    out[a] = allowed[Math.floor(r() * allowed.length)];
  }
  return out;
}

describe("the parallel environment (PettingZoo shape)", () => {
  it("resets, steps with masked actions, rewards only acting agents, and truncates the episode", () => {
    const env = new EdgeParallelEnv(configOf({ ...small, users: { perSite: 5 } }), "wasm", 12);
    const { observations, infos } = env.reset(7);
    expect(env.agents).toHaveLength(30);
    expect(Object.keys(observations)).toEqual(env.possibleAgents);
    let obs = observations, info = infos;
    const r = seedrandom.alea("env");
    let rewarded = 0;
    for (let t = 0; t < 12; t++) {
      const step = env.step(randomActions(env, obs, r));
      for (const a of env.possibleAgents) {
        if (info[a].active) {
          expect(step.rewards[a]).toBeGreaterThan(0);
          rewarded++;
        } else {
          expect(step.rewards[a]).toBe(0);
        }
        expect(step.terminations[a]).toBe(false);
        expect(step.truncations[a]).toBe(t === 11);
      }
      obs = step.observations;
      info = step.infos;
    }
    expect(rewarded).toBeGreaterThan(5);
    expect(env.agents).toEqual([]);
    expect(() => env.step({})).toThrow(/reset/);
    expect(env.state().cell).toHaveLength(30);
  });

  it("simulates the scenario's authentication, as the trial runner does", () => {
    // The same actions (each agent's highest allowed one: offloading where it may) on the same
    // seed, with and without authentication: handshakes delay uploads and refused users run locally.
    const rewardSum = (auth: object) => {
      const env = new EdgeParallelEnv(configOf({ ...small, users: { perSite: 5 }, auth }), "js", 8);
      let { observations } = env.reset(5);
      let sum = 0;
      for (let t = 0; t < 8; t++) {
        const actions = Object.fromEntries(env.possibleAgents.map((a) => [a, 31 - Math.clz32(observations[a].mask)]));
        const step = env.step(actions);
        for (const a of env.possibleAgents) sum += step.rewards[a];
        observations = step.observations;
      }
      return sum;
    };
    const off = rewardSum({ mode: "off" });
    expect(rewardSum({ mode: "off" })).toBe(off);
    expect(rewardSum({ mode: "modeled", maliciousShare: 0.5 })).not.toBe(off);
  });

  it("refuses a masked or missing action for an acting agent, naming it", () => {
    const env = new EdgeParallelEnv(configOf({ ...small, users: { perSite: 5 } }), "js", 5);
    let { observations, infos } = env.reset(3);
    while (!Object.values(infos).some((i) => i.active)) ({ observations, infos } = env.step(randomActions(env, observations, Math.random)));
    const agent = env.possibleAgents.find((a) => infos[a].active)!;
    expect(() => env.step({ ...randomActions(env, observations, Math.random), [agent]: 99 })).toThrow(new RegExp(`actions\\.${agent}: expected an allowed action`));
  });

  it("two same-seed environments stepped in lockstep match", () => {
    const config = configOf(small);
    const [a, b] = [new EdgeParallelEnv(config, "wasm", 30), new EdgeParallelEnv(config, "wasm", 30)];
    let oa = a.reset(11), ob = b.reset(11);
    expect(ob).toEqual(oa);
    const r = seedrandom.alea("lockstep");
    for (let t = 0; t < 30; t++) {
      const actions = randomActions(a, oa.observations, r);
      const sa = a.step(actions), sb = b.step(actions);
      expect(sb).toEqual(sa);
      expect(b.state()).toEqual(a.state());
      oa = { observations: sa.observations, infos: sa.infos };
    }
  });
});

describe("learner trials", () => {
  it("are deterministic: same seed and backend, identical records (curve and tables' effect included)", () => {
    const [t] = resolveScenario({ ...small, seeds: [5], policies: ["jal"], learning: { episodes: 20, slotsPerEpisode: 20 } }, "s.json").trials;
    const a = runTrial(t, "wasm").record, b = runTrial(t, "wasm").record;
    expect(a.status).toBe("ok");
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe("learning learns", () => {
  it("trained IL and JAL beat random by a clear margin, seed by seed, and their reward rises", () => {
    const trials = resolveScenario({ ...small, seeds: [1, 2, 3], policies: ["random", "il", "jal"] }, "s.json").trials;
    const records = trials.map((t) => runTrial(t, "wasm").record);
    const ok = (r: TrialRecord) => {
      if (r.status !== "ok") throw new Error(r.error);
      return r;
    };
    for (const seed of [1, 2, 3]) {
      const of = (p: string) => ok(records.find((r) => r.seed === seed && r.policy === p)!);
      const random = of("random").metrics.latencyS!;
      for (const learner of ["il", "jal"]) {
        const r = of(learner);
        expect(r.metrics.latencyS!, `${learner} seed ${seed}`).toBeLessThan(0.85 * random);
        const curve = r.training!.rewardByEpisode.filter((x): x is number => x !== null);
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        expect(mean(curve.slice(-50)), `${learner} seed ${seed} curve`).toBeGreaterThan(1.1 * mean(curve.slice(0, 50)));
        expect(r.training!.tableBytes).toBeGreaterThan(0);
      }
    }
  });
});
