// Time checks fail closed: a non-finite time (NaN, +Infinity, -Infinity) for "now", a
// certificate's notBefore or notAfter, or a session's or ticket's expiry is refused, never
// accepted. (Comparisons with NaN are all false, so a check written "refuse if now >= end"
// accepts NaN; these tests catch any such check.)
import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TrustedAuthority } from "../src/auth/authority.js";
import { checkPeerCertificate, tbsBytes, verifyCertificate, type Certificate } from "../src/auth/certificate.js";
import {
  acceptCertificate, certificateMessage, ReplayCache, runHandshake, seededNonces, siteAcceptHello, userHello,
} from "../src/auth/handshake.js";
import { taKeyPair } from "../src/auth/keys.js";
import { acceptTicket, issueTicket, SessionTable, ticketTbs, UsedTickets, type Ticket } from "../src/auth/session.js";

const BAD_TIMES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const NOW = 100;

function world() {
  const ta = new TrustedAuthority(11);
  return { ta, user: ta.enroll("user:1", "user", 0, 1000), site: ta.enroll("site:3", "site", 0, 1000), target: ta.enroll("site:4", "site", 0, 1000) };
}

describe("a non-finite now is refused", () => {
  for (const t of BAD_TIMES) {
    it(`by certificate checks and the handshake (now = ${t})`, () => {
      const { ta, user, site } = world();
      expect(verifyCertificate(user.certificate, ta.publicKey, ta.id, t, ta.revoked).ok).toBe(false);
      expect(checkPeerCertificate(user.certificate, ta, t, user.id, "user").ok).toBe(false);
      expect(runHandshake(user, site, ta, t, { nonce: seededNonces(11), replayCache: new ReplayCache() }).ok).toBe(false);
    });

    it(`by session checks (now = ${t})`, () => {
      const { ta, user, site } = world();
      const table = new SessionTable(60, ta.revoked);
      table.open(user.id, site.id, NOW, user.certificate);
      expect(table.check(user.id, site.id, t).ok).toBe(false);
      expect(() => table.open(user.id, site.id, t, user.certificate)).toThrow(RangeError);
      expect(() => table.prune(t)).toThrow(RangeError);
    });

    it(`by ticket redemption and the replay cache (now = ${t})`, () => {
      const { ta, user, site, target } = world();
      const session = new SessionTable(60, ta.revoked).open(user.id, site.id, NOW, user.certificate);
      const ticket = issueTicket(site, session, target.id, NOW, user.certificate);
      expect(acceptTicket(target, ticket, site.certificate, ta, t, new UsedTickets(), 60).ok).toBe(false);
      expect(() => issueTicket(site, session, target.id, t, user.certificate)).toThrow(RangeError);
      const nonce = seededNonces(11, "r")();
      expect(new ReplayCache().admit(nonce, t)).toBe(false);
      // Step 6 at a non-finite time, with an otherwise valid step 5.
      const peer = acceptCertificate(site, certificateMessage(user, site.id), ta, NOW);
      const sitePeer = acceptCertificate(user, certificateMessage(site, user.id), ta, NOW, site.id);
      if (!peer.ok || !sitePeer.ok) throw new Error("certificates refused");
      const hello = userHello(user, sitePeer.value, nonce);
      expect(siteAcceptHello(site, peer.value, hello.message, t, new ReplayCache())).toEqual({ ok: false, reason: "invalid-time" });
      expect(siteAcceptHello(site, peer.value, hello.message, NOW, new ReplayCache()).ok).toBe(true);
    });
  }

  it("gives the reason invalid-time", () => {
    const { ta, user, site, target } = world();
    expect(checkPeerCertificate(user.certificate, ta, Number.NaN, user.id, "user")).toEqual({ ok: false, reason: "invalid-time" });
    const table = new SessionTable(60, ta.revoked);
    const session = table.open(user.id, site.id, NOW, user.certificate);
    expect(table.check(user.id, site.id, Number.NaN)).toEqual({ ok: false, reason: "invalid-time" });
    const ticket = issueTicket(site, session, target.id, NOW, user.certificate);
    expect(acceptTicket(target, ticket, site.certificate, ta, Number.NaN, new UsedTickets(), 60)).toEqual({ ok: false, reason: "invalid-time" });
  });
});

describe("non-finite validity bounds and expiries are refused", () => {
  for (const t of BAD_TIMES) {
    it(`the TA issues no certificate with a bound of ${t}`, () => {
      const { ta } = world();
      expect(() => ta.enroll("user:2", "user", t, 1000)).toThrow(RangeError);
      expect(() => ta.enroll("user:2", "user", 0, t)).toThrow(RangeError);
    });

    it(`a certificate signed with a bound of ${t} is refused`, () => {
      // Signed with the TA's own key (the signature is valid): still refused.
      const { ta, user } = world();
      const signWith = (change: Partial<Certificate>): Certificate => {
        const body = { ...user.certificate, ...change };
        const { signature: _, ...tbs } = body;
        return { ...body, signature: sign(null, tbsBytes(tbs), taKeyPair(11).privateKey) };
      };
      for (const change of [{ notBeforeS: t }, { notAfterS: t }]) {
        expect(checkPeerCertificate(signWith(change), ta, NOW, user.id, "user").ok, JSON.stringify(change)).toBe(false);
      }
    });

    it(`a session lifetime, a credential's notAfter or an adopted expiry of ${t} is refused`, () => {
      const { ta, user, site } = world();
      expect(() => new SessionTable(t, ta.revoked)).toThrow(RangeError);
      const table = new SessionTable(60, ta.revoked);
      expect(() => table.open(user.id, site.id, NOW, { serial: user.certificate.serial, notAfterS: t })).toThrow(RangeError);
      expect(() => table.adopt({ user: user.id, site: site.id, userSerial: 1, establishedS: NOW, expiresS: t, resumed: true })).toThrow(RangeError);
      expect(table.check(user.id, site.id, NOW)).toEqual({ ok: false, reason: "no-session" });
    });

    it(`a ticket whose expiry or issue time is ${t} is refused, and so is a lifetime of ${t}`, () => {
      const { ta, user, site, target } = world();
      for (const change of [{ sessionExpiresS: t }, { issuedS: t }]) {
        const body = { user: user.id, userCertificate: user.certificate, fromSite: site.id, toSite: target.id, sessionExpiresS: NOW + 60, issuedS: NOW, ...change };
        const ticket: Ticket = { ...body, signature: sign(null, ticketTbs(body), site.privateKey) };
        expect(acceptTicket(target, ticket, site.certificate, ta, NOW + 1, new UsedTickets(), 60), JSON.stringify(change)).toEqual({ ok: false, reason: "malformed" });
      }
      const session = new SessionTable(60, ta.revoked).open(user.id, site.id, NOW, user.certificate);
      const ticket = issueTicket(site, session, target.id, NOW, user.certificate);
      expect(() => acceptTicket(target, ticket, site.certificate, ta, NOW + 1, new UsedTickets(), t)).toThrow(RangeError);
    });
  }
});
