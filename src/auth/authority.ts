// The trusted authority of paper III-C (Fig. 2 steps 1-2): it issues every user and site a
// certificate signed with its Ed25519 key and keeps the revocation list. Its key, and the
// entities' keys, derive from the trial seed so that a run's certificates are reproducible,
// in separate key domains (keys.ts): enrolling an entity named like the TA gets it another key.
import { createHash, sign, type KeyObject } from "node:crypto";
import { tbsBytes, type Certificate, type Role, type TrustAnchor } from "./certificate.js";
import { entityKeyPair, publicKeyDer, taKeyPair, type KeyPair } from "./keys.js";

/** A user or site holding its private key and its TA-issued certificate. */
export interface Endpoint {
  readonly id: string;
  readonly role: Role;
  readonly privateKey: KeyObject;
  readonly certificate: Certificate;
}

export class TrustedAuthority implements TrustAnchor {
  /**
   * "<name>:<first 8 bytes of SHA-256 of the public key>": the id is bound to the key, so a
   * certificate from another authority (another seed) names another issuer and is refused as
   * "unknown-authority" before any signature is checked.
   */
  readonly id: string;
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  private readonly revokedSerials = new Set<number>();
  private nextSerial = 1;

  constructor(readonly seed: number | string, name = "ta") {
    const k = taKeyPair(seed, name);
    this.privateKey = k.privateKey;
    this.publicKey = k.publicKey;
    this.id = `${name}:${createHash("sha256").update(publicKeyDer(k.publicKey)).digest("hex").slice(0, 16)}`;
  }

  get revoked(): ReadonlySet<number> {
    return this.revokedSerials;
  }

  /** Steps 1-2: a certificate for `subject`'s key, valid notBeforeS <= t < notAfterS (simulated s). */
  issue(subject: string, role: Role, publicKey: Buffer, notBeforeS: number, notAfterS: number): Certificate {
    // Fail closed: a non-finite bound would make a window that every time check mis-reads.
    if (!Number.isFinite(notBeforeS) || !Number.isFinite(notAfterS) || notAfterS < notBeforeS) {
      throw new RangeError(`a certificate's validity must be finite with notBeforeS <= notAfterS, got [${notBeforeS}, ${notAfterS})`);
    }
    const body = { serial: this.nextSerial++, subject, role, issuer: this.id, publicKey, notBeforeS, notAfterS };
    return { ...body, signature: sign(null, tbsBytes(body), this.privateKey) };
  }

  revoke(serial: number): void {
    this.revokedSerials.add(serial);
  }

  /** The key pair and certificate of `subject`; keys derive from the TA's seed unless given. */
  enroll(subject: string, role: Role, notBeforeS: number, notAfterS: number, keys: KeyPair = entityKeys(this.seed, subject)): Endpoint {
    return { id: subject, role, privateKey: keys.privateKey, certificate: this.issue(subject, role, publicKeyDer(keys.publicKey), notBeforeS, notAfterS) };
  }
}

/** An entity's key pair under the trial seed ("user:12", "site:3"), in the entity key domain. */
export function entityKeys(seed: number | string, subject: string): KeyPair {
  return entityKeyPair(seed, subject);
}
