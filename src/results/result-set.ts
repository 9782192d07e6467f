// A result folder: scenario.json, trials/<id>.json (one atomic file per finished trial),
// trials.jsonl and summary.csv rebuilt from those files, manifest.json.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TrialRecord } from "../run/trial.js";
import { InputError, readJsonFile } from "../validation.js";
import { writeFileAtomic } from "./atomic.js";
import { summaryCsv } from "./summary.js";

export const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** A fresh folder under results/ named after the scenario and the local start time. */
export function defaultResultDir(name: string, now = new Date()): string {
  const p = (x: number) => String(x).padStart(2, "0");
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  let dir = join("results", `${name}-${stamp}`);
  for (let k = 2; existsSync(dir); k++) dir = join("results", `${name}-${stamp}-${k}`);
  return dir;
}

/** A JSON file of a result folder (scenario.json, manifest.json); a missing one means the folder is not a result folder. */
export function readResultJson(dir: string, file: string): unknown {
  const path = join(dir, file);
  if (!existsSync(path)) throw new InputError(path, ["missing: not a twinedge result folder"]);
  return readJsonFile(path);
}

export class ResultSet {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, "trials"), { recursive: true });
  }

  write(file: string, text: string): void {
    writeFileAtomic(join(this.dir, file), text);
  }

  /**
   * Commits one finished trial: after this returns, a crash cannot lose it. Its per-task
   * records, if any, are written first, so a committed trial always has them.
   */
  writeTrial(r: TrialRecord, taskCsv?: string): void {
    if (taskCsv !== undefined) this.write(join("tasks", `${r.id}.csv`), taskCsv);
    this.write(join("trials", `${r.id}.json`), json(r));
  }

  readTaskCsv(id: string): string | undefined {
    const path = join(this.dir, "tasks", `${id}.csv`);
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  }

  /** The committed record of a trial, or undefined if there is none (or it is unreadable). */
  readTrial(id: string): TrialRecord | undefined {
    try {
      const r = JSON.parse(readFileSync(join(this.dir, "trials", `${id}.json`), "utf8")) as TrialRecord;
      return r.id === id ? r : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes temporary files a killed writer left behind. */
  removeTemporaries(): void {
    for (const f of readdirSync(join(this.dir, "trials"))) if (f.endsWith(".tmp")) rmSync(join(this.dir, "trials", f), { force: true });
  }

  /** Rebuilds the aggregate files from the records, in expansion order. */
  writeAggregates(records: readonly TrialRecord[], axes: readonly string[]): void {
    this.write("trials.jsonl", records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    this.write("summary.csv", summaryCsv(records, axes));
  }
}
