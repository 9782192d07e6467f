// The scenario file: every field validated, unknown fields refused, every default filled.
// Defaults are Table I of the paper and, where it is silent, the stated assumptions of docs/paper.md#silent.
import { z } from "zod";
import { channelParams, TABLE_I } from "../model/params.js";
import { finite, fraction, nonNegative, nonNegativeInt, positive, positiveInt } from "../validation.js";
import { MAX_SEED_COUNT } from "./limits.js";
import { policyEntry, policyNames } from "./plugin-entry.js";

export { POLICY_NAMES, type PolicyName } from "./plugin-entry.js";

const range = (min: number, max: number, bound: () => z.ZodNumber = nonNegative) =>
  z.strictObject({ min: bound(), max: bound() })
    .refine((r) => r.min <= r.max, { error: "expected min <= max", path: ["max"] })
    .prefault({ min, max });

/**
 * The largest value a distribution's parameter, an area side or a coordinate may take: far
 * beyond any physical task (1e15 bit, 1e15 cycles per bit) or area (1e7 m), and far enough
 * below overflow that the model's products and squared distances stay finite.
 */
const MAX_QUANTITY = 1e15;
const MAX_DISTANCE_M = 1e7;
const quantity = () => nonNegative().max(MAX_QUANTITY, { error: `expected at most ${MAX_QUANTITY}` });
const positiveQuantity = () => positive().max(MAX_QUANTITY, { error: `expected at most ${MAX_QUANTITY}` });
const coordinate = () => finite().min(-MAX_DISTANCE_M, { error: `expected at least -${MAX_DISTANCE_M}` }).max(MAX_DISTANCE_M, { error: `expected at most ${MAX_DISTANCE_M}` });

/** A non-negative random quantity; `normal` is clamped to [min, max] so draws stay in its domain. */
export const distribution = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("constant"), value: quantity() }),
  z.strictObject({ dist: z.literal("uniform"), min: quantity(), max: quantity() })
    .refine((d) => d.min <= d.max, { error: "expected min <= max", path: ["max"] }),
  z.strictObject({ dist: z.literal("normal"), mean: quantity(), sd: quantity(), min: quantity().default(0), max: positiveQuantity().optional() })
    .refine((d) => d.max === undefined || d.min <= d.max, { error: "expected min <= max", path: ["max"] }),
  z.strictObject({ dist: z.literal("exponential"), mean: positiveQuantity() }),
  /** Uniform on mean x [1 - spread, 1 + spread]: sweep the mean (Fig. 6) with the shape fixed. */
  z.strictObject({
    dist: z.literal("centred"),
    mean: positiveQuantity(),
    spread: fraction().default(2 / 3).describe(
      "Half-width of the range as a fraction of the mean, in [0, 1] (not an absolute amount): values are uniform on "
      + "mean x [1 - spread, 1 + spread]; 0 is the constant mean, the default 2/3 gives [mean/3, 5 mean/3].",
    ),
  }),
], { error: 'expected {"dist": "constant" | "uniform" | "normal" | "exponential" | "centred", ...}' });
export type Distribution = z.output<typeof distribution>;

const point = z.strictObject({ xM: coordinate(), yM: coordinate() });

const sites = z.strictObject({
  count: positiveInt().default(15),
  placement: z.enum(["grid", "random", "explicit"], { error: 'expected "grid", "random" or "explicit"' }).default("grid"),
  /** Required with placement "explicit", one per site. */
  positions: z.array(point).optional(),
  /** One value for every site, or one per site. */
  cpuHz: z.union([positive(), z.array(positive())], { error: "expected a positive number or an array of them" }).default(TABLE_I.siteCpuHz),
}).superRefine((s, ctx) => {
  if (s.placement === "explicit") {
    if (!s.positions) ctx.addIssue({ code: "custom", path: ["positions"], message: 'required with placement "explicit"' });
    else if (s.positions.length !== s.count) ctx.addIssue({ code: "custom", path: ["positions"], message: `expected ${s.count} positions (sites.count), got ${s.positions.length}` });
  } else if (s.positions) {
    ctx.addIssue({ code: "custom", path: ["positions"], message: 'only allowed with placement "explicit"' });
  }
  if (Array.isArray(s.cpuHz) && s.cpuHz.length !== s.count) {
    ctx.addIssue({ code: "custom", path: ["cpuHz"], message: `expected ${s.count} values (sites.count), got ${s.cpuHz.length}` });
  }
});

const users = z.strictObject({
  /** Users per site (M = perSite x sites.count); give this or total, not both. */
  perSite: positiveInt().optional(),
  total: positiveInt().optional(),
  cpuHz: positive().default(TABLE_I.userCpuHz),
  powerMw: positive().default(TABLE_I.powerMw),
}).superRefine((u, ctx) => {
  if (u.perSite !== undefined && u.total !== undefined) ctx.addIssue({ code: "custom", path: ["total"], message: "give users.perSite or users.total, not both" });
}).transform(({ perSite, total, cpuHz, powerMw }) =>
  // One key order whatever the input's, so resolved scenarios serialise identically.
  (total !== undefined ? { total, cpuHz, powerMw } : { perSite: perSite ?? 30, cpuHz, powerMw }));

const mobility = z.discriminatedUnion("model", [
  z.strictObject({ model: z.literal("static") }),
  z.strictObject({
    model: z.literal("randomWaypoint"),
    speedMps: range(0.5, 2, positive),
    pauseS: range(0, 10),
  }),
  /** Gauss-Markov (vehicles by default): smooth, correlated speed and direction. */
  z.strictObject({
    model: z.literal("gaussMarkov"),
    meanSpeedMps: nonNegative().default(15),
    speedSdMps: nonNegative().default(3),
    directionSdRad: nonNegative().default(0.4),
    alpha: fraction().default(0.85),
  }),
  /**
   * Replay of a CSV trace (t,userId,xM,yM; scenarios/traces/README.md), `file` relative to the
   * scenario file. `sha256` is filled in at load (a given one must match the file).
   */
  z.strictObject({
    model: z.literal("trace"),
    file: z.string({ error: "expected a file path" }).min(1, { error: "expected a file path" }),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a hex SHA-256" }).optional(),
  }),
], { error: 'expected {"model": "static" | "randomWaypoint" | "gaussMarkov" | "trace", ...}' });

const arrivalRate = finite("a number in (0, 0.2]").gt(0, { error: "expected a number in (0, 0.2]" }).max(0.2, { error: "expected a number in (0, 0.2]" });

const tasks = z.strictObject({
  /** Poisson mean of arrivals per user per slot (paper: (0, 0.2]). */
  arrivalRate: arrivalRate.default(0.1),
  bits: distribution.default({ dist: "uniform", min: 2e5, max: 1e6 }),
  cyclesPerBit: distribution.default({ dist: "constant", value: 500 }),
  deadlineS: positive().default(TABLE_I.deadlineS),
  /**
   * Task types with Zipf popularity; each type's bits and cyclesPerBit are drawn once from the
   * distributions above. null: every task is its own type.
   */
  catalogue: z.strictObject({ types: positiveInt(), zipfExponent: nonNegative().default(0.8) }).nullable().default(null),
});

const twin = z.strictObject({
  /** Slots between syncs of the twin with the physical world; > 1 makes a stale twin. */
  syncPeriodSlots: positiveInt().default(1),
  /** Syncs of position, cell, request and load history kept per entity. */
  historyLength: positiveInt().default(16),
  /** Next-cell predictor the migration control unit uses (all three are scored). */
  predictor: z.enum(["stay", "velocity", "markov"], { error: 'expected "stay", "velocity" or "markov"' }).default("velocity"),
});

const migration = z.strictObject({
  /**
   * off: no service placement (tasks run where they are uploaded). relay: a service never
   * moves; tasks reach it over the backhaul. reactive: it follows its user into each new cell.
   * proactive: it moves to the cell the trigger says the user is about to enter.
   */
  mode: z.enum(["off", "relay", "reactive", "proactive"], { error: 'expected "off", "relay", "reactive" or "proactive"' }).default("off"),
  /** prediction: the twin's next cell; hysteresis: another site received hysteresisDb stronger. */
  trigger: z.enum(["prediction", "hysteresis"], { error: 'expected "prediction" or "hysteresis"' }).default("prediction"),
  hysteresisDb: nonNegative().default(3),
  /** beta of eq. 7-9 as a share of the offloaded part: executed at the source before moving. */
  sourceShare: fraction().default(0),
  /**
   * Size of a service's state, copied over the backhaul (channel.backhaulRateBps, else 1 Gbit/s)
   * when it migrates. 0: a task in flight carries the migration (eq. 7-9).
   */
  stateBits: nonNegative().default(0),
  /** Fixed latency added to every relayed task (backhaul hops), s. */
  relayPenaltyS: nonNegative().default(0.005),
});

const learning = z.strictObject({
  /** Training episodes before the evaluation episode (the paper's curve settles after about 1500). */
  episodes: positiveInt().default(200),
  slotsPerEpisode: positiveInt().default(50),
  /**
   * Step size of the Q update (docs/model.md "## Learning", with the ablation behind the
   * defaults). visits (default): 1/n(s, a), n the entry's visit count, floored at alphaMin (a
   * sample mean while n < 1/alphaMin, then an exponential average with weight alphaMin).
   * constant: alpha at every update.
   */
  stepSize: z.enum(["constant", "visits"], { error: 'expected "constant" or "visits"' }).default("visits"),
  /** The constant step size (stepSize "constant"). */
  alpha: finite("a number in (0, 1]").gt(0, { error: "expected a number in (0, 1]" }).max(1, { error: "expected a number in (0, 1]" }).default(0.025),
  /** The floor of 1/n (stepSize "visits"); 0 keeps the exact sample mean. */
  alphaMin: fraction().default(0.02),
  /**
   * Discount of the next decision's value. 0 (default): an action cannot change the agent's
   * next state (its cell, distance, cell load and task size), so each decision is a one-step
   * problem. Above 0, a decision bootstraps on the agent's next decision (its next slot with a task).
   */
  gamma: fraction().default(0),
  /**
   * mfq's Boltzmann policy pi(a | s, mean) ~ exp(mfqBeta Q), in 1 / reward unit (1/s for the
   * -T_proc reward): at 50, an action 0.02 s slower in expectation is drawn e^-1 as often.
   * mfq explores by this policy alone (epsilon is IL's and JAL's); its evaluation is greedy.
   */
  mfqBeta: nonNegative().default(50),
  /** Exploration: epsilon falls linearly from start to end over the first decayShare of the episodes. */
  epsilonStart: fraction().default(1),
  epsilonEnd: fraction().default(0.05),
  decayShare: fraction().default(0.8),
  /** One Q-table per agent, per site (the agents of a cell share it), or one for all. */
  sharing: z.enum(["agent", "site", "all"], { error: 'expected "agent", "site" or "all"' }).default("site"),
  /** Whose reward: team, the mean over the cell's acting agents (the paper's common reward); agent: its own. */
  reward: z.enum(["team", "agent"], { error: 'expected "team" or "agent"' }).default("team"),
  /**
   * What is rewarded. negLatency (default): -T_proc, so the learned values rank actions by
   * expected latency, the metric. inverseLatency: 1/T_proc (T_proc floored at 1 ms), the
   * paper's reward (IV-C); 1/T is convex, so maximising its mean favours risky fast offloads.
   */
  rewardForm: z.enum(["negLatency", "inverseLatency"], { error: 'expected "negLatency" or "inverseLatency"' }).default("negLatency"),
  /**
   * The held-out greedy evaluation beside the training curve (Fig. 4): after every `every`
   * training episodes (default: a twentieth of them; 0: never) and after the last, the learner,
   * greedy and frozen, runs `slots` slots on each of `worlds` fixed worlds that no training
   * episode (nor the trial's evaluation) sees. It leaves the training exactly as it was.
   */
  heldOut: z.strictObject({
    every: nonNegativeInt().optional(),
    worlds: positiveInt().default(2),
    slots: positiveInt().default(50),
  }).prefault({}),
});

const auth = z.strictObject({
  /**
   * off: everyone is trusted. crypto: the real protocol (Ed25519, node:crypto). modeled: the
   * protocol's messages, counts and delays without the cryptography, for very large sweeps.
   */
  mode: z.enum(["off", "crypto", "modeled"], { error: 'expected "off", "crypto" or "modeled"' }).default("off"),
  /** How long a (user, site) session stays valid, s of simulated time. */
  sessionLifetimeS: positive().default(300),
  /** With migration, the last site signs a ticket so the next site resumes without a full handshake. */
  trustTransfer: z.boolean({ error: "expected true or false" }).default(true),
  /** Share of users injected with bad credentials (expired, revoked, foreign, tampered, ...). */
  maliciousShare: fraction().default(0),
  /** Computation charged per Ed25519 signature and verification, s (measured here: about 30 and 90 µs). */
  signS: nonNegative().default(3e-5),
  verifyS: nonNegative().default(9e-5),
});

const output = z.strictObject({
  /** Write tasks/<trial id>.csv: one row per task with its decision and eq. 1-9 terms. */
  taskRecords: z.boolean({ error: "expected true or false" }).default(false),
});

const association = z.strictObject({
  /** nearest: the closest site; leastLoaded: the least-loaded of the `candidates` closest. */
  rule: z.enum(["nearest", "leastLoaded"], { error: 'expected "nearest" or "leastLoaded"' }).default("nearest"),
  candidates: positiveInt().default(3),
});

const actions = z.strictObject({
  /** Local fractions theta a policy may choose; 1 (all local) is always allowed. */
  localFractions: z.array(fraction()).min(1, { error: "expected at least one fraction" }).default([0, 0.25, 0.5, 0.75, 1]),
});

const axisValues = z.union([
  z.array(z.union([finite(), z.string(), z.boolean()])).min(1, { error: "expected a non-empty list of values" })
    // A repeated value would be one trial counted twice in the summary.
    .refine((a) => new Set(a).size === a.length, { error: "expected distinct values" }),
  z.strictObject({ min: finite(), max: finite(), step: positive() })
    .refine((r) => r.min <= r.max, { error: "expected min <= max", path: ["max"] }),
], { error: "expected a non-empty list of values or {min, max, step}" });

// A count n means seeds 1..n, listed here: limits.ts checks the count (MAX_SEED_COUNT and the
// trial cap) on the raw file first, and the max below keeps the listing bounded whoever parses.
const seeds = z.union([
  positiveInt().max(MAX_SEED_COUNT).transform((n) => Array.from({ length: n }, (_, i) => i + 1)),
  z.array(nonNegativeInt()).min(1, { error: "expected at least one seed" })
    .refine((a) => new Set(a).size === a.length, { error: "expected distinct seeds" }),
], { error: `expected a count of seeds (at most ${MAX_SEED_COUNT}) or a list of distinct non-negative integers` });

/** One simulated configuration: everything a trial needs except policy and seed. */
export const trialConfigShape = {
  slots: positiveInt().default(100),
  /** Leading slots simulated but not counted, so queues and twins settle. */
  warmupSlots: nonNegativeInt().default(0),
  slotS: positive().default(1),
  area: z.strictObject({
    widthM: positive().max(MAX_DISTANCE_M, { error: `expected at most ${MAX_DISTANCE_M}` }).default(500),
    heightM: positive().max(MAX_DISTANCE_M, { error: `expected at most ${MAX_DISTANCE_M}` }).default(500),
  }).prefault({}),
  sites: sites.prefault({}),
  users: users.prefault({}),
  mobility: mobility.default({ model: "randomWaypoint", speedMps: { min: 0.5, max: 2 }, pauseS: { min: 0, max: 10 } }),
  tasks: tasks.prefault({}),
  channel: channelParams.prefault({}),
  association: association.prefault({}),
  actions: actions.prefault({}),
  twin: twin.prefault({}),
  migration: migration.prefault({}),
  learning: learning.prefault({}),
  auth: auth.prefault({}),
  output: output.prefault({}),
};

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "expected letters, digits, '.', '_' or '-'" }).optional(),
  description: z.string().optional(),
  seeds: seeds.default([1, 2, 3]),
  /** Built-in names, or plug-ins {name, module, options} (src/scenario/plugin-entry.ts, docs/plugins.md). */
  policies: z.array(policyEntry)
    .min(1, { error: "expected at least one policy" })
    .superRefine((a, ctx) => {
      const names = policyNames(a);
      names.forEach((n, k) => {
        if (names.indexOf(n) !== k) ctx.addIssue({ code: "custom", path: typeof a[k] === "string" ? [k] : [k, "name"], message: `expected distinct policies: ${JSON.stringify(n)} is also policies[${names.indexOf(n)}]` });
      });
    })
    .default(["local", "random", "nearest", "greedy"]),
  /** paired.csv's references: each policy is compared seed by seed with each of these (default: every policy). */
  reference: z.union([z.string(), z.array(z.string()).min(1, { error: "expected at least one policy" })
    .refine((a) => new Set(a).size === a.length, { error: "expected distinct policies" })], { error: "expected a policy name or a list of them" }).optional(),
  /** Axes: a dotted path into this file (e.g. "users.perSite") and its values. */
  sweep: z.record(z.string(), axisValues).default({}),
  ...trialConfigShape,
}).superRefine((s, ctx) => {
  if (s.warmupSlots >= s.slots) ctx.addIssue({ code: "custom", path: ["warmupSlots"], message: `expected fewer than slots (${s.slots})` });
  const refs = typeof s.reference === "string" ? [s.reference] : s.reference ?? [];
  const names = policyNames(s.policies);
  refs.forEach((r, k) => {
    if (!names.includes(r)) {
      ctx.addIssue({ code: "custom", path: typeof s.reference === "string" ? ["reference"] : ["reference", k], message: `expected one of this scenario's policies (${names.join(", ")}), got ${JSON.stringify(r)}` });
    }
  });
  const why = s.policies.includes("optimum") ? optimumUnsupported(s) : undefined;
  if (why) ctx.addIssue({ code: "custom", path: ["policies"], message: `"optimum" needs ${why}` });
});

/**
 * Why a configuration cannot run the oracle policy "optimum", or undefined (called by the
 * scenario check above and createPolicy): its objective is the slot kernels' cost, which the
 * migration and authentication control units change after the policy decides.
 */
export function optimumUnsupported(c: { migration: { mode: string }; auth: { mode: string } }): string | undefined {
  if (c.migration.mode !== "off") return `migration.mode "off" (the control unit re-routes tasks after the policy decides; got "${c.migration.mode}")`;
  if (c.auth.mode !== "off") return `auth.mode "off" (authentication delays and refusals change the slot's cost; got "${c.auth.mode}")`;
  return undefined;
}

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
/** The resolved configuration of one sweep point. */
export type TrialConfig = Omit<Scenario, "$schema" | "name" | "description" | "seeds" | "policies" | "reference" | "sweep">;
