// Shared by the policy-kernel parity tests: small seeded worlds stepped slot by slot, the
// twin's observation copied into a WASM and a JS machine, and comparisons (integers exact,
// floats to 1e-9 relative).
import { expect } from "vitest";
import { createMachine, type Machine } from "../src/kernels/machine.js";
import { GreedyPolicy } from "../src/policy/baselines.js";
import type { Policy } from "../src/policy/policy.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import type { Simulation } from "../src/run/simulation.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { resolveScenario } from "../src/sweep/load.js";
import { KernelObservation } from "./fixtures/kernel-observation.js";
import type { Observation } from "../src/twin/twin-layer.js";
import { stream } from "../src/world/rng.js";

export const configOf = (raw: object): TrialConfig => resolveScenario({ slots: 20, ...raw }, "p.json").points[0].config;

/** Worlds covering the edge cases: shared and orthogonal interference, one site, users with no feasible site. */
export const WORLDS: Record<string, object> = {
  shared: { users: { perSite: 10 }, tasks: { arrivalRate: 0.2 } },
  orthogonal: { users: { perSite: 12 }, tasks: { arrivalRate: 0.2 }, channel: { interference: "orthogonal" } },
  "one site": { sites: { count: 1 }, users: { perSite: 25 }, tasks: { arrivalRate: 0.2 } },
  "two sites": { sites: { count: 2 }, users: { perSite: 15 }, tasks: { arrivalRate: 0.2 }, channel: { interference: "orthogonal" } },
  "high minimum rate": { users: { perSite: 10 }, tasks: { arrivalRate: 0.2 }, area: { widthM: 3000, heightM: 3000 }, channel: { minRateBps: 4e7 } },
  "one user": { sites: { count: 4 }, users: { total: 1 }, tasks: { arrivalRate: 0.2 } },
};

/** The two machines, each with the observation arrays of `users` x `sites`. */
export interface Pair {
  wasm: Machine;
  js: Machine;
  ow: KernelObservation;
  oj: KernelObservation;
}

export function pair(users: number, sites: number): Pair {
  const wasm = createMachine("wasm"), js = createMachine("js");
  return { wasm, js, ow: new KernelObservation(wasm, users, sites), oj: new KernelObservation(js, users, sites) };
}

/** A deep copy of the observation, so a test may move users without touching the twin. */
export function cloneObs(o: Observation): Observation {
  const c = { ...o, sites: { ...o.sites, xM: o.sites.xM.slice(), yM: o.sites.yM.slice(), cpuHz: o.sites.cpuHz.slice() } } as Observation;
  for (const [k, v] of Object.entries(o)) if (ArrayBuffer.isView(v)) (c as unknown as Record<string, unknown>)[k] = (v as Float64Array).slice();
  return c;
}

/** Puts a few users exactly on site positions (the serving one and another), where distances tie on a grid. */
export function onSites(o: Observation): void {
  const n = o.sites.count;
  for (let i = 0; i < Math.min(o.users, 3); i++) {
    const j = i === 0 ? o.serving[i] : (o.serving[i] + i) % n;
    o.userX[i] = o.sites.xM[j];
    o.userY[i] = o.sites.yM[j];
  }
}

/**
 * Steps `slots` slots of the world `raw` (seed `seed`), the TS greedy baseline (or `driver`)
 * deciding, and calls `each(obs, sim, slot)` after the decisions are committed and before the
 * slot's tasks are finished (the outcome is in sim.L) — `before(obs)` runs before the driver acts.
 */
export function step(
  raw: object, seed: number, slots: number,
  hooks: { before?: (obs: Observation, slot: number) => void; after?: (obs: Observation, sim: Simulation, slot: number) => void },
  driver?: Policy,
): TrialConfig {
  const config = configOf({ ...raw, slots });
  const sim = buildSimulation(config, { seed, backend: "js" });
  const policy = driver ?? new GreedyPolicy({ channel: config.channel, localFractions: config.actions.localFractions, rng: stream(seed, "policy"), seed });
  for (let slot = 0; slot < slots; slot++) {
    const obs = sim.prepare(slot);
    hooks.before?.(obs, slot);
    policy.act(obs, sim.decisions);
    sim.commit(policy.name);
    hooks.after?.(obs, sim, slot);
    sim.finish(false);
  }
  return config;
}

/** Integers (and selections) equal. */
export function sameInts(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(Array.from(a), what).toEqual(Array.from(b));
}

/** Floats equal to 1e-9 relative (exact zeros and equal infinities included). */
export function closeFloats(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (!(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)))) throw new Error(`${what}[${i}]: ${x} vs ${y}`);
  }
}

export const i32s = (m: Machine, p: number, count: number): Int32Array => m.heap.i32.slice(p >> 2, (p >> 2) + count);
export const f64s = (m: Machine, p: number, count: number): Float64Array => m.heap.f64.slice(p >> 3, (p >> 3) + count);
