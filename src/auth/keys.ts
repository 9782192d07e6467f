// Ed25519 key pairs derived from the trial seed, so that a run (and its certificates) is
// reproducible: the 32-byte private key is SHA-256(seed / label), wrapped in PKCS#8 for
// node:crypto. Not for real deployments, where keys must come from a secure random source.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410), before its 32 raw bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The key pair of entity `label` (e.g. "ta", "user:12", "site:3") under `seed`. */
export function deriveKeyPair(seed: number | string, label: string): KeyPair {
  const raw = createHash("sha256").update(`twinedge/auth/${seed}/${label}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw]), format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The public key as SPKI DER bytes, the form certificates carry. */
export function publicKeyDer(k: KeyObject): Buffer {
  return k.export({ format: "der", type: "spki" }) as Buffer;
}
