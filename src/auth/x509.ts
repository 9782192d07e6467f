// Standard X.509 v3 certificates (RFC 5280, Ed25519 keys per RFC 8410) for the trusted
// authority and the entities, so that OpenSSL and other standard tools can check what the
// simulated TA issues. @peculiar/x509 builds them; node:crypto's webcrypto signs.
//
// Everything is deterministic: the caller passes the serial number and both dates (this
// module never reads the clock or draws random numbers; @peculiar/x509 would only draw a
// random serial for an empty or zero one, which is refused here), and Ed25519 signatures
// are deterministic, so the same inputs give byte-identical PEMs.
import "reflect-metadata";
import { createHash, webcrypto, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { publicKeyDer, type KeyPair } from "./keys.js";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Subject of the TA's certificate (and issuer of every entity certificate). */
export const TA_SUBJECT = "O=twinedge, CN=twinedge TA";

export type EntityRole = "user" | "site";

export interface Validity {
  /** Start of validity; sub-second parts are dropped (X.509 times have whole seconds). */
  notBefore: Date;
  /** End of validity, after notBefore. */
  notAfter: Date;
  /** Certificate serial number: a positive integer of at most 20 octets (RFC 5280 4.1.2.2). */
  serial: bigint | number;
}

export interface Entity {
  /** Identity, e.g. "user:12" or "site:3"; becomes the subject's CN. */
  subject: string;
  /** Becomes the subject's OU. */
  role: EntityRole;
  publicKey: KeyObject;
}

/** Self-signed certificate of the TA: CA:true (critical), keyCertSign + cRLSign, key identifiers. PEM. */
export async function taCertificate(ta: KeyPair, o: Validity): Promise<string> {
  const { notBefore, notAfter, serialNumber } = checkValidity(o);
  const publicKey = new x509.PublicKey(new Uint8Array(publicKeyDer(ta.publicKey)));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: [{ O: ["twinedge"] }, { CN: ["twinedge TA"] }],
    issuer: [{ O: ["twinedge"] }, { CN: ["twinedge TA"] }],
    notBefore,
    notAfter,
    publicKey,
    signingKey: await signingKey(ta.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(publicKey),
    ],
  });
  return cert.toString("pem") + "\n";
}

/**
 * The extended key usage of each role: a user authenticates as a TLS client, a site as a TLS
 * server, so `openssl verify -purpose sslserver` refuses a user's certificate and
 * `-purpose sslclient` a site's.
 */
const ROLE_KEY_USAGE: Record<EntityRole, x509.ExtendedKeyUsage> = {
  user: x509.ExtendedKeyUsage.clientAuth,
  site: x509.ExtendedKeyUsage.serverAuth,
};

/**
 * Certificate of a user or site, signed by the TA: subject "O=twinedge, OU=<role>,
 * CN=<subject>", issuer copied byte for byte from `taCert`, CA:false (critical),
 * digitalSignature (critical), extended key usage clientAuth (user) or serverAuth (site),
 * subject and authority key identifiers. PEM.
 */
export async function entityCertificate(ta: KeyPair, taCert: string, entity: Entity, o: Validity): Promise<string> {
  const { notBefore, notAfter, serialNumber } = checkValidity(o);
  if (typeof entity.subject !== "string" || entity.subject.length === 0 || entity.subject.length > 64) {
    throw new RangeError(`entityCertificate: subject must be 1 to 64 characters, got ${JSON.stringify(entity.subject)}`);
  }
  if (entity.role !== "user" && entity.role !== "site") throw new RangeError(`entityCertificate: unknown role ${JSON.stringify(entity.role)}`);
  const issuer = new x509.X509Certificate(taCert);
  const taSpki = publicKeyDer(ta.publicKey);
  if (!Buffer.from(issuer.publicKey.rawData).equals(taSpki)) {
    throw new Error("entityCertificate: taCert does not hold the TA's public key");
  }
  const publicKey = new x509.PublicKey(new Uint8Array(publicKeyDer(entity.publicKey)));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: [{ O: ["twinedge"] }, { OU: [entity.role] }, { CN: [entity.subject] }],
    issuer: issuer.subjectName,
    notBefore,
    notAfter,
    publicKey,
    signingKey: await signingKey(ta.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([ROLE_KEY_USAGE[entity.role]], false),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(new x509.PublicKey(new Uint8Array(taSpki))),
    ],
  });
  return cert.toString("pem") + "\n";
}

/**
 * A serial number derived from its parts (e.g. seed, label, dates): 16 octets of
 * SHA-256, positive and non-zero, so serials differ between entities, seeds and validities.
 */
export function deriveSerial(...parts: (string | number)[]): bigint {
  const b = createHash("sha256").update(`twinedge/serial/${parts.join("/")}`).digest().subarray(0, 16);
  b[0] = (b[0] & 0x7f) | 0x40;
  return BigInt(`0x${b.toString("hex")}`);
}

/** Drops a date's milliseconds, as X.509 does; deterministic helpers use it before deriving. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

async function signingKey(privateKey: KeyObject): Promise<CryptoKey> {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new RangeError(`expected an Ed25519 private key, got ${privateKey.asymmetricKeyType}`);
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return (await webcrypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"])) as CryptoKey;
}

const MIN_TIME = Date.UTC(1950, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

function checkValidity(o: Validity): { notBefore: Date; notAfter: Date; serialNumber: string } {
  const ok = (d: unknown): d is Date => d instanceof Date && Number.isFinite(d.getTime()) && d.getTime() >= MIN_TIME && d.getTime() <= MAX_TIME;
  if (!ok(o.notBefore)) throw new RangeError("certificate notBefore must be a valid date in 1950-9999");
  if (!ok(o.notAfter)) throw new RangeError("certificate notAfter must be a valid date in 1950-9999");
  const notBefore = wholeSeconds(o.notBefore);
  const notAfter = wholeSeconds(o.notAfter);
  if (notAfter.getTime() <= notBefore.getTime()) throw new RangeError("certificate notAfter must be after notBefore");
  return { notBefore, notAfter, serialNumber: serialHex(o.serial) };
}

/** Even-length hex of a positive integer of at most 20 octets (DER adds a 0x00 if the top bit is set). */
function serialHex(serial: bigint | number): string {
  if (typeof serial === "number" && !Number.isSafeInteger(serial)) throw new RangeError(`certificate serial must be a safe integer, got ${serial}`);
  const n = BigInt(serial);
  if (n <= 0n) throw new RangeError(`certificate serial must be positive, got ${n}`);
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // 20 octets including the sign octet DER may add.
  if (hex.length > 40 || (hex.length === 40 && parseInt(hex.slice(0, 2), 16) > 0x7f)) {
    throw new RangeError("certificate serial must fit in 20 octets");
  }
  return hex;
}
