import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../src/paths.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { QUICK } from "./size.js";

/**
 * One benchmark figure in results/bench.json. The first five fields are in every record
 * (older records have only those and the sweep's two); the rest are set by the benchmarks
 * that measure them, so old records stay readable.
 */
export interface BenchRecord {
  name: string;
  backend: "wasm" | "js";
  users: number;
  sites: number;
  /** User-slots simulated per second (an agent-step for the learners). */
  usersPerSecond: number;
  /** Sweep benchmarks: worker threads and whole trials per second. */
  threads?: number;
  trialsPerSecond?: number;
  /** What was timed, in words (whole process, in process, per slot...). */
  measure?: string;
  /** Wall time of one whole run (a process or a runTrial call), median over rounds. */
  secondsPerRun?: number;
  /** Simulated slots per second, and its inverse. */
  slotsPerSecond?: number;
  secondsPerSlot?: number;
  /** This record's rate over the other backend's, for the same measure in the same run. */
  wasmOverJs?: number;
  /** Made in quick mode (TWINEDGE_BENCH_QUICK=1): sizes too small to compare. */
  quick?: boolean;
  /** When the record was made (ISO 8601). */
  recordedAt?: string;
}

/** results/bench.json, or TWINEDGE_BENCH_OUT (the smoke test writes elsewhere). */
function benchPath(): string {
  return process.env.TWINEDGE_BENCH_OUT || join(ROOT, "results", "bench.json");
}

/** Merges records into the bench file, replacing earlier ones of the same name, backend, size and threads. */
export function recordBench(records: BenchRecord[]): string {
  const path = benchPath();
  const key = (r: BenchRecord): string => `${r.name}/${r.backend}/${r.users}/${r.sites}/${r.threads ?? ""}`;
  const stamped = records.map((r) => ({ ...r, ...(QUICK ? { quick: true } : {}), recordedAt: new Date().toISOString() }));
  const fresh = new Set(stamped.map(key));
  const old: BenchRecord[] = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : [];
  writeFileAtomic(path, `${JSON.stringify([...old.filter((r) => !fresh.has(key(r))), ...stamped], null, 2)}\n`);
  return path;
}
