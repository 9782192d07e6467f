import { describe, expect, it } from "vitest";
import { TrustedAuthority, type Endpoint } from "../src/auth/authority.js";
import { CertificateCache, verifyCertificate, type Certificate } from "../src/auth/certificate.js";
import {
  acceptCertificate, certificateMessage, messageBytes, ReplayCache, runHandshake, seededNonces, siteAcceptHello,
  siteAcceptResponse, siteChallenge, userAcceptChallenge, userHello, userResponse,
  type HandshakeMessage, type HandshakeOptions, type Peer, type SignedMessage,
} from "../src/auth/handshake.js";
import { acceptTicket, issueTicket, SessionTable, UsedTickets, type Ticket } from "../src/auth/session.js";

const SEED = 42;
const NOW = 100;

function world(seed: number | string = SEED) {
  const ta = new TrustedAuthority(seed);
  const user = ta.enroll("user:1", "user", 0, 1000);
  const site = ta.enroll("site:3", "site", 0, 1000);
  return { ta, user, site };
}

const options = (extra: Partial<HandshakeOptions> = {}): HandshakeOptions => ({
  nonce: seededNonces(SEED, "test"),
  replayCache: new ReplayCache(),
  ...extra,
});

/** Records the messages of a handshake. */
function recorder() {
  const log: HandshakeMessage[] = [];
  const intercept = <M extends HandshakeMessage>(m: M): M => (log.push(m), m);
  return { log, intercept };
}

/** Runs steps 3-8 by hand and returns what each side holds, for tampering with 9-10. */
function upToStep8(w: ReturnType<typeof world>, nonce = seededNonces(SEED, "manual"), replay = new ReplayCache()) {
  const c3 = acceptCertificate(w.site, certificateMessage(w.user, w.site.id), w.ta, NOW);
  const c4 = acceptCertificate(w.user, certificateMessage(w.site, w.user.id), w.ta, NOW, w.site.id);
  if (!c3.ok || !c4.ok) throw new Error("certificates refused");
  const userPeer: Peer = c3.value, sitePeer: Peer = c4.value;
  const hello = userHello(w.user, sitePeer, nonce());
  const s6 = siteAcceptHello(w.site, userPeer, hello.message, NOW, replay);
  if (!s6.ok) throw new Error(`step 6: ${s6.reason}`);
  const challenge = siteChallenge(s6.value, nonce());
  const u8 = userAcceptChallenge(hello.state, challenge.message);
  if (!u8.ok) throw new Error(`step 8: ${u8.reason}`);
  return { userPeer, sitePeer, m5: hello.message, m7: challenge.message, m9: userResponse(u8.value), userState: hello.state, siteState: challenge.state, replay };
}

describe("handshake (Fig. 2)", () => {
  it("authenticates both sides and reports its cost", () => {
    const { ta, user, site } = world();
    const rec = recorder();
    const r = runHandshake(user, site, ta, NOW, options({ intercept: rec.intercept }));
    expect(r).toMatchObject({ ok: true, messages: 5, signatures: 3, verifications: 5 });
    expect(rec.log.map((m) => m.step)).toEqual([3, 4, 5, 7, 9]);
    expect(r.bytes).toBe(rec.log.reduce((s, m) => s + messageBytes(m), 0));
    expect(r.bytes).toBeGreaterThan(2 * 64 + 3 * 64 + 3 * 32);
  });

  it("verifies each certificate once per verifier when caches are given", () => {
    const { ta, user, site } = world();
    const caches = { userCertCache: new CertificateCache(), siteCertCache: new CertificateCache() };
    const nonce = seededNonces(SEED, "cached"), replayCache = new ReplayCache();
    expect(runHandshake(user, site, ta, NOW, { nonce, replayCache, ...caches })).toMatchObject({ ok: true, verifications: 5 });
    expect(runHandshake(user, site, ta, NOW, { nonce, replayCache, ...caches })).toMatchObject({ ok: true, verifications: 3 });
    // Revocation and time are still checked on a cache hit.
    ta.revoke(user.certificate.serial);
    expect(runHandshake(user, site, ta, NOW, { nonce, replayCache, ...caches })).toMatchObject({ ok: false, reason: "revoked", step: 3 });
    expect(runHandshake(user, site, ta, 2000, { nonce, replayCache, ...caches })).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("refuses an expired certificate (simulated time)", () => {
    const { ta, site } = world();
    const user = ta.enroll("user:1", "user", 0, 50);
    expect(runHandshake(user, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "expired", step: 3 });
    expect(runHandshake(user, site, ta, 49.5, options())).toMatchObject({ ok: true });
  });

  it("refuses a certificate not yet valid", () => {
    const { ta, site } = world();
    const user = ta.enroll("user:1", "user", 500, 1000);
    expect(runHandshake(user, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "not-yet-valid", step: 3 });
  });

  it("refuses a revoked certificate, and the user refuses a revoked site", () => {
    const { ta, user, site } = world();
    ta.revoke(site.certificate.serial);
    expect(runHandshake(user, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "revoked", step: 4 });
  });

  it("refuses a certificate signed by another authority", () => {
    const { ta, site } = world();
    const rogue = new TrustedAuthority(SEED + 1);
    expect(rogue.id).not.toBe(ta.id);
    const user = rogue.enroll("user:1", "user", 0, 1000);
    expect(runHandshake(user, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "unknown-authority", step: 3 });
    // Claiming the right issuer does not help: the signature is the rogue's.
    const claimed = { ...user, certificate: rogueClaim(rogue, ta.id) };
    expect(runHandshake(claimed, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "bad-certificate-signature" });
  });

  it("refuses a certificate with a field changed after signing", () => {
    const { ta, user, site } = world();
    const changes: Partial<Certificate>[] = [{ notAfterS: 1e9 }, { subject: "user:2" }, { publicKey: world(7).user.certificate.publicKey }, { serial: 99 }];
    for (const change of changes) {
      // The sender claims the (changed) subject, so only the TA's signature can catch it.
      const tampered: Endpoint = { ...user, id: change.subject ?? user.id, certificate: { ...user.certificate, ...change } };
      expect(runHandshake(tampered, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "bad-certificate-signature", step: 3 });
    }
  });

  it("refuses a valid certificate for another subject", () => {
    const { ta, user, site } = world();
    const other = ta.enroll("user:2", "user", 0, 1000);
    expect(runHandshake({ ...user, certificate: other.certificate }, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "wrong-identity", step: 3 });
    // The user refuses a site that is not the one it meant to reach.
    const site4 = ta.enroll("site:4", "site", 0, 1000);
    const m4 = certificateMessage(site4, user.id);
    expect(acceptCertificate(user, m4, ta, NOW, site.id)).toEqual({ ok: false, reason: "wrong-identity" });
  });

  it("refuses a certificate of the wrong role", () => {
    const { ta, user, site } = world();
    const otherSite = ta.enroll("site:5", "site", 0, 1000);
    const posingAsUser: Endpoint = { ...otherSite, role: "user" };
    expect(runHandshake(posingAsUser, site, ta, NOW, options())).toMatchObject({ ok: false, reason: "wrong-role", step: 3 });
    const userPosingAsSite: Endpoint = { ...ta.enroll("user:9", "user", 0, 1000), role: "site" };
    expect(runHandshake(user, userPosingAsSite, ta, NOW, options())).toMatchObject({ ok: false, reason: "wrong-role", step: 4 });
  });

  it("refuses a replayed step-5 message at the same site", () => {
    const { ta, user, site } = world();
    const replayCache = new ReplayCache();
    const rec = recorder();
    expect(runHandshake(user, site, ta, NOW, { nonce: seededNonces(SEED, "a"), replayCache, intercept: rec.intercept }).ok).toBe(true);
    const old5 = rec.log.find((m) => m.step === 5)!;
    const replay = <M extends HandshakeMessage>(m: M): M => (m.step === 5 ? (old5 as M) : m);
    const r = runHandshake(user, site, ta, NOW + 1, { nonce: seededNonces(SEED, "b"), replayCache, intercept: replay });
    expect(r).toMatchObject({ ok: false, reason: "replayed", step: 5 });
  });

  it("refuses the site's step-7 signature reflected as a user step-5 or step-9 message", () => {
    const w = world();
    const s = upToStep8(w);
    expect(siteAcceptResponse(s.siteState, s.m7)).toEqual({ ok: false, reason: "reflected" });
    const as9: SignedMessage = { ...s.m7, step: 9, from: w.user.id, to: w.site.id, hello: undefined };
    expect(siteAcceptResponse(s.siteState, as9)).toEqual({ ok: false, reason: "reflected" });
    const as5: SignedMessage = { ...s.m7, step: 5, from: w.user.id, to: w.site.id };
    expect(siteAcceptHello(w.site, s.userPeer, as5, NOW, new ReplayCache())).toEqual({ ok: false, reason: "reflected" });
    // And the user's own step 5 sent back to it as the site's step 7.
    expect(userAcceptChallenge(s.userState, { ...s.m5, r2: s.m7.r2 })).toEqual({ ok: false, reason: "reflected" });
  });

  it("refuses a message spliced from another session", () => {
    const w = world();
    const a = upToStep8(w, seededNonces(SEED, "session-a"));
    const b = upToStep8(w, seededNonces(SEED, "session-b"), a.replay);
    expect(siteAcceptResponse(b.siteState, b.m9).ok).toBe(true);
    expect(siteAcceptResponse(b.siteState, a.m9)).toEqual({ ok: false, reason: "spliced" });
    expect(userAcceptChallenge(b.userState, a.m7)).toEqual({ ok: false, reason: "spliced" });
    // Relabelled to look like session b, the signature no longer verifies.
    const relabelled = { ...a.m9, sessionId: b.m9.sessionId, r1: b.m9.r1, r2: b.m9.r2 };
    expect(siteAcceptResponse(b.siteState, relabelled)).toEqual({ ok: false, reason: "bad-signature" });
    // A step 5 addressed to site:3 presented to site:4.
    const site4 = w.ta.enroll("site:4", "site", 0, 1000);
    expect(siteAcceptHello(site4, a.userPeer, a.m5, NOW, new ReplayCache())).toEqual({ ok: false, reason: "spliced" });
  });

  it("refuses a truncated signature as malformed and an altered one as bad", () => {
    const { ta, user, site } = world();
    const truncate = <M extends HandshakeMessage>(m: M): M => (m.step === 9 ? { ...m, signature: m.signature.subarray(0, 63) } : m);
    expect(runHandshake(user, site, ta, NOW, options({ intercept: truncate }))).toMatchObject({ ok: false, reason: "malformed", step: 9 });
    const alter = <M extends HandshakeMessage>(m: M): M => {
      if (m.step !== 7) return m;
      const sig = Buffer.from((m as SignedMessage).signature);
      sig[10] ^= 0x01;
      return { ...m, signature: sig };
    };
    expect(runHandshake(user, site, ta, NOW, options({ intercept: alter }))).toMatchObject({ ok: false, reason: "bad-signature", step: 7 });
  });

  it("is deterministic: same seed, same certificates and messages", () => {
    const transcript = (seed: number) => {
      const { ta, user, site } = world(seed);
      const rec = recorder();
      runHandshake(user, site, ta, NOW, { nonce: seededNonces(seed), replayCache: new ReplayCache(), intercept: rec.intercept });
      return { ta: ta.id, certs: [user.certificate, site.certificate], log: rec.log };
    };
    expect(transcript(5)).toEqual(transcript(5));
    expect(transcript(5).certs[0].signature).not.toEqual(transcript(6).certs[0].signature);
  });
});

describe("certificates and the replay cache", () => {
  it("verifyCertificate gives the plain verdict", () => {
    const { ta, user } = world();
    expect(verifyCertificate(user.certificate, ta.publicKey, ta.id, NOW, ta.revoked)).toEqual({ ok: true });
    expect(verifyCertificate({ ...user.certificate, signature: Buffer.alloc(10) }, ta.publicKey, ta.id, NOW, ta.revoked)).toEqual({ ok: false, reason: "malformed" });
  });

  it("issues increasing serials", () => {
    const { ta, user, site } = world();
    expect([user.certificate.serial, site.certificate.serial, ta.enroll("user:2", "user", 0, 1).certificate.serial]).toEqual([1, 2, 3]);
  });

  it("is bounded and forgets after its window", () => {
    const cache = new ReplayCache(2, 10);
    const n = seededNonces(1);
    const [a, b, c] = [n(), n(), n()];
    expect([cache.admit(a, 0), cache.admit(a, 5)]).toEqual([true, false]);
    expect(cache.admit(a, 10)).toBe(true);
    cache.admit(b, 11);
    cache.admit(c, 12);
    expect(cache.size).toBe(2);
  });
});

describe("sessions and resumption tickets", () => {
  it("stays valid for its lifetime", () => {
    const table = new SessionTable(60, new Set());
    table.open("user:1", "site:3", 10, { serial: 1, notAfterS: 1000 });
    expect(table.check("user:1", "site:3", 69.9)).toMatchObject({ ok: true });
    expect(table.check("user:1", "site:3", 70)).toEqual({ ok: false, reason: "session-expired" });
    expect(table.check("user:1", "site:4", 20)).toEqual({ ok: false, reason: "no-session" });
    expect(table.prune(70)).toBe(1);
  });

  const LIFETIME_S = 60;

  function migration() {
    const { ta, user, site } = world();
    const target = ta.enroll("site:4", "site", 0, 1000);
    const table = new SessionTable(60, ta.revoked);
    const session = table.open(user.id, site.id, NOW, user.certificate);
    const ticket = issueTicket(site, session, target.id, NOW + 5, user.certificate);
    return { ta, user, site, target, table, ticket };
  }

  it("accepts a ticket once, keeping the session's expiry", () => {
    const { ta, site, target, table, ticket } = migration();
    const used = new UsedTickets();
    const r = acceptTicket(target, ticket, site.certificate, ta, NOW + 6, used, LIFETIME_S);
    expect(r).toMatchObject({ ok: true, value: { session: { user: "user:1", site: "site:4", expiresS: NOW + 60, resumed: true }, verifications: 3 } });
    if (r.ok) table.adopt(r.value.session);
    expect(table.check("user:1", "site:4", NOW + 59).ok).toBe(true);
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 7, used, LIFETIME_S)).toEqual({ ok: false, reason: "replayed" });
  });

  it("refuses a ticket for another target, expired, or forged", () => {
    const { ta, user, site, target, ticket } = migration();
    const other = ta.enroll("site:5", "site", 0, 1000);
    expect(acceptTicket(other, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "wrong-target" });
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 60, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "ticket-expired" });
    const extended: Ticket = { ...ticket, sessionExpiresS: 1e9 };
    expect(acceptTicket(target, extended, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "bad-signature" });
    // Signed by another site while claiming to come from site:3.
    const byOther = { ...issueTicket(other, { user: user.id, site: other.id, userSerial: user.certificate.serial, establishedS: NOW, expiresS: NOW + 60, resumed: false }, target.id, NOW, user.certificate), fromSite: site.id };
    expect(acceptTicket(target, byOther, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "bad-signature" });
    // The source's certificate is checked as in steps 3-4.
    expect(acceptTicket(target, ticket, other.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "wrong-identity" });
    ta.revoke(site.certificate.serial);
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "revoked" });
  });
});

/** A certificate made by `rogue` but naming `issuer`. */
function rogueClaim(rogue: TrustedAuthority, issuer: string): Certificate {
  const c = rogue.enroll("user:1", "user", 0, 1000).certificate;
  (rogue as unknown as { id: string }).id = issuer;
  const forged = rogue.issue(c.subject, c.role, c.publicKey, c.notBeforeS, c.notAfterS);
  return forged;
}
