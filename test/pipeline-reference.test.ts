// Review: the kernel pipeline (Simulation over World, TwinLayer, TwinState and the policy
// kernels) against the TypeScript pipeline before the port (src/run/simulation.ts at 7b5c312
// over test/reference's WorldTs and TwinLayerTs, the TS baselines and MetricAccumulator), on
// the same streams: an episode's metrics must agree.
import { describe, expect, it } from "vitest";
import { AuthControl, type AuthCounts } from "../src/control/auth-control.js";
import type { ControlUnit, SlotState } from "../src/control/control-unit.js";
import { MigrationControl, type MigrationCounts } from "../src/control/migration.js";
import type { Metrics } from "../src/contracts/record.js";
import { createKernels, type Kernels } from "../src/kernels/index.js";
import { createLearningKernels } from "../src/kernels/learning.js";
import type { LearningKernels, LearningTables } from "../src/kernels/learning-tables.js";
import type { Decisions, SlotOutcome } from "../src/contracts/decisions.js";
import { ACTION_ROLES, ACTIONS, BUCKETS, Encoder, ROLES } from "../src/policy/encoding.js";
import { RewardModel } from "../src/policy/rewards.js";
import type { PolicyContext } from "../src/policy/policy.js";
import type { Observation } from "../src/twin/twin-layer.js";
import { runTrial } from "../src/run/trial.js";
import type { SlotLayout } from "../src/layout.js";
import { GreedyPolicy, NearestPolicy, RandomPolicy } from "../src/policy/baselines.js";
import { createPolicy, type Policy } from "../src/policy/index.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { runEpisode } from "../src/run/episode.js";
import { AUTH_METRICS, MetricAccumulator, MIGRATION_METRICS, type TwinTotals } from "../src/run/metrics.js";
import type { TrialConfig } from "../src/scenario/schema.js";
import { resolveScenario } from "../src/sweep/load.js";
import { stream } from "../src/world/rng.js";
import { TwinLayerTs } from "./reference/twin-layer-ts.js";
import { WorldTs } from "./reference/world-ts.js";

/** The slot of src/run/simulation.ts at 7b5c312, trimmed to what the metrics need. */
function referenceEpisode(c: TrialConfig, seed: number | string, policy: Policy, slots: number, warmupSlots: number, authSeed: number | string = seed): Metrics {
  const world = new WorldTs(c, seed);
  const twin = new TwinLayerTs(world, c.twin);
  const k: Kernels = createKernels("js");
  const L: SlotLayout = k.createLayout(world.users, world.sites.count);
  const m = world.users, n = world.sites.count, p = c.channel;
  const migration = c.migration.mode === "off" ? undefined : new MigrationControl(c.migration, { channel: c.channel, slotS: c.slotS, backhaulRateBps: c.channel.backhaulRateBps }, m);
  const auth = c.auth.mode === "off" ? undefined : new AuthControl(c.auth, { backhaulRateBps: c.channel.backhaulRateBps }, authSeed, m, n);
  const units = [migration, auth].filter((u): u is MigrationControl | AuthControl => u !== undefined && u.enabled) as ControlUnit<unknown>[];
  L.siteX.set(world.sites.xM); L.siteY.set(world.sites.yM); L.siteCpuHz.set(world.sites.cpuHz);
  L.powerMw.set(world.powerMw); L.userCpuHz.set(world.cpuHz);
  const refused = new Int32Array(m), taskType = new Int32Array(m), extraOffS = new Float64Array(m);
  const decisions = { theta: L.theta.subarray(0, m), server: L.server.subarray(0, m), migrateTo: L.migrateTo.subarray(0, m), beta: L.beta.subarray(0, m) };
  const counts = new Map<ControlUnit<unknown>, unknown>();
  const acc = new MetricAccumulator();
  const totals = (): TwinTotals => {
    const s = twin.predictors.score, d = twin.dedup, pos = twin.predictors.positionScore;
    return { predHits: s[c.twin.predictor].hits, predTotal: s[c.twin.predictor].total, stayHits: s.stay.hits, stayTotal: s.stay.total, positionErrorM: pos.errorM, positionTotal: pos.total,
      requests: d.requests, fetches: d.fetches, bitsRequested: d.bitsRequested, bitsFetched: d.bitsFetched };
  };
  let atWarmup = totals();
  for (let slot = 0; slot < slots; slot++) {
    if (slot === warmupSlots) atWarmup = totals();
    world.advance(slot);
    L.userX.set(world.pos.xM); L.userY.set(world.pos.yM);
    for (let i = 0; i < m; i++) {
      const task = world.traffic.head(i);
      L.active[i] = task ? 1 : 0; L.bits[i] = task ? task.bits : 0; L.cyclesPerBit[i] = task ? task.cyclesPerBit : 0; L.deadlineS[i] = task ? task.deadlineS : 0;
      taskType[i] = task ? task.type : -1; L.theta[i] = 1; L.migrateTo[i] = -1; L.beta[i] = 0;
    }
    const obs = twin.sync(slot, world, L, taskType);
    L.server.set(obs.serving);
    policy.act(obs as never, decisions);
    const st = { obs, decisions, L, users: m, slotS: c.slotS, refused, extraOffS } as unknown as SlotState;
    for (const u of units) u.apply(st);
    k.channel(L, m, n, p);
    let count = 0;
    for (let i = 0; i < m; i++) {
      refused[i] = 0;
      if (L.active[i] && L.theta[i] < 1 && L.rateBps[i] < p.minRateBps) { refused[i] = 1; L.theta[i] = 1; L.migrateTo[i] = -1; L.beta[i] = 0; count++; }
    }
    if (count > 0) k.channel(L, m, n, p);
    k.latency(L, m, n, p);
    extraOffS.fill(0);
    for (const u of units) counts.set(u, u.settle(st));
    for (let i = 0; i < m; i++) {
      const extra = extraOffS[i];
      if (extra <= 0 || !L.active[i] || L.theta[i] >= 1) continue;
      L.tProcS[i] = Math.max(L.tLocalS[i], L.tTransS[i] + L.tExeS[i] + L.tMigS[i] + L.tExeTargetS[i] + extra);
      L.deadlineMet[i] = L.tProcS[i] <= L.deadlineS[i] ? 1 : 0;
    }
    twin.record(L);
    policy.feedback?.(obs as never, L);
    const counted = slot >= warmupSlots;
    if (counted) acc.addSlot(counts.get(migration!) as MigrationCounts | undefined, counts.get(auth!) as AuthCounts | undefined);
    for (let i = 0; i < m; i++) {
      if (!L.active[i]) continue;
      if (counted) acc.addTask(L.tProcS[i], L.deadlineMet[i] === 1, L.theta[i], refused[i] === 1, L.rateBps[i], (slot - world.traffic.head(i)!.arrivalSlot) * c.slotS);
      world.traffic.complete(i);
    }
  }
  const end = totals();
  const twinCounted = Object.fromEntries(Object.entries(end).map(([key, v]) => [key, v - atWarmup[key as keyof TwinTotals]])) as unknown as TwinTotals;
  const a = auth?.enabled ? auth : undefined;
  const metrics = acc.result(m, c.slotS, twinCounted, a && { refusedUsers: a.refusedUsers.size, maliciousUsers: a.maliciousUsers });
  if (!migration?.enabled) for (const key of MIGRATION_METRICS) metrics[key] = null;
  if (!a) for (const key of AUTH_METRICS) metrics[key] = null;
  return metrics;
}

/**
 * src/policy/learner.ts at 7b5c312 (the TS encoder and rewards, the host's "policy" stream),
 * with the learn calls of issue 11: each evaluated step learns (pending decisions kept by the
 * kernels when gamma > 0), the episode's end closes the pending ones.
 */
class ReferenceLearner implements Policy {
  readonly encoder: Encoder;
  readonly t: LearningTables;
  training = true;
  epsilon: number;
  private readonly rewards: RewardModel;
  private readonly state: Int32Array;
  private readonly mask: Int32Array;
  rewardSum = 0;
  rewardCount = 0;

  constructor(readonly name: "il" | "jal", private readonly c: TrialConfig, private readonly ctx: PolicyContext, private readonly k: LearningKernels, users: number) {
    const n = c.sites.count;
    this.encoder = new Encoder(c, ctx, users);
    const tables = c.learning.sharing === "agent" ? users : c.learning.sharing === "site" ? n : 1;
    this.t = k.createTables({ agents: users, tables, states: this.encoder.states, actions: ACTIONS, buckets: name === "jal" ? BUCKETS : 0, roles: name === "jal" ? ROLES : 0 });
    if (name === "jal") this.t.roleOf.set(ACTION_ROLES);
    this.state = new Int32Array(users);
    this.mask = new Int32Array(users);
    this.rewards = new RewardModel(n, c.learning);
    this.epsilon = c.learning.epsilonStart;
  }

  epsilonAt(e: number): number {
    const l = this.c.learning;
    const span = Math.max(1, Math.round(l.decayShare * l.episodes));
    return e >= span ? l.epsilonEnd : l.epsilonStart + ((l.epsilonEnd - l.epsilonStart) * e) / span;
  }

  act(obs: Observation, out: Decisions): void {
    const t = this.t;
    this.encoder.encode(obs, this.state, this.mask);
    t.state.set(this.state);
    t.mask.set(this.mask);
    t.active.set(obs.active);
    const sharing = this.c.learning.sharing;
    for (let i = 0; i < obs.users; i++) t.tableOf[i] = sharing === "agent" ? i : sharing === "site" ? obs.serving[i] : 0;
    for (let i = 0; i < t.uniforms.length; i++) t.uniforms[i] = this.ctx.rng();
    const eps = this.training ? this.epsilon : 0;
    if (this.name === "jal") this.k.jalSelect(t, eps);
    else this.k.ilSelect(t, eps);
    for (let i = 0; i < obs.users; i++) if (obs.active[i]) this.encoder.decide(i, t.action[i], out.theta, out.server);
  }

  feedback(obs: Observation, o: SlotOutcome): void {
    this.rewardSum += this.rewards.compute(obs, o, this.t.reward, this.t.bucket);
    for (let i = 0; i < obs.users; i++) this.rewardCount += o.active[i];
    if (this.training) this.learn(false);
  }

  endEpisode(): void {
    this.learn(true);
  }

  takeMeanReward(): number | null {
    const m = this.rewardCount > 0 ? this.rewardSum / this.rewardCount : null;
    this.rewardSum = 0;
    this.rewardCount = 0;
    return m;
  }

  private learn(final: boolean): void {
    if (this.name === "jal") this.k.jalLearn(this.t, this.c.learning, final);
    else this.k.ilLearn(this.t, this.c.learning, final);
  }
}

function close(a: Metrics, b: Metrics): void {
  for (const key of Object.keys(b) as (keyof Metrics)[]) {
    const x = a[key], y = b[key];
    if (typeof x === "number" && typeof y === "number" && x !== y) expect(Math.abs(x - y), key).toBeLessThan(1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12);
    else expect(x, key).toEqual(y);
  }
}

const base = { slots: 30, users: { perSite: 5 }, sites: { count: 5, placement: "random" }, tasks: { arrivalRate: 0.2 }, seeds: [7] };
const cases: Record<string, object> = {
  defaultMobility: {},
  rwp: { mobility: { model: "randomWaypoint", speedMps: { min: 5, max: 15 } } },
  gaussMarkovLeastLoadedCatalogue: { mobility: { model: "gaussMarkov" }, association: { rule: "leastLoaded" }, tasks: { arrivalRate: 0.2, catalogue: { types: 6 } } },
  syncVelocityMigration: { mobility: { model: "randomWaypoint", speedMps: { min: 5, max: 15 } }, twin: { syncPeriodSlots: 3, predictor: "velocity" }, migration: { mode: "proactive" } },
  markovReactive: { mobility: { model: "gaussMarkov" }, twin: { syncPeriodSlots: 2, predictor: "markov" }, migration: { mode: "reactive" } },
  auth: { auth: { mode: "modeled", maliciousShare: 0.3 }, migration: { mode: "relay" } },
};

describe("review: kernel pipeline vs the TypeScript pipeline before the port", () => {
  for (const [name, over] of Object.entries(cases)) {
    it(`${name}: greedy, nearest and random episodes give the same metrics`, () => {
      const c = resolveScenario({ ...base, ...over }, "s.json").points[0].config;
      for (const pol of ["greedy", "nearest", "random"] as const) {
        const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(7, "policy"), seed: 7 };
        const ref = referenceEpisode(c, 7, pol === "greedy" ? new GreedyPolicy(ctx) : pol === "nearest" ? new NearestPolicy(ctx) : new RandomPolicy(ctx), 30, 4);
        for (const backend of ["wasm", "js"] as const) {
          const sim = buildSimulation(c, { seed: 7, backend });
          const got = runEpisode(sim, createPolicy(pol, { ...ctx, rng: stream(7, "policy") }, { config: c, users: sim.users, backend: sim.k.machine }), { slots: 30, warmupSlots: 4 });
          close(got, ref);
        }
      }
    });
  }
});

describe("review: a learner's trial vs the TypeScript pipeline and learner before the port", () => {
  const learners: Record<string, object> = {
    il: { policies: ["il"], mobility: { model: "gaussMarkov" }, twin: { syncPeriodSlots: 2 }, migration: { mode: "proactive" } },
    jal: { policies: ["jal"], sites: { count: 4, placement: "random" }, learning: { sharing: "agent", reward: "agent" }, tasks: { arrivalRate: 0.2, catalogue: { types: 4 } } },
    ilAuth: { policies: ["il"], learning: { sharing: "all" }, auth: { mode: "modeled", maliciousShare: 0.2 } },
    jalPaperReward: { policies: ["jal"], learning: { gamma: 0.5, rewardForm: "inverseLatency", stepSize: "constant", alpha: 0.1 } },
    ilPendingMigration: { policies: ["il"], mobility: { model: "gaussMarkov" }, migration: { mode: "reactive" }, learning: { gamma: 0.9, alphaMin: 0.05 } },
  };
  for (const [name, over] of Object.entries(learners)) {
    it(`${name}: training rewards and evaluation metrics agree`, () => {
      const o = over as { learning?: object };
      const { trials } = resolveScenario({ ...base, ...over, warmupSlots: 4, learning: { episodes: 3, slotsPerEpisode: 15, ...o.learning } }, "s.json");
      const spec = trials[0], c = spec.config, seed = spec.seed;
      const ctx = { channel: c.channel, localFractions: c.actions.localFractions, rng: stream(seed, "policy"), seed };
      const ref = new ReferenceLearner(spec.policy as "il" | "jal", c, ctx, createLearningKernels("js"), c.users.perSite! * c.sites.count);
      const rewardByEpisode: (number | null)[] = [];
      for (let e = 0; e < c.learning.episodes; e++) {
        ref.training = true;
        ref.epsilon = ref.epsilonAt(e);
        referenceEpisode(c, `${seed}/train${e}`, ref, c.learning.slotsPerEpisode, 0, seed);
        ref.endEpisode();
        rewardByEpisode.push(ref.takeMeanReward());
      }
      ref.training = false;
      ref.takeMeanReward();
      const metrics = referenceEpisode(c, seed, ref, c.slots, c.warmupSlots, seed);
      for (const backend of ["wasm", "js"] as const) {
        const r = runTrial(spec, backend).record;
        if (r.status !== "ok") throw new Error(r.error);
        expect(r.training!.rewardByEpisode.length).toBe(rewardByEpisode.length);
        r.training!.rewardByEpisode.forEach((x, e) => expect(Math.abs(x! - rewardByEpisode[e]!), `${backend} episode ${e}`).toBeLessThan(1e-9 * Math.abs(x!)));
        close(r.metrics, metrics);
      }
    });
  }
});
