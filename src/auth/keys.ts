// Ed25519 key pairs derived from the trial seed, so that a run (and its certificates) is
// reproducible: the 32-byte private key is SHA-256 of a domain tag, the seed and the label,
// wrapped in PKCS#8 for node:crypto. Not for real deployments, where keys must come from a
// secure random source: anyone who knows the seed can rebuild every private key.
//
// The trusted authority's keys and the entities' keys have distinct domain tags, so no entity
// (not even one named "ta") can be handed the TA's signing key; and the seed and label are
// length-prefixed (encodeFields), so seed "1/x" with label "y" and seed "1" with label "x/y"
// derive different keys.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { encodeFields } from "./certificate.js";

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410), before its 32 raw bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Domain tags: one for trusted authorities, one for users and sites. */
const KEY_DOMAIN = { ta: "twinedge/auth/ta-key/v2", entity: "twinedge/auth/entity-key/v2" } as const;
export type KeyDomain = keyof typeof KEY_DOMAIN;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The key pair of `label` in `domain` under `seed`. The seed is encoded with its type, so a
 * number seed and a string seed are different seeds (1 and "1" too).
 */
export function deriveKeyPair(domain: KeyDomain, seed: number | string, label: string): KeyPair {
  if (typeof seed === "number" ? !Number.isFinite(seed) : typeof seed !== "string") {
    throw new RangeError(`a key seed must be a finite number or a string, got ${String(seed)}`);
  }
  if (typeof label !== "string" || label.length === 0) throw new RangeError("a key label must be a non-empty string");
  const raw = createHash("sha256").update(encodeFields([KEY_DOMAIN[domain], typeof seed, String(seed), label])).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw]), format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The key pair of the trusted authority called `name` (default "ta") under `seed`. */
export function taKeyPair(seed: number | string, name = "ta"): KeyPair {
  return deriveKeyPair("ta", seed, name);
}

/** The key pair of a user or site, e.g. "user:12" or "site:3", under `seed`. */
export function entityKeyPair(seed: number | string, label: string): KeyPair {
  return deriveKeyPair("entity", seed, label);
}

/** The public key as SPKI DER bytes, the form certificates carry. */
export function publicKeyDer(k: KeyObject): Buffer {
  return k.export({ format: "der", type: "spki" }) as Buffer;
}
