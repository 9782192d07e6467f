// Limits a scenario is checked against before anything is listed or allocated: the trial
// count is computed arithmetically from the raw file (seeds as a count, sweep ranges as
// min/max/step), so `seeds: 1e9` or a 10^9-point sweep is refused at once instead of being
// materialised. The memory estimate of one trial is checked later, per sweep point
// (src/sweep/memory.ts), against `maxMemoryBytes`.
import { InputError } from "../validation.js";

export interface Limits {
  /** Trials (points x policies x seeds) a scenario may expand to: `--max-trials`. */
  maxTrials: number;
  /** Estimated memory of one trial, bytes: `--max-memory-gib`. */
  maxMemoryBytes: number;
  /** User-slots one trial may simulate (training and held-out slots included); default MAX_TRIAL_USER_SLOTS. */
  maxUserSlots?: number;
}

/**
 * A trial simulating more user-slots than this is refused up front: 10^12 is about 40 hours of
 * one core at the measured 7 M agent-steps per second (docs/performance.md), far beyond any
 * sweep's trial, so only a slip (slots: 1e15, learning.episodes: 1e12) reaches it.
 */
export const MAX_TRIAL_USER_SLOTS = 1e12;

export const GIB = 2 ** 30;
export const DEFAULT_MAX_TRIALS = 100_000;
export const DEFAULT_MAX_MEMORY_GIB = 8;
export const DEFAULT_LIMITS: Limits = { maxTrials: DEFAULT_MAX_TRIALS, maxMemoryBytes: DEFAULT_MAX_MEMORY_GIB * GIB };
/** For re-reading a result folder's scenario.json: its trials were admitted when it was run. */
export const UNLIMITED: Limits = { maxTrials: Infinity, maxMemoryBytes: Infinity, maxUserSlots: Infinity };

/** Seeds given as a count n are listed (1..n) in memory: above this count they are refused whatever the caps. */
export const MAX_SEED_COUNT = 1_000_000;

/** Default counts of the fields the trial count multiplies (keep in step with schema.ts). */
const DEFAULT_POLICIES = 4;
const DEFAULT_SEEDS = 3;

/**
 * How many values an axis has, without listing them: a list's length, or for {min, max, step}
 * floor((max - min) / step + 1e-9) + 1 (the 1e-9 absorbs rounding, so 0.2..1 by 0.2 has 5).
 * undefined for a malformed axis, which the schema reports.
 */
export function axisLength(axis: unknown): number | undefined {
  if (Array.isArray(axis)) return axis.length;
  if (!axis || typeof axis !== "object") return undefined;
  const { min, max, step } = axis as Record<string, unknown>;
  if (typeof min !== "number" || typeof max !== "number" || typeof step !== "number") return undefined;
  if (!(step > 0) || !(max >= min) || !Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  return Math.floor((max - min) / step + 1e-9) + 1;
}

export interface TrialCount {
  points: number;
  policies: number;
  seeds: number;
  trials: number;
  /** The axis with the most values, if any. */
  largestAxis?: string;
}

/** The trial count of a raw scenario (fields of the wrong form count as their default: the schema reports them). */
export function countTrials(raw: Record<string, unknown>): TrialCount {
  const s = raw.seeds;
  const seeds = typeof s === "number" && s >= 1 ? Math.floor(s) : Array.isArray(s) ? s.length : DEFAULT_SEEDS;
  const policies = Array.isArray(raw.policies) ? raw.policies.length : DEFAULT_POLICIES;
  let points = 1, largestAxis: string | undefined, largest = 0;
  const sweep = raw.sweep;
  if (sweep && typeof sweep === "object" && !Array.isArray(sweep)) {
    for (const [key, axis] of Object.entries(sweep)) {
      const n = axisLength(axis);
      if (n === undefined) continue;
      points *= n;
      if (n > largest) [largest, largestAxis] = [n, key];
    }
  }
  return { points, policies, seeds, trials: points * policies * seeds, largestAxis };
}

/** A count for a message: digits while exact, else powers of ten. */
export const formatCount = (n: number): string =>
  (!Number.isFinite(n) ? "more than 1e308" : n <= Number.MAX_SAFE_INTEGER ? String(n) : n.toExponential(2));

/**
 * Refuses a raw scenario whose seed count or trial count is above the limits, naming the
 * factor that dominates (seeds, policies or the largest sweep axis) and the option that
 * raises the cap. Cheap: nothing is listed.
 */
export function checkTrialCount(raw: Record<string, unknown>, source: string, limits: Limits): TrialCount {
  const c = countTrials(raw);
  const issues: string[] = [];
  if (typeof raw.seeds === "number" && c.seeds > MAX_SEED_COUNT) {
    issues.push(`seeds: ${formatCount(c.seeds)} seeds, above the ${formatCount(MAX_SEED_COUNT)} a count of seeds may give (they are listed in memory)`);
  }
  if (!(c.trials <= limits.maxTrials)) {
    const field = c.points >= c.seeds && c.points >= c.policies && c.largestAxis !== undefined ? `sweep.${c.largestAxis}` : c.seeds >= c.policies ? "seeds" : "policies";
    issues.push(`${field}: the scenario expands to ${formatCount(c.points)} point(s) x ${c.policies} policies x ${formatCount(c.seeds)} seeds = `
      + `${formatCount(c.trials)} trials, above the cap of ${formatCount(limits.maxTrials)} (raise it with --max-trials N)`);
  }
  if (issues.length) throw new InputError(source, issues);
  return c;
}
