// A trial record is used only once checked: a regular file of bounded size, valid JSON, the
// record schema, a digest matching its body, and an id that is both its file name and the
// hash of what it claims to be (config, policy, seed). Anything else is a reason, never a
// crash: the caller recomputes (run) or leaves the record out (merge, plot) and says why.
import { idContent, storedRecordSchema, type StoredRecord, type TrialRecord } from "../contracts/record.js";
import { formatIssues } from "../validation.js";
import { readRegularFile } from "../io/safe-read.js";

/** The content hash the sweep derives ids with: hex digits of SHA-256 of canonical JSON (passed in, so results depends on no sweep code). */
export type ContentHash = (value: unknown, hexChars: number) => string;

const ID_HEX = 16;
const DIGEST_HEX = 64;
/** Far above any real record (a learner's curve of thousands of episodes is tens of kB). */
const RECORD_MAX_BYTES = 16 * 1024 * 1024;

export const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** The file form of a record: its fields, then the digest of all of them. */
export function sealRecord(r: TrialRecord, hash: ContentHash): StoredRecord {
  const { digest: _old, ...body } = r as TrialRecord & { digest?: string };
  return { ...(body as TrialRecord), digest: hash(body, DIGEST_HEX) };
}

export type RecordRead =
  | { record: TrialRecord; text: string }
  | { missing: true }
  | { problem: string };

/** Reads and checks the record at `path`, which must be the record of trial `id`. */
export function readRecordFile(path: string, id: string, hash: ContentHash): RecordRead {
  const file = readRegularFile(path, RECORD_MAX_BYTES);
  if (!("text" in file)) return file;
  let raw: unknown;
  try {
    raw = JSON.parse(file.text);
  } catch (e) {
    return { problem: `not valid JSON (${(e as Error).message})` };
  }
  const parsed = storedRecordSchema.safeParse(raw);
  if (!parsed.success) return { problem: `not a trial record (${formatIssues(parsed.error).slice(0, 3).join("; ")})` };
  const { digest, ...body } = raw as StoredRecord;
  if (hash(body, DIGEST_HEX) !== digest) return { problem: "its digest does not match its content (edited or corrupted)" };
  const record = body as TrialRecord;
  const derived = hash(idContent(record), ID_HEX);
  if (derived !== record.id) return { problem: `its id ${record.id} is not the hash of its config, policy and seed (${derived})` };
  if (record.id !== id) return { problem: `holds the record of another trial (${record.id})` };
  return { record, text: file.text };
}
