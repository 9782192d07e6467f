// `twinedge certs`: writes the TA's certificate and one certificate per user and site as
// standard X.509 PEM files, for checking with standard tools:
//
//   openssl verify -CAfile DIR/ta.pem DIR/user-3.pem
//
// Not for production: the keys derive from the seed (src/auth/keys.ts), so anyone who knows
// the seed knows every private key.
//
// Validity is relative to `now`, which defaults to the current time because `openssl verify`
// checks against the real clock: the first `expired` users' certificates ended one day
// before `now`; every other certificate started an hour before `now` (allowing for clock
// skew) and lasts a year. With `now` given, the files are byte-identical for the same options.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../results/atomic.js";
import { InputError } from "../validation.js";
import { deriveKeyPair, type KeyPair } from "./keys.js";
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

/** Defaults a CLI may use for options it leaves out. */
export const CERT_DEFAULTS = { users: 10, sites: 4, expired: 0, seed: 1, keys: false } as const;

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

  const ta = deriveKeyPair(seed, "ta");
  const taValidity = { notBefore: new Date(now.getTime() - 2 * YEAR), notAfter: new Date(now.getTime() + 5 * YEAR) };
  const taPem = await taCertificate(ta, { ...taValidity, serial: serial(seed, "ta", taValidity) });

  const files: { name: string; pem: string; key: KeyPair }[] = [{ name: "ta", pem: taPem, key: ta }];
  const entity = async (role: EntityRole, i: number, isExpired: boolean) => {
    const label = `${role}:${i}`;
    const key = deriveKeyPair(seed, label);
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
    const keyDir = join(outDir, "keys");
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    for (const f of files) {
      const path = join(keyDir, `${f.name}.key.pem`);
      writeFileAtomic(path, f.key.privateKey.export({ format: "pem", type: "pkcs8" }) as string);
      paths.push(path);
    }
  }
  return paths;
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
  return { users, sites, expired, seed: o.seed, keys: o.keys, now: wholeSeconds(now) };
}
