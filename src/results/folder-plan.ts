// What a result folder's scenario.json says about the order of its trials, read from the raw
// JSON without validating it against today's scenario schema: a folder written before a
// field was added (or by a newer version) still merges and plots.
import type { TrialRecord } from "../contracts/record.js";
import { InputError } from "../validation.js";

export interface FolderPlan {
  name: string;
  /** Sweep axis paths, in the scenario's order (the axis columns of summary.csv). */
  axes: string[];
  /** The raw sweep entry of each axis, for callers that expand the grid. */
  sweep: Record<string, unknown>;
  policies: string[];
  seeds: number[];
  /** paired.csv's reference policies: the scenario's `reference` (those of its policies), else every policy. */
  references: string[];
}

/** The references of a scenario's `reference` field (a name or a list), kept to its policies, in that order; every policy without one. */
export function referencesOf(reference: unknown, policies: readonly string[]): string[] {
  const named = typeof reference === "string" ? [reference] : Array.isArray(reference) ? reference : null;
  return named === null ? [...policies] : named.filter((p): p is string => typeof p === "string" && policies.includes(p));
}

/** The plan of a stored scenario.json (`raw`), read at `source`. */
export function folderPlan(raw: unknown, source: string): FolderPlan {
  const bad = (field: string, what: string): never => { throw new InputError(source, [`${field}: expected ${what} (as twinedge writes it)`]); };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return bad("(root)", "a JSON object");
  const r = raw as Record<string, unknown>;
  const sweep = r.sweep ?? {};
  if (!sweep || typeof sweep !== "object" || Array.isArray(sweep)) return bad("sweep", "an object");
  // A built-in policy is its name; a plug-in an object with its `name` (docs/plugins.md).
  const named = (p: unknown): unknown => (p && typeof p === "object" && !Array.isArray(p) ? (p as { name?: unknown }).name : p);
  const policies = Array.isArray(r.policies) ? r.policies.map(named) : r.policies;
  if (!Array.isArray(policies) || !policies.every((p) => typeof p === "string")) return bad("policies", "a list of names or plug-ins {name, module}");
  // Stored scenarios hold the resolved list; a count is accepted too.
  const seeds = typeof r.seeds === "number" && Number.isInteger(r.seeds) && r.seeds > 0 ? Array.from({ length: r.seeds }, (_, i) => i + 1) : r.seeds;
  if (!Array.isArray(seeds) || !seeds.every((s) => Number.isInteger(s))) return bad("seeds", "a list of integers");
  // A hand-edited reference must still name the folder's policies (paired.csv and the diff figures follow it).
  const ref = r.reference;
  if (ref !== undefined && !(typeof ref === "string" ? policies.includes(ref) : Array.isArray(ref) && ref.length > 0 && ref.every((x) => typeof x === "string" && policies.includes(x)))) {
    return bad("reference", `one of the folder's policies (${policies.join(", ")}) or a list of them`);
  }
  return {
    name: typeof r.name === "string" ? r.name : "scenario", axes: Object.keys(sweep), sweep: sweep as Record<string, unknown>,
    policies: policies as string[], seeds: seeds as number[], references: referencesOf(r.reference, policies as string[]),
  };
}

/** Records in expansion order (point, then policy, then seed); unknown policies or seeds last, by id. */
export function inExpansionOrder<R extends TrialRecord>(records: readonly R[], plan: FolderPlan): R[] {
  const rank = (list: readonly unknown[], v: unknown) => {
    const k = list.indexOf(v);
    return k < 0 ? list.length : k;
  };
  return [...records].sort((a, b) => a.pointIndex - b.pointIndex
    || rank(plan.policies, a.policy) - rank(plan.policies, b.policy)
    || rank(plan.seeds, a.seed) - rank(plan.seeds, b.seed)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
