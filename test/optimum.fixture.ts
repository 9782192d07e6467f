// Shared by the optimum tests: true slot states of seeded worlds (positions, tasks, greedy's
// decisions before admission), loaded into a machine's slot layout, and the slot's system cost
// recomputed from scratch with the simulation's own kernels (channel, minimum-rate admission,
// channel, latency) for any decisions.
import type { Decisions } from "../src/contracts/decisions.js";
import { createKernels, type Backend, type Kernels, type SlotParams } from "../src/kernels/index.js";
import type { SlotLayout } from "../src/layout.js";
import { GreedyPolicy } from "../src/policy/baselines.js";
import { KernelOptimum } from "../src/policy/kernel-optimum.js";
import type { Policy } from "../src/policy/policy.js";
import { admitUploads } from "../src/run/admission.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { stream } from "../src/world/rng.js";
import { configOf, step } from "./policy-kernels.fixture.js";

/** One slot's true state and a set of decisions for its users. */
export interface SlotCase {
  name: string;
  config: TrialConfig;
  users: number;
  sites: number;
  arrays: Record<(typeof USER_F64)[number] | (typeof SITE_F64)[number], Float64Array> & { active: Int32Array };
  theta: Float64Array;
  server: Int32Array;
}

const USER_F64 = ["userX", "userY", "powerMw", "userCpuHz", "bits", "cyclesPerBit"] as const;
const SITE_F64 = ["siteX", "siteY", "siteCpuHz"] as const;

/**
 * Slots `at` of world `raw` (seed `seed`), the TS greedy deciding on the twin: each slot's true
 * state with greedy's decisions as written (before the sites refuse anything) or, when
 * `randomised`, seeded random decisions (local, or a random fraction < 1 to a random site).
 */
export function slotCases(name: string, raw: object, seed: number, at: number[], randomised = false): SlotCase[] {
  const slots = Math.max(...at) + 1;
  const config = configOf({ ...raw, slots });
  const greedy = new GreedyPolicy({ channel: config.channel, localFractions: config.actions.localFractions, rng: stream(seed, "policy"), seed });
  let decided = { theta: new Float64Array(0), server: new Int32Array(0) };
  const driver: Policy = {
    name: "greedy",
    act(obs, out: Decisions) {
      greedy.act(obs, out);
      decided = { theta: out.theta.slice(), server: out.server.slice() };
    },
  };
  const rng = stream(seed, "test-decisions");
  const fractions = config.actions.localFractions.filter((f) => f < 1);
  const cases: SlotCase[] = [];
  step(raw, seed, slots, {
    after: (_obs, sim, slot) => {
      if (!at.includes(slot)) return;
      const L = sim.L, m = sim.users, n = sim.sites;
      const arrays = { active: L.active.slice(0, m) } as SlotCase["arrays"];
      for (const k of USER_F64) arrays[k] = L[k].slice(0, m);
      for (const k of SITE_F64) arrays[k] = L[k].slice(0, n);
      const theta = decided.theta.slice(), server = decided.server.slice();
      if (randomised) {
        for (let i = 0; i < m; i++) {
          if (!arrays.active[i]) continue;
          if (rng() < 0.3 || fractions.length === 0) {
            theta[i] = 1;
          } else {
            theta[i] = fractions[Math.floor(rng() * fractions.length)];
            server[i] = Math.floor(rng() * n);
          }
        }
      }
      cases.push({ name: `${name}, slot ${slot}${randomised ? ", random decisions" : ""}`, config, users: m, sites: n, arrays, theta, server });
    },
  }, driver);
  return cases;
}

/** A machine of one backend with a slot layout for the case, a second for recomputation, and the descent's scratch. */
export class Bench {
  readonly k: Kernels;
  readonly L: SlotLayout;
  private readonly full: SlotLayout;
  readonly optimum: KernelOptimum;
  readonly params: SlotParams;

  constructor(backend: Backend, readonly c: SlotCase) {
    this.k = createKernels(backend);
    this.L = this.k.createLayout(c.users, c.sites);
    this.full = this.k.createLayout(c.users, c.sites);
    const fr = c.config.actions.localFractions;
    const fractionsPtr = this.k.machine.alloc(8 * fr.length);
    this.k.machine.heap.f64.set(fr, fractionsPtr >>> 3);
    this.optimum = new KernelOptimum(this.k.machine, { channel: c.config.channel, localFractions: fr }, fractionsPtr, c.users, c.sites);
    this.params = c.config.channel;
    for (const L of [this.L, this.full]) this.load(L, c.theta, c.server);
  }

  private load(L: SlotLayout, theta: ArrayLike<number>, server: ArrayLike<number>): void {
    const a = this.c.arrays;
    for (const k of USER_F64) L[k].set(a[k]);
    for (const k of SITE_F64) L[k].set(a[k]);
    L.active.set(a.active);
    L.theta.set(theta);
    L.server.set(server);
    L.migrateTo.fill(-1);
    L.beta.fill(0);
  }

  /** The slot's system cost for these decisions, by the simulation's kernels from scratch; `refused` as the sites decided. */
  fullCost(theta: ArrayLike<number>, server: ArrayLike<number>): { cost: number; refused: Int32Array } {
    const { c, full } = this;
    this.load(full, theta, server);
    admitUploads(this.k, full, c.users, c.sites, this.params);
    const cost = this.k.latency(full, c.users, c.sites, this.params);
    return { cost, refused: full.refused.slice(0, c.users) };
  }

  /** The descent's incremental cost of every single-user option (per active user: local, then site x fraction). */
  optionCosts(): Float64Array[] {
    const { c, L } = this;
    const per = 1 + c.sites * c.config.actions.localFractions.length;
    const out = this.k.machine.alloc(8 * per * Math.max(c.users, 1));
    const count = this.optimum.optionCosts(L, c.users, c.sites, L.theta.byteOffset, L.server.byteOffset, out);
    const f = this.k.machine.heap.f64;
    return Array.from({ length: count }, (_, a) => f.slice((out >>> 3) + a * per, (out >>> 3) + (a + 1) * per));
  }

  /** Runs the descent on the layout's decisions; returns the stats and the decisions it wrote. */
  improve(): { stats: Float64Array; theta: Float64Array; server: Int32Array } {
    const { c, L } = this;
    const stats = this.optimum.improve(L, c.users, c.sites, L.theta.byteOffset, L.server.byteOffset);
    return { stats, theta: L.theta.slice(0, c.users), server: L.server.slice(0, c.users) };
  }
}

/** The decisions of option `o` (0 local, 1 + b·F + k site b fraction k) for user i, the others as given. */
export function withOption(c: SlotCase, theta: Float64Array, server: Int32Array, i: number, o: number): { theta: Float64Array; server: Int32Array } {
  const t = theta.slice(), s = server.slice();
  if (o === 0) t[i] = 1;
  else {
    const fr = c.config.actions.localFractions, b = Math.floor((o - 1) / fr.length);
    t[i] = fr[(o - 1) % fr.length];
    s[i] = b;
  }
  return { theta: t, server: s };
}

/** The active users' indices, in order. */
export const activeUsers = (c: SlotCase): number[] => Array.from(c.arrays.active.keys()).filter((i) => c.arrays.active[i] !== 0);
