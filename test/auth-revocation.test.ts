// Revocation reaches live sessions and trust-transfer tickets, and a ticket can neither extend
// a session nor move a session for an identity that is not an enrolled user.
import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TrustedAuthority, type Endpoint } from "../src/auth/authority.js";
import { ReplayCache, runHandshake, seededNonces } from "../src/auth/handshake.js";
import { acceptTicket, issueTicket, SessionTable, ticketTbs, UsedTickets, type Ticket } from "../src/auth/session.js";

const LIFETIME_S = 60;
const NOW = 100;

/** A user authenticated at site:3 by a real handshake, its session open there, and a second site. */
function authenticated(userNotAfterS = 1000, siteNotAfterS = 1000) {
  const ta = new TrustedAuthority(5);
  const user = ta.enroll("user:1", "user", 0, userNotAfterS);
  const site = ta.enroll("site:3", "site", 0, siteNotAfterS);
  const target = ta.enroll("site:4", "site", 0, 1000);
  const h = runHandshake(user, site, ta, NOW, { nonce: seededNonces(5), replayCache: new ReplayCache() });
  if (!h.ok) throw new Error(`handshake refused: ${h.reason}`);
  const table = new SessionTable(LIFETIME_S, ta.revoked);
  const session = table.open(user.id, site.id, NOW, user.certificate);
  return { ta, user, site, target, table, session };
}

/** A ticket with any fields, signed by `source` (a faulty or compromised source site). */
function signedBy(source: Endpoint, body: Omit<Ticket, "signature">): Ticket {
  return { ...body, signature: sign(null, ticketTbs(body), source.privateKey) };
}

describe("revocation reaches sessions", () => {
  it("a session check refuses a user revoked after its handshake", () => {
    const { ta, user, site, table } = authenticated();
    expect(table.check(user.id, site.id, NOW + 1).ok).toBe(true);
    ta.revoke(user.certificate.serial);
    expect(table.check(user.id, site.id, NOW + 2)).toEqual({ ok: false, reason: "revoked" });
    // The session is gone for good, not only refused once.
    expect(table.check(user.id, site.id, NOW + 3)).toEqual({ ok: false, reason: "no-session" });
  });

  it("a resumed session is checked against the revocation list too", () => {
    const { ta, user, site, target, table, session } = authenticated();
    const r = acceptTicket(target, issueTicket(site, session, target.id, NOW + 5, user.certificate), site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S);
    if (!r.ok) throw new Error(r.reason);
    table.adopt(r.value.session);
    expect(table.check(user.id, target.id, NOW + 7).ok).toBe(true);
    ta.revoke(user.certificate.serial);
    expect(table.check(user.id, target.id, NOW + 8)).toEqual({ ok: false, reason: "revoked" });
  });

  it("revoking another user's certificate leaves the session alone; prune drops revoked sessions", () => {
    const { ta, user, site, table } = authenticated();
    const other = ta.enroll("user:2", "user", 0, 1000);
    table.open(other.id, site.id, NOW, other.certificate);
    ta.revoke(other.certificate.serial);
    expect(table.check(user.id, site.id, NOW + 1).ok).toBe(true);
    expect(table.prune(NOW + 1)).toBe(1);
    expect(table.size).toBe(1);
  });

  it("a session never outlives the user's certificate", () => {
    const { user, site, table } = authenticated(NOW + 10);
    expect(table.check(user.id, site.id, NOW + 9.5).ok).toBe(true);
    expect(table.check(user.id, site.id, NOW + 10)).toEqual({ ok: false, reason: "session-expired" });
  });
});

describe("revocation reaches tickets", () => {
  it("a ticket for a user revoked after it was issued is refused at redemption", () => {
    const { ta, user, site, target, session } = authenticated();
    const ticket = issueTicket(site, session, target.id, NOW + 5, user.certificate);
    ta.revoke(user.certificate.serial);
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "revoked" });
  });

  it("a ticket carrying an expired user certificate is refused", () => {
    const { ta, user, site, target, session } = authenticated(NOW + 8);
    const ticket = issueTicket(site, session, target.id, NOW + 5, user.certificate);
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 9, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "expired" });
  });

  it("the source cannot issue a ticket with a certificate the session does not rest on", () => {
    const { ta, site, target, session } = authenticated();
    const other = ta.enroll("user:2", "user", 0, 1000);
    expect(() => issueTicket(site, session, target.id, NOW + 5, other.certificate)).toThrow(/not the one the session/);
  });
});

describe("a ticket's session", () => {
  it("is capped at issuedS + the session lifetime, even if the source signed a far expiry", () => {
    const { ta, user, site, target } = authenticated();
    const ticket = signedBy(site, { user: user.id, userCertificate: user.certificate, fromSite: site.id, toSite: target.id, sessionExpiresS: 1e15, issuedS: NOW + 5 });
    const r = acceptTicket(target, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S);
    expect(r).toMatchObject({ ok: true, value: { session: { expiresS: NOW + 5 + LIFETIME_S } } });
    // And past that cap, the same kind of ticket is expired.
    const late = signedBy(site, { ...ticket, issuedS: NOW - LIFETIME_S });
    expect(acceptTicket(target, late, site.certificate, ta, NOW + 1, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "ticket-expired" });
  });

  it("is capped at the source site's certificate notAfter", () => {
    const { ta, user, site, target } = authenticated(1000, NOW + 20);
    const ticket = signedBy(site, { user: user.id, userCertificate: user.certificate, fromSite: site.id, toSite: target.id, sessionExpiresS: 1e15, issuedS: NOW + 5 });
    const r = acceptTicket(target, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S);
    expect(r).toMatchObject({ ok: true, value: { session: { expiresS: NOW + 20 } } });
  });

  it("is capped at the user's certificate notAfter", () => {
    const { ta, user, site, target } = authenticated(NOW + 30);
    const ticket = signedBy(site, { user: user.id, userCertificate: user.certificate, fromSite: site.id, toSite: target.id, sessionExpiresS: 1e15, issuedS: NOW + 5 });
    expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toMatchObject({ ok: true, value: { session: { expiresS: NOW + 30 } } });
  });

  it("must belong to an enrolled user identity: a site's identity, or another user's, is refused", () => {
    const { ta, user, site, target } = authenticated();
    const site9 = ta.enroll("site:9", "site", 0, 1000);
    const body = { fromSite: site.id, toSite: target.id, sessionExpiresS: NOW + 60, issuedS: NOW + 5 };
    // Naming "site:9" with the user's certificate: the certificate names someone else.
    const renamed = signedBy(site, { ...body, user: "site:9", userCertificate: user.certificate });
    expect(acceptTicket(target, renamed, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "wrong-identity" });
    // Naming "site:9" with site:9's own certificate: not a user's.
    const asSite = signedBy(site, { ...body, user: "site:9", userCertificate: site9.certificate });
    expect(acceptTicket(target, asSite, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "wrong-role" });
    // A user certificate from another authority.
    const foreign = new TrustedAuthority(6).enroll("user:1", "user", 0, 1000);
    const rogue = signedBy(site, { ...body, user: "user:1", userCertificate: foreign.certificate });
    expect(acceptTicket(target, rogue, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "unknown-authority" });
    // A user certificate altered after the TA signed it (the source's signature covers the altered one).
    const tampered = signedBy(site, { ...body, user: "user:1", userCertificate: { ...user.certificate, notAfterS: 1e9 } });
    expect(acceptTicket(target, tampered, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "bad-certificate-signature" });
  });

  it("binds the user's certificate: swapping it after signing breaks the source's signature", () => {
    const { ta, user, site, target, session } = authenticated();
    const other = ta.enroll("user:1", "user", 0, 1000); // a second, valid certificate of the same user
    const ticket = issueTicket(site, session, target.id, NOW + 5, user.certificate);
    const swapped: Ticket = { ...ticket, userCertificate: other.certificate };
    expect(acceptTicket(target, swapped, site.certificate, ta, NOW + 6, new UsedTickets(), LIFETIME_S)).toEqual({ ok: false, reason: "bad-signature" });
  });
});
