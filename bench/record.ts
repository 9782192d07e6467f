import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../src/paths.js";
import { writeFileAtomic } from "../src/io/atomic.js";

export interface BenchRecord {
  name: string;
  backend: "wasm" | "js";
  users: number;
  sites: number;
  usersPerSecond: number;
  /** Sweep benchmarks: worker threads and whole trials per second. */
  threads?: number;
  trialsPerSecond?: number;
}

/** Merges records into results/bench.json, replacing earlier ones of the same name, backend and size. */
export function recordBench(records: BenchRecord[]): string {
  const path = join(ROOT, "results", "bench.json");
  const key = (r: BenchRecord): string => `${r.name}/${r.backend}/${r.users}/${r.sites}/${r.threads ?? ""}`;
  const fresh = new Set(records.map(key));
  const old: BenchRecord[] = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : [];
  writeFileAtomic(path, `${JSON.stringify([...old.filter((r) => !fresh.has(key(r))), ...records], null, 2)}\n`);
  return path;
}
