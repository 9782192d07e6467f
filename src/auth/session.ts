// Sessions and their transfer on migration. A full handshake (Fig. 2) opens a session between a
// user and a site that stays valid lifetimeS of simulated time, so the user is not
// re-authenticated at every task. When the user's twin migrates, the source site hands the
// target a resumption ticket it signs, and the target accepts the user without a handshake:
// the paper's aim of avoiding "a large number of authentication procedures". The ticket goes
// site to site with the twin (over the backhaul), so it names the user rather than being
// proved by the user; it carries the user's certificate, which the target checks as in steps
// 3-4 (so only an enrolled, unrevoked, current user identity can be moved), and the session
// it opens keeps the original expiry, capped at the ticket's issue time plus the session
// lifetime and at both certificates' notAfter: a ticket never extends trust.
//
// Revocation reaches live sessions: each session remembers the serial of the user certificate
// it rests on, and every session check consults the authority's revocation list.
import { createHash, sign, verify } from "node:crypto";
import type { Endpoint } from "./authority.js";
import {
  certificateBytes, checkPeerCertificate, encodeFields, ED25519_SIGNATURE_BYTES, tbsBytes, wellFormed,
  type Certificate, type CertificateCache, type Refusal, type TrustAnchor, type Verdict,
} from "./certificate.js";

export interface Session {
  user: string;
  site: string;
  /** Serial of the user certificate the session rests on: revoking it ends the session. */
  userSerial: number;
  establishedS: number;
  /** Valid while nowS < expiresS. */
  expiresS: number;
  /** Opened from a ticket rather than a full handshake. */
  resumed: boolean;
}

/** What a site learned from the user's verified certificate that a session keeps depending on. */
export interface SessionCredential {
  serial: number;
  notAfterS: number;
}

const refuse = (reason: Refusal): { ok: false; reason: Refusal } => ({ ok: false, reason });

function finiteTime(name: string, t: number): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite time in simulated seconds, got ${t}`);
}

/** The sessions of all (user, site) pairs, checked against the authority's revocation list. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  /** `revoked` is read at every check (a live view, such as TrustedAuthority.revoked). */
  constructor(readonly lifetimeS: number, private readonly revoked: ReadonlySet<number>) {
    if (!(lifetimeS > 0) || !Number.isFinite(lifetimeS)) throw new RangeError(`a session lifetime must be positive and finite, got ${lifetimeS}`);
  }

  private static key(user: string, site: string): string {
    return `${user}\u0000${site}`;
  }

  /**
   * After a full handshake: a session from nowS of lifetimeS, but never past the user
   * certificate's notAfter (replacing any older one).
   */
  open(user: string, site: string, nowS: number, credential: SessionCredential): Session {
    finiteTime("a session's opening time", nowS);
    finiteTime("a credential's notAfterS", credential.notAfterS);
    const expiresS = Math.min(nowS + this.lifetimeS, credential.notAfterS);
    const s: Session = { user, site, userSerial: credential.serial, establishedS: nowS, expiresS, resumed: false };
    this.sessions.set(SessionTable.key(user, site), s);
    return s;
  }

  /** After an accepted ticket. */
  adopt(session: Session): void {
    finiteTime("an adopted session's expiresS", session.expiresS);
    this.sessions.set(SessionTable.key(session.user, session.site), session);
  }

  /**
   * The live session of (user, site), or why there is none. A session whose user certificate
   * was revoked since is refused ("revoked") and dropped; a non-finite nowS is refused.
   */
  check(user: string, site: string, nowS: number): Verdict<Session> {
    if (!Number.isFinite(nowS)) return refuse("invalid-time");
    const k = SessionTable.key(user, site);
    const s = this.sessions.get(k);
    if (!s) return refuse("no-session");
    if (this.revoked.has(s.userSerial)) {
      this.sessions.delete(k);
      return refuse("revoked");
    }
    if (!(nowS < s.expiresS)) return refuse("session-expired");
    return { ok: true, value: s };
  }

  close(user: string, site: string): void {
    this.sessions.delete(SessionTable.key(user, site));
  }

  /** Drops expired and revoked sessions; returns how many. */
  prune(nowS: number): number {
    finiteTime("prune's nowS", nowS);
    let n = 0;
    for (const [k, s] of this.sessions) if (nowS >= s.expiresS || this.revoked.has(s.userSerial)) (this.sessions.delete(k), n++);
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }
}

export interface Ticket {
  user: string;
  /** The user's certificate, which the source verified at the handshake; the target checks it again. */
  userCertificate: Certificate;
  fromSite: string;
  toSite: string;
  sessionExpiresS: number;
  issuedS: number;
  /** The source site's Ed25519 signature over ticketTbs. */
  signature: Buffer;
}

const TICKET_TAG = "twinedge/ticket/v2";

/** The signed bytes: the tag, then every field, the user's certificate whole (signed bytes and TA signature). */
export function ticketTbs(t: Omit<Ticket, "signature">): Buffer {
  const c = t.userCertificate;
  return encodeFields([TICKET_TAG, t.user, tbsBytes(c), c.signature, t.fromSite, t.toSite, t.sessionExpiresS, t.issuedS]);
}

/** Backhaul bytes of a resumption: the ticket (the user's certificate inside) and the source site's certificate. */
export function ticketMessageBytes(t: Ticket, sourceCertificate: Certificate): number {
  return ticketTbs(t).length + 4 + t.signature.length + certificateBytes(sourceCertificate);
}

/**
 * The source site signs a ticket moving `session` to `toSite`, carrying the certificate the
 * user authenticated with (the one the session rests on). The ticket's session expiry is the
 * session's, never past either certificate's notAfter.
 */
export function issueTicket(source: Endpoint, session: Session, toSite: string, nowS: number, userCertificate: Certificate): Ticket {
  if (session.site !== source.id) throw new Error(`site ${source.id} cannot issue a ticket for a session at ${session.site}`);
  if (userCertificate.subject !== session.user || userCertificate.serial !== session.userSerial) {
    throw new Error(`the certificate of ${userCertificate.subject} (serial ${userCertificate.serial}) is not the one the session of ${session.user} rests on`);
  }
  finiteTime("a ticket's issue time", nowS);
  const sessionExpiresS = Math.min(session.expiresS, userCertificate.notAfterS, source.certificate.notAfterS);
  const body = { user: session.user, userCertificate, fromSite: source.id, toSite, sessionExpiresS, issuedS: nowS };
  return { ...body, signature: sign(null, ticketTbs(body), source.privateKey) };
}

/**
 * Tickets a target site has accepted, each kept until its (capped) session expiry, after which
 * the ticket is refused as expired anyway. Keyed by the digest of the signed fields: Ed25519 is
 * deterministic, so two identical tickets are one ticket, and the second is a reuse.
 */
export class UsedTickets {
  private readonly used = new Map<string, number>();
  private pruneAt = 1024;

  static key(t: Ticket): string {
    return createHash("sha256").update(ticketTbs(t)).digest("base64");
  }
  has(t: Ticket): boolean {
    return this.used.has(UsedTickets.key(t));
  }
  /** Remembers `t` until untilS (by default its own sessionExpiresS). */
  add(t: Ticket, nowS: number, untilS = t.sessionExpiresS): void {
    if (this.used.size >= this.pruneAt) {
      for (const [k, until] of this.used) if (nowS >= until) this.used.delete(k);
      this.pruneAt = Math.max(1024, 2 * this.used.size);
    }
    this.used.set(UsedTickets.key(t), untilS);
  }
  get size(): number {
    return this.used.size;
  }
}

function wellFormedTicket(t: unknown): t is Ticket {
  if (typeof t !== "object" || t === null) return false;
  const x = t as Record<string, unknown>;
  const str = (s: unknown) => typeof s === "string" && s.length > 0;
  return (
    str(x.user) && wellFormed(x.userCertificate) && str(x.fromSite) && str(x.toSite) && x.fromSite !== x.toSite &&
    Number.isFinite(x.sessionExpiresS) && Number.isFinite(x.issuedS) &&
    Buffer.isBuffer(x.signature) && x.signature.length === ED25519_SIGNATURE_BYTES
  );
}

/**
 * The target site's side of a resumption, at simulated time nowS (refused if not finite):
 *  - the source's certificate verifies against the TA as in steps 3-4 (a site's, naming the
 *    ticket's fromSite), and the ticket's signature verifies with it and names this site;
 *  - the user's certificate in the ticket verifies as a user's naming the ticket's user: an
 *    enrolled user identity, not revoked, current;
 *  - the session expires at min(the ticket's sessionExpiresS, issuedS + lifetimeS, both
 *    certificates' notAfterS), and must still be live; the ticket is unused.
 * Accepting marks it used.
 */
export function acceptTicket(
  target: Pick<Endpoint, "id">, ticket: Ticket, sourceCertificate: Certificate, anchor: TrustAnchor, nowS: number,
  used: UsedTickets, lifetimeS: number, cache?: CertificateCache,
): Verdict<{ session: Session; verifications: number }> {
  if (!(lifetimeS > 0) || !Number.isFinite(lifetimeS)) throw new RangeError(`a session lifetime must be positive and finite, got ${lifetimeS}`);
  if (!Number.isFinite(nowS)) return refuse("invalid-time");
  if (!wellFormedTicket(ticket)) return refuse("malformed");
  if (ticket.toSite !== target.id) return refuse("wrong-target");
  const source = checkPeerCertificate(sourceCertificate, anchor, nowS, ticket.fromSite, "site", cache);
  if (!source.ok) return source;
  if (!verify(null, ticketTbs(ticket), source.value.key, ticket.signature)) return refuse("bad-signature");
  const user = checkPeerCertificate(ticket.userCertificate, anchor, nowS, ticket.user, "user", cache);
  if (!user.ok) return user;
  if (!(nowS >= ticket.issuedS)) return refuse("not-yet-valid");
  const untilS = Math.min(ticket.sessionExpiresS, ticket.issuedS + lifetimeS);
  const expiresS = Math.min(untilS, sourceCertificate.notAfterS, ticket.userCertificate.notAfterS);
  if (!(nowS < expiresS)) return refuse("ticket-expired");
  if (used.has(ticket)) return refuse("replayed");
  used.add(ticket, nowS, untilS);
  const session: Session = {
    user: ticket.user, site: target.id, userSerial: ticket.userCertificate.serial, establishedS: nowS, expiresS, resumed: true,
  };
  return { ok: true, value: { session, verifications: source.value.verifications + 1 + user.value.verifications } };
}
