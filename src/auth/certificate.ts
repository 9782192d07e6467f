// The simulation's certificate (paper III-C, Fig. 2 step 2: C = E(K_TA^-(Time, ID, K^+))):
// the identity, role, validity window in simulated seconds and SPKI public key, signed by the
// trusted authority with Ed25519. The signed bytes are a canonical, length-prefixed encoding
// behind a domain tag, so a certificate signature can never be confused with a handshake or
// ticket signature (each has its own tag), and no two field lists encode alike.
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

export type Role = "user" | "site";

/** Why a certificate, message, session or ticket was refused; each reason distinct. */
export type Refusal =
  | "expired"
  | "not-yet-valid"
  | "revoked"
  | "unknown-authority"
  | "bad-certificate-signature"
  | "wrong-identity"
  | "wrong-role"
  | "replayed"
  | "reflected"
  | "spliced"
  | "bad-signature"
  | "malformed"
  | "no-session"
  | "session-expired"
  | "wrong-target"
  | "ticket-expired"
  /** The verifier's own clock reading is not a finite number: refused, never accepted. */
  | "invalid-time";

export type Verdict<T = void> = { ok: true; value: T } | { ok: false; reason: Refusal };

export interface Certificate {
  serial: number;
  /** "user:12" | "site:3" */
  subject: string;
  role: Role;
  /** The TA's id. */
  issuer: string;
  /** SPKI DER. */
  publicKey: Buffer;
  /** Validity window in simulated seconds: notBeforeS <= t < notAfterS. */
  notBeforeS: number;
  notAfterS: number;
  signature: Buffer;
}

export const ED25519_SIGNATURE_BYTES = 64;
const CERT_TAG = "twinedge/cert/v1";

/** Canonical encoding: every field is a 4-byte big-endian length then its bytes. */
export function encodeFields(fields: readonly (Buffer | string | number)[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    let b: Buffer;
    if (typeof f === "number") {
      // Numbers as float64 so that simulated times (fractional seconds) round-trip exactly.
      b = Buffer.alloc(8);
      b.writeDoubleBE(f);
    } else b = typeof f === "string" ? Buffer.from(f, "utf8") : f;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  }
  return Buffer.concat(parts);
}

/** The bytes the TA signs: everything but the signature, behind the certificate tag. */
export function tbsBytes(cert: Omit<Certificate, "signature">): Buffer {
  return encodeFields([CERT_TAG, cert.serial, cert.subject, cert.role, cert.issuer, cert.publicKey, cert.notBeforeS, cert.notAfterS]);
}

/** Size of the certificate on the wire (its signed bytes plus the signature). */
export function certificateBytes(cert: Certificate): number {
  return tbsBytes(cert).length + 4 + cert.signature.length;
}

const isBuf = (b: unknown): b is Buffer => Buffer.isBuffer(b);
const isStr = (s: unknown): s is string => typeof s === "string" && s.length > 0;

/** Structural checks before any cryptography: a tampered object may hold anything. */
export function wellFormed(cert: unknown): cert is Certificate {
  if (typeof cert !== "object" || cert === null) return false;
  const c = cert as Record<string, unknown>;
  return (
    Number.isSafeInteger(c.serial) && (c.serial as number) > 0 &&
    isStr(c.subject) && (c.role === "user" || c.role === "site") && isStr(c.issuer) &&
    isBuf(c.publicKey) && Number.isFinite(c.notBeforeS) && Number.isFinite(c.notAfterS) &&
    (c.notBeforeS as number) <= (c.notAfterS as number) &&
    isBuf(c.signature) && c.signature.length === ED25519_SIGNATURE_BYTES
  );
}

/**
 * Certificates whose TA signature already verified, with their parsed keys: a site verifies
 * each certificate once (issue #6, "Scale"), while time and revocation, which change, are
 * checked every time. Keyed by a digest of the signed bytes and signature, so a changed
 * field is a miss, never a false hit.
 */
export class CertificateCache {
  private readonly keys = new Map<string, KeyObject>();
  constructor(readonly capacity = 100_000) {}
  static key(cert: Certificate): string {
    return createHash("sha256").update(tbsBytes(cert)).update(cert.signature).digest("base64");
  }
  get(k: string): KeyObject | undefined {
    return this.keys.get(k);
  }
  set(k: string, key: KeyObject): void {
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(k, key);
  }
  get size(): number {
    return this.keys.size;
  }
}

/** SPKI DER prefix of an Ed25519 public key (RFC 8410), before its 32 raw bytes. */
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The certificate's public key, or undefined if its bytes are not an Ed25519 SPKI key. */
function parseKey(der: Buffer): KeyObject | undefined {
  try {
    // OpenSSL 3's DER decoder costs about as much as a signature verification; the same key
    // given as a JWK loads 5-7 times faster, so the canonical 44-byte form takes that path.
    const k = der.length === 44 && der.subarray(0, 12).equals(SPKI_ED25519_PREFIX)
      ? createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: der.subarray(12).toString("base64url") }, format: "jwk" })
      : createPublicKey({ key: der, format: "der", type: "spki" });
    return k.asymmetricKeyType === "ed25519" ? k : undefined;
  } catch {
    return undefined;
  }
}

export interface CertificateCheck {
  /** The subject's key, parsed from the certificate. */
  key: KeyObject;
  /** Ed25519 verifications done (0 on a cache hit). */
  verifications: number;
}

/**
 * Checks a certificate against the TA at simulated time nowS. The signature is checked before
 * revocation and time, so that a reason given for a certificate is about what the TA really
 * signed, not about fields a forger wrote. A non-finite nowS is refused first ("invalid-time").
 */
export function checkCertificate(
  cert: Certificate,
  taPublicKey: KeyObject,
  taId: string,
  nowS: number,
  revoked: ReadonlySet<number>,
  cache?: CertificateCache,
): Verdict<CertificateCheck> {
  if (!Number.isFinite(nowS)) return { ok: false, reason: "invalid-time" };
  if (!wellFormed(cert)) return { ok: false, reason: "malformed" };
  if (cert.issuer !== taId) return { ok: false, reason: "unknown-authority" };
  const ck = cache ? CertificateCache.key(cert) : "";
  let key = cache?.get(ck);
  let verifications = 0;
  if (!key) {
    verifications = 1;
    if (!verify(null, tbsBytes(cert), taPublicKey, cert.signature)) return { ok: false, reason: "bad-certificate-signature" };
    key = parseKey(cert.publicKey);
    if (!key) return { ok: false, reason: "malformed" };
    cache?.set(ck, key);
  }
  if (revoked.has(cert.serial)) return { ok: false, reason: "revoked" };
  // Written so that a comparison with NaN fails closed (wellFormed already demands finite bounds).
  if (!(nowS >= cert.notBeforeS)) return { ok: false, reason: "not-yet-valid" };
  if (!(nowS < cert.notAfterS)) return { ok: false, reason: "expired" };
  return { ok: true, value: { key, verifications } };
}

/** The brief's form: just the verdict. */
export function verifyCertificate(
  cert: Certificate,
  taPublicKey: KeyObject,
  taId: string,
  nowS: number,
  revoked: ReadonlySet<number>,
): { ok: true } | { ok: false; reason: Refusal } {
  const r = checkCertificate(cert, taPublicKey, taId, nowS, revoked);
  return r.ok ? { ok: true } : r;
}

/** What a verifier needs of the TA; TrustedAuthority satisfies it. */
export interface TrustAnchor {
  readonly id: string;
  readonly publicKey: KeyObject;
  readonly revoked: ReadonlySet<number>;
}

/**
 * Step 3-4 of Fig. 2 on the receiving side: the certificate verifies against the anchor, is
 * for the role expected, and names the identity the peer claims.
 */
export function checkPeerCertificate(
  cert: Certificate,
  anchor: TrustAnchor,
  nowS: number,
  claimedId: string,
  role: Role,
  cache?: CertificateCache,
): Verdict<CertificateCheck> {
  const r = checkCertificate(cert, anchor.publicKey, anchor.id, nowS, anchor.revoked, cache);
  if (!r.ok) return r;
  if (cert.role !== role) return { ok: false, reason: "wrong-role" };
  if (cert.subject !== claimedId) return { ok: false, reason: "wrong-identity" };
  return r;
}
