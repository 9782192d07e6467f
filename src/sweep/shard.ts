// Deterministic shares of a sweep for clusters: trial k (in expansion order) belongs to
// shard k mod count, so every shard gets a mix of points, policies and seeds, and the
// shards together cover each trial exactly once.
import { InputError, quote } from "../validation.js";

export interface Shard {
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

/** Parses "i/n" (0 <= i < n). */
export function parseShard(text: string, source = "--shard"): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new InputError(source, [`expected I/N with 0 <= I < N, got ${quote(text)}`]);
  }
  return { index, count };
}

/**
 * The shard a cluster scheduler assigned, if any: Slurm job arrays
 * (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), or Kubernetes
 * Indexed Jobs (JOB_COMPLETION_INDEX, with the count in TWINEDGE_SHARD_COUNT since
 * Kubernetes does not export it).
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const int = (name: string): number => {
    const v = env[name];
    if (v === undefined || !/^\d+$/.test(v.trim())) throw new InputError(name, [`expected a non-negative integer, got ${quote(v ?? "")}`]);
    return Number(v);
  };
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? int("SLURM_ARRAY_TASK_MIN") : 0;
    return parseShard(`${int("SLURM_ARRAY_TASK_ID") - min}/${int("SLURM_ARRAY_TASK_COUNT")}`, "SLURM_ARRAY_TASK_ID");
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    return parseShard(`${int("JOB_COMPLETION_INDEX")}/${int("TWINEDGE_SHARD_COUNT")}`, "JOB_COMPLETION_INDEX");
  }
  return undefined;
}

/**
 * The variables shardFromEnv read, as "NAME=value ...", for announcing a shard that came
 * from the environment: without it a job that inherits SLURM_ARRAY_TASK_ID silently runs a
 * share of the trials. undefined when the environment names no shard.
 */
export function envShardSource(env: NodeJS.ProcessEnv): string | undefined {
  const names = env.SLURM_ARRAY_TASK_ID !== undefined ? ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"]
    : env.JOB_COMPLETION_INDEX !== undefined ? ["JOB_COMPLETION_INDEX", "TWINEDGE_SHARD_COUNT"] : [];
  const set = names.filter((n) => env[n] !== undefined).map((n) => `${n}=${env[n]}`);
  return set.length ? set.join(" ") : undefined;
}

export function inShard(k: number, s: Shard): boolean {
  return k % s.count === s.index;
}

export const shardLabel = (s: Shard): string => `${s.index}/${s.count}`;
