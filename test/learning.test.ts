import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../src/policy/encoding.js";
import { EdgeParallelEnv } from "../src/env/parallel-env.js";
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
          // The default reward: minus the mean latency of the agent's cell.
          expect(step.rewards[a]).toBeLessThan(0);
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

  it("rewards as learning.reward and learning.rewardForm say: -T_proc or 1/T_proc of the same step", () => {
    const envOf = (rewardForm: string) => new EdgeParallelEnv(configOf({ ...small, users: { perSite: 5 }, learning: { reward: "agent", rewardForm } }), "js", 6);
    const [neg, inv] = [envOf("negLatency"), envOf("inverseLatency")];
    let on = neg.reset(4).observations;
    inv.reset(4);
    const r = seedrandom.alea("forms");
    let compared = 0;
    for (let t = 0; t < 6; t++) {
      const actions = randomActions(neg, on, r);
      const a = neg.step(actions), b = inv.step(actions);
      for (const agent of neg.possibleAgents) {
        if (a.rewards[agent] === 0) continue;
        expect(b.rewards[agent]).toBe(1 / Math.max(-a.rewards[agent], 1e-3));
        compared++;
      }
      on = a.observations;
    }
    expect(compared).toBeGreaterThan(5);
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
