// A result folder: scenario.json, trials/<id>.json (one checked, atomic file per finished
// trial), tasks/<id>.csv, trials.jsonl, summary.csv and paired.csv rebuilt from the records,
// manifest.json, figures/. One writer at a time holds its lock.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { TrialRecord } from "../contracts/record.js";
import { InputError } from "../validation.js";
import { removeTemporaries, writeFileAtomic, makeDir } from "../io/atomic.js";
import { FolderLock } from "./lock.js";
import { json, readRecordFile, sealRecord, type ContentHash, type RecordRead } from "./record-file.js";
import { readRegularFile } from "../io/safe-read.js";
import { pairedCsv } from "./paired.js";
import { summaryCsv } from "./summary.js";

export { json } from "./record-file.js";

/** The sub-folders a writer commits into, where a dead writer's temporary files may lie. */
const SUBDIRS = ["trials", "tasks", "figures"] as const;
/** scenario.json and manifest.json are small; this only bounds a planted file. */
const META_MAX_BYTES = 64 * 1024 * 1024;
const TASKS_MAX_BYTES = 1024 * 1024 * 1024;

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
  const r = readRegularFile(path, META_MAX_BYTES);
  if ("missing" in r) throw new InputError(path, ["missing: not a twinedge result folder"]);
  if ("problem" in r) throw new InputError(path, [r.problem]);
  try {
    return JSON.parse(r.text);
  } catch (e) {
    throw new InputError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
}

/**
 * A folder is written only by the scenario that wrote it: mixing two would corrupt both.
 * `same` compares its scenario.json with the writer's scenario.
 */
export function refuseOtherScenario(dir: string, same: (stored: unknown) => boolean): void {
  if (!existsSync(join(dir, "scenario.json"))) return;
  if (!same(readResultJson(dir, "scenario.json"))) {
    throw new InputError(dir, ["holds the results of a different scenario (its scenario.json differs); choose another --out"]);
  }
}

export interface CheckedRecords {
  /** Records that passed every check, with their file text, in file-name order. */
  found: { record: TrialRecord; text: string }[];
  /** "trials/<file>: <why>" for every file that did not. */
  problems: string[];
}

/** Read access to a folder's records; no lock needed (merge reads shard folders this way). */
export class ResultReader {
  constructor(readonly dir: string, protected readonly hash: ContentHash) {}

  /** The checked record of trial `id`: missing, a problem (to recompute), or the record. */
  readTrial(id: string): RecordRead {
    return readRecordFile(join(this.dir, "trials", `${id}.json`), id, this.hash);
  }

  /** The per-task CSV of a trial, if it is a regular file. */
  readTaskCsv(id: string): string | undefined {
    const r = readRegularFile(join(this.dir, "tasks", `${id}.csv`), TASKS_MAX_BYTES);
    return "text" in r ? r.text : undefined;
  }

  /** Every `trials/*.json`, checked as readTrial does (its id being its file name). */
  allTrials(): CheckedRecords {
    const out: CheckedRecords = { found: [], problems: [] };
    const at = join(this.dir, "trials");
    if (!existsSync(at) || !lstatSync(at).isDirectory()) return out;
    for (const name of readdirSync(at).sort()) {
      if (!name.endsWith(".json")) continue;
      const r = this.readTrial(name.slice(0, -".json".length));
      if ("record" in r) out.found.push(r);
      else if ("problem" in r) out.problems.push(`${join("trials", name)}: ${r.problem}`);
    }
    return out;
  }
}

/** A result folder open for writing: locked, cleared of dead writers' temporary files. */
export class ResultSet extends ResultReader {
  private constructor(dir: string, hash: ContentHash, private readonly lock: FolderLock) {
    super(dir, hash);
  }

  /** Creates or opens `dir` for writing; throws an InputError if another writer holds it. */
  static open(dir: string, hash: ContentHash): ResultSet {
    const lock = FolderLock.acquire(dir);
    try {
      makeDir(join(dir, "trials"));
      removeTemporaries(dir, SUBDIRS);
      return new ResultSet(dir, hash, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Releases the lock; the folder is complete on disk. */
  close(): void {
    this.lock.release();
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
    this.write(join("trials", `${r.id}.json`), json(sealRecord(r, this.hash)));
  }

  /** Rebuilds the aggregate files from the records, in expansion order. */
  writeAggregates(records: readonly TrialRecord[], axes: readonly string[], references: readonly string[]): void {
    this.write("trials.jsonl", records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    this.write("summary.csv", summaryCsv(records, axes));
    this.write("paired.csv", pairedCsv(records, axes, references));
  }
}
