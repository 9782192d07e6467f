// `twinedge certs`: writes the TA's certificate and one certificate per user and site as
// standard X.509 PEM files, for checking with standard tools:
//
//   openssl verify -CAfile DIR/ta.pem DIR/user-3.pem
//
// Not for production: the keys derive from the seed (src/auth/keys.ts), so anyone who knows
// the seed knows every private key. The CLI says so on stderr (simulationOnlyNotice, in certs-options.ts).
//
// With `keys`, the private keys go to DIR/keys/, made (or reset to) mode 0700, each file created
// exclusively with mode 0600 whatever the umask: an existing file, or a link planted at a key
// path, is refused before anything is written, and never followed or overwritten.
//
// Validity is relative to `now`, which defaults to the current time because `openssl verify`
// checks against the real clock: the first `expired` users' certificates ended one day
// before `now`; every other certificate started an hour before `now` (allowing for clock
// skew) and lasts a year. With `now` given, the files are byte-identical for the same options.
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { InputError } from "../validation.js";
import { entityKeyPair, taKeyPair, type KeyPair } from "./keys.js";
import { deriveSerial, entityCertificate, taCertificate, wholeSeconds, type EntityRole } from "./x509.js";

export interface WriteCertsOptions {
  /** Users: files user-0.pem .. user-<users-1>.pem, key labels "user:<i>". */
  users: number;
  /** Sites: files site-0.pem .. site-<sites-1>.pem, key labels "site:<j>". */
  sites: number;
  /** How many users (user-0 .. user-<expired-1>) get an already expired certificate; at most `users`. */
  expired: number;
  /** Seed the key pairs and serial numbers derive from. */
  seed: number;
  /** Also write the private keys (PKCS#8 PEM) to keys/ under the output folder. */
  keys: boolean;
  /** Reference time of the validity periods (default: the current time). */
  now?: Date;
}

/** The most entities of each kind, against a typo writing millions of files. */
export const MAX_ENTITIES = 1_000_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * Writes ta.pem, user-<i>.pem, site-<j>.pem (and, with `keys`, keys/<same name>.key.pem)
 * under `outDir`, each atomically; returns their paths in that order. Options are checked
 * before anything is written (InputError naming the option, e.g. "--users: expected a
 * non-negative integer"), and all certificates are made before the first file is written.
 */
export async function writeCerts(outDir: string, o: WriteCertsOptions): Promise<string[]> {
  const { users, sites, expired, seed, keys, now } = checkOptions(outDir, o);

  const ta = taKeyPair(seed);
  const taValidity = { notBefore: new Date(now.getTime() - 2 * YEAR), notAfter: new Date(now.getTime() + 5 * YEAR) };
  const taPem = await taCertificate(ta, { ...taValidity, serial: serial(seed, "ta", taValidity) });

  const files: { name: string; pem: string; key: KeyPair }[] = [{ name: "ta", pem: taPem, key: ta }];
  const entity = async (role: EntityRole, i: number, isExpired: boolean) => {
    const label = `${role}:${i}`;
    const key = entityKeyPair(seed, label);
    const validity = isExpired
      ? { notBefore: new Date(now.getTime() - YEAR - DAY), notAfter: new Date(now.getTime() - DAY) }
      : { notBefore: new Date(now.getTime() - HOUR), notAfter: new Date(now.getTime() + YEAR) };
    const pem = await entityCertificate(ta, taPem, { subject: label, role, publicKey: key.publicKey }, { ...validity, serial: serial(seed, label, validity) });
    files.push({ name: `${role}-${i}`, pem, key });
  };
  for (let i = 0; i < users; i++) await entity("user", i, i < expired);
  for (let j = 0; j < sites; j++) await entity("site", j, false);

  const paths: string[] = [];
  mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const path = join(outDir, `${f.name}.pem`);
    writeFileAtomic(path, f.pem);
    paths.push(path);
  }
  if (keys) {
    const keyDir = privateKeyFolder(outDir);
    for (const f of files) {
      const path = join(keyDir, `${f.name}.key.pem`);
      writePrivateKey(path, f.key.privateKey.export({ format: "pem", type: "pkcs8" }) as string);
      paths.push(path);
    }
  }
  return paths;
}

const KEY_DIR_MODE = 0o700;
const KEY_FILE_MODE = 0o600;

/** DIR/keys, created if absent, and in any case a real folder (not a link) of mode 0700. */
function privateKeyFolder(outDir: string): string {
  const keyDir = join(outDir, "keys");
  try {
    mkdirSync(keyDir, { mode: KEY_DIR_MODE });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  // Checked again here, not only in checkOptions: the folder may have changed since.
  if (!lstatSync(keyDir).isDirectory()) throw new Error(`${keyDir} is not a folder (a link is never followed)`);
  // mkdir's mode is filtered by the umask, and an existing folder keeps its own mode.
  chmodSync(keyDir, KEY_DIR_MODE);
  return keyDir;
}

/**
 * Creates `path` exclusively ("wx": O_CREAT | O_EXCL, which fails on any existing entry and
 * never follows a link) with mode 0600 whatever the umask, and writes `pem`. A failed write
 * removes the file it created.
 */
function writePrivateKey(path: string, pem: string): void {
  const fd = openSync(path, "wx", KEY_FILE_MODE);
  try {
    fchmodSync(fd, KEY_FILE_MODE);
    writeFileSync(fd, pem);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path);
    throw e;
  }
  closeSync(fd);
}

/** The lstat of `path`, or undefined if nothing is there; other errors are the caller's InputError. */
function entryAt(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new InputError("--out", [`cannot use ${path} (${code ?? (e as Error).message})`]);
  }
}

/**
 * Before anything is written: keys/ is absent or a real folder, and no key path is taken (a
 * file, or a link planted there), so that exclusive creation cannot fail half-way.
 */
function checkKeyPaths(outDir: string, users: number, sites: number): void {
  const keyDir = join(outDir, "keys");
  const dir = entryAt(keyDir);
  if (dir === undefined) return;
  if (!dir.isDirectory()) throw new InputError("--out", [`${keyDir} exists and is not a folder (a link is never followed)`]);
  const names = ["ta", ...Array.from({ length: users }, (_, i) => `user-${i}`), ...Array.from({ length: sites }, (_, j) => `site-${j}`)];
  for (const name of names) {
    const path = join(keyDir, `${name}.key.pem`);
    const at = entryAt(path);
    if (at !== undefined) {
      const what = at.isSymbolicLink() ? "a link" : "a file";
      throw new InputError("--out", [`${path} is already ${what}: a private key is created afresh, never written through a link or over a file (remove it first)`]);
    }
  }
}

function serial(seed: number, label: string, v: { notBefore: Date; notAfter: Date }): bigint {
  return deriveSerial(seed, label, v.notBefore.toISOString(), v.notAfter.toISOString());
}

function checkOptions(outDir: string, o: WriteCertsOptions): Required<WriteCertsOptions> {
  const count = (name: string, v: unknown): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new InputError(name, ["expected a non-negative integer"]);
    if (v > MAX_ENTITIES) throw new InputError(name, [`expected at most ${MAX_ENTITIES}`]);
    return v;
  };
  if (typeof outDir !== "string" || outDir.trim() === "") throw new InputError("--out", ["expected a folder path"]);
  const users = count("--users", o.users);
  const sites = count("--sites", o.sites);
  const expired = count("--expired", o.expired);
  if (expired > users) throw new InputError("--expired", [`expected at most --users (${users})`]);
  if (typeof o.seed !== "number" || !Number.isSafeInteger(o.seed)) throw new InputError("--seed", ["expected an integer"]);
  if (typeof o.keys !== "boolean") throw new InputError("--keys", ["expected true or false"]);
  const now = o.now ?? new Date();
  // Two years back for the TA, five ahead: keep every date within 1950-9999.
  if (!(now instanceof Date) || !Number.isFinite(now.getTime()) || now.getTime() < Date.UTC(1953, 0, 1) || now.getTime() > Date.UTC(9990, 0, 1)) {
    throw new InputError("--now", ["expected a valid date between 1953 and 9990"]);
  }
  let st;
  try {
    st = statSync(outDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new InputError("--out", [`cannot use ${outDir} (${code ?? (e as Error).message})`]);
    st = undefined; // Absent: created when writing.
  }
  if (st !== undefined && !st.isDirectory()) throw new InputError("--out", [`${outDir} exists and is not a folder`]);
  if (o.keys && st !== undefined) checkKeyPaths(outDir, users, sites);
  return { users, sites, expired, seed: o.seed, keys: o.keys, now: wholeSeconds(now) };
}
