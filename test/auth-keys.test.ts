// Key derivation is domain-separated and its encoding unambiguous: no entity can be handed the
// trusted authority's signing key, and no two (seed, label) pairs share a key.
import { sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { entityKeys, TrustedAuthority } from "../src/auth/authority.js";
import { checkPeerCertificate, tbsBytes, type Certificate } from "../src/auth/certificate.js";
import { deriveKeyPair, entityKeyPair, publicKeyDer, taKeyPair } from "../src/auth/keys.js";

const spki = (k: { publicKey: KeyObject }) => publicKeyDer(k.publicKey).toString("hex");

describe("key derivation", () => {
  it("an entity enrolled under the TA's name does not get the TA's signing key", () => {
    const ta = new TrustedAuthority(42);
    const impostor = ta.enroll("ta", "site", 0, 1000);
    expect(impostor.certificate.publicKey).not.toEqual(publicKeyDer(ta.publicKey));
    // Its key cannot sign as the TA: a certificate it makes for itself is refused.
    const body = { serial: 999, subject: "user:666", role: "user" as const, issuer: ta.id, publicKey: impostor.certificate.publicKey, notBeforeS: 0, notAfterS: 1e9 };
    const forged: Certificate = { ...body, signature: sign(null, tbsBytes(body), impostor.privateKey) };
    expect(checkPeerCertificate(forged, ta, 5, "user:666", "user")).toEqual({ ok: false, reason: "bad-certificate-signature" });
    expect(spki(entityKeys(42, "ta"))).not.toBe(spki(taKeyPair(42)));
    expect(spki(entityKeyPair(42, "ta"))).not.toBe(spki(taKeyPair(42, "ta")));
  });

  it("a TA named like an entity does not hold that entity's key", () => {
    expect(spki(taKeyPair(42, "user:1"))).not.toBe(spki(entityKeyPair(42, "user:1")));
    // And a site enrolled normally is not impersonable by a TA of that name.
    const ta = new TrustedAuthority(42);
    const site = ta.enroll("site:3", "site", 0, 1000);
    const rogue = new TrustedAuthority(42, "site:3");
    expect(publicKeyDer(rogue.publicKey)).not.toEqual(site.certificate.publicKey);
  });

  it("encodes seed and label unambiguously (length-prefixed, typed seed)", () => {
    // These collided when the input was the string "twinedge/auth/<seed>/<label>".
    expect(spki(entityKeyPair("1/user", "x"))).not.toBe(spki(entityKeyPair("1", "user/x")));
    expect(spki(entityKeyPair(1, "user:1"))).not.toBe(spki(entityKeyPair("1", "user:1")));
    expect(spki(taKeyPair("7/rogue", "ta"))).not.toBe(spki(taKeyPair(7, "rogue/ta")));
  });

  it("is reproducible: same domain, seed and label give the same key, and the TA's key signs certificates that verify", () => {
    expect(spki(taKeyPair(9))).toBe(spki(deriveKeyPair("ta", 9, "ta")));
    expect(spki(entityKeyPair(9, "user:2"))).toBe(spki(deriveKeyPair("entity", 9, "user:2")));
    const ta = new TrustedAuthority(9);
    expect(publicKeyDer(ta.publicKey)).toEqual(publicKeyDer(taKeyPair(9).publicKey));
    const user = ta.enroll("user:2", "user", 0, 10);
    expect(user.certificate.publicKey).toEqual(publicKeyDer(entityKeyPair(9, "user:2").publicKey));
    expect(checkPeerCertificate(user.certificate, ta, 5, "user:2", "user").ok).toBe(true);
  });

  it("refuses a non-finite seed or an empty label", () => {
    expect(() => entityKeyPair(Number.NaN, "user:1")).toThrow(RangeError);
    expect(() => taKeyPair(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => entityKeyPair(1, "")).toThrow(RangeError);
  });
});
