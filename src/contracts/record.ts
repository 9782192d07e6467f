// The trial record: what one finished trial leaves in `trials/<id>.json`, and the schema
// that checks it when read back from disk. Run writes it; results, merge and plot read it.
// This file is a contract between them, so it depends on nothing but zod.
import { z } from "zod";

/** The metrics of a trial record, in the order summary.csv lists them. */
export const METRICS = [
  "latencyS", "responseS", "deadlineMissRate", "offloadRatio", "infeasibleRate", "reward",
  "systemCostS", "queueWaitS", "uploadRateBps", "tasks",
  "migrationsPerUserHour", "relaysPerUserHour", "interruptionsPerUserHour", "migrationDelayS", "relayDelayS",
  "nextCellAccuracy", "nextCellAccuracyStay", "nextPositionErrorM", "fetchSavedShare", "fetchSavedBitsPerSlot",
  "fullHandshakesPerUserHour", "resumedSessionsPerUserHour", "authRefusalsPerUserHour", "authDelayS", "refusedUsers", "maliciousUsers",
] as const;
export type MetricName = (typeof METRICS)[number];
/** Means over no events are null (JSON has no NaN). */
export type Metrics = Record<MetricName, number | null>;

/** The kernel backends a record may name. */
const RECORD_BACKENDS = ["wasm", "js"] as const;
type RecordBackend = (typeof RECORD_BACKENDS)[number];

type AxisValue = number | string | boolean;

/**
 * A plug-in policy's module (docs/plugins.md): its path as the scenario names it (relative to
 * the scenario's folder), the SHA-256 of the file's bytes, and the entry's options. The hash
 * and the options are part of the trial id, so a changed plug-in is never reused.
 */
export interface PluginRef {
  module: string;
  sha256: string;
  options: Record<string, unknown>;
}

/** What a learner's training produced: the Fig. 4 curve and the size of its tables. */
export interface TrainingRecord {
  episodes: number;
  slotsPerEpisode: number;
  tableBytes: number;
  /** Mean reward per agent-step of each training episode (null: no task in it). */
  rewardByEpisode: (number | null)[];
  /** The held-out greedy evaluations (learning.heldOut), when any ran. */
  heldOut?: HeldOutRecord;
}

/** The learner, greedy and frozen, on fixed worlds no training episode sees, after some training episodes. */
export interface HeldOutRecord {
  worlds: number;
  slots: number;
  /** Training episodes done before each evaluation (1-based: after episode k). */
  episode: number[];
  /** Mean latencyS and responseS over the tasks of all the held-out worlds (null: no task). */
  latencyS: (number | null)[];
  responseS: (number | null)[];
}

/**
 * What a trial claims to be and who computed it. `pointIndex` and `config` let a reader
 * re-derive the id (the content hash of {config, policy, seed}) and order the records
 * (points in expansion order, then policy, then seed) without re-expanding the scenario
 * under today's schema.
 */
export interface TrialRecordBase {
  id: string;
  scenario: string;
  pointIndex: number;
  point: Record<string, AxisValue>;
  policy: string;
  seed: number;
  /** A plug-in policy's module, hash and options (absent for a built-in). */
  plugin?: PluginRef;
  /** The resolved trial configuration the id hashes. */
  config: Record<string, unknown>;
  backend: RecordBackend;
  /** What computed it: a record is reused only when both still match. */
  codeHash: string;
  wasmSha256: string | null;
}

/** A trial's record as held in memory. On disk it also carries `digest`. */
export type TrialRecord =
  | (TrialRecordBase & { status: "ok"; users: number; sites: number; slots: number; metrics: Metrics; training?: TrainingRecord })
  | (TrialRecordBase & { status: "failed"; error: string });

/** The file form: the record plus the SHA-256 of its canonical JSON without this field. */
export type StoredRecord = TrialRecord & { digest: string };

const count = z.number().int().min(0);
const hex = (n?: number) => (n === undefined ? z.string().regex(/^[0-9a-f]+$/) : z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`)));

/**
 * Every metric is a number or null. A metric missing from a record (one written before the
 * metric existed) is read as absent, i.e. no value, so old folders still summarise.
 */
const metricsSchema = z.looseObject(Object.fromEntries(METRICS.map((m) => [m, z.number().nullable().optional()])) as Record<MetricName, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>);

const trainingSchema = z.looseObject({
  episodes: count,
  slotsPerEpisode: count,
  tableBytes: count,
  rewardByEpisode: z.array(z.number().nullable()),
  heldOut: z.looseObject({
    worlds: count,
    slots: count,
    episode: z.array(count),
    latencyS: z.array(z.number().nullable()),
    responseS: z.array(z.number().nullable()),
  }).optional(),
});

/** Fields a later version adds pass through (and stay covered by the digest). */
const base = {
  id: hex(16),
  scenario: z.string(),
  pointIndex: count,
  point: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  policy: z.string().min(1),
  seed: count,
  plugin: z.strictObject({ module: z.string(), sha256: hex(64), options: z.record(z.string(), z.unknown()) }).optional(),
  config: z.record(z.string(), z.unknown()),
  backend: z.enum(RECORD_BACKENDS),
  codeHash: z.string(),
  wasmSha256: hex(64).nullable(),
  digest: hex(64),
};

/** The schema a `trials/<id>.json` file must satisfy before anything uses it. */
export const storedRecordSchema = z.discriminatedUnion("status", [
  z.looseObject({ ...base, status: z.literal("ok"), users: count, sites: count, slots: count, metrics: metricsSchema, training: trainingSchema.optional() }),
  z.looseObject({ ...base, status: z.literal("failed"), error: z.string() }),
]);

/** The part of a record its id is derived from: for a plug-in, also its module's hash and its options (not its path). */
export function idContent(r: Pick<TrialRecord, "config" | "policy" | "seed" | "plugin">): Record<string, unknown> {
  const base = { config: r.config, policy: r.policy, seed: r.seed };
  return r.plugin ? { ...base, plugin: { sha256: r.plugin.sha256, options: r.plugin.options } } : base;
}
