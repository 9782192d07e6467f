// Sessions and their transfer on migration. A full handshake (Fig. 2) opens a session between a
// user and a site that stays valid lifetimeS of simulated time, so the user is not
// re-authenticated at every task. When the user's twin migrates, the source site hands the
// target a resumption ticket it signs, and the target accepts the user without a handshake:
// the paper's aim of avoiding "a large number of authentication procedures". The ticket goes
// site to site with the twin (over the backhaul), so it names the user rather than being
// proved by the user; the session it opens keeps the original expiry, never extends it.
import { createHash, sign, verify } from "node:crypto";
import type { Endpoint } from "./authority.js";
import {
  certificateBytes, checkPeerCertificate, encodeFields, ED25519_SIGNATURE_BYTES,
  type Certificate, type CertificateCache, type Refusal, type TrustAnchor, type Verdict,
} from "./certificate.js";

export interface Session {
  user: string;
  site: string;
  establishedS: number;
  /** Valid while nowS < expiresS. */
  expiresS: number;
  /** Opened from a ticket rather than a full handshake. */
  resumed: boolean;
}

const refuse = (reason: Refusal): { ok: false; reason: Refusal } => ({ ok: false, reason });

/** The sessions of all (user, site) pairs. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  constructor(readonly lifetimeS: number) {
    if (!(lifetimeS > 0)) throw new Error(`a session lifetime must be positive, got ${lifetimeS}`);
  }

  private static key(user: string, site: string): string {
    return `${user}\u0000${site}`;
  }

  /** After a full handshake: a session of lifetimeS from nowS (replacing any older one). */
  open(user: string, site: string, nowS: number): Session {
    const s: Session = { user, site, establishedS: nowS, expiresS: nowS + this.lifetimeS, resumed: false };
    this.sessions.set(SessionTable.key(user, site), s);
    return s;
  }

  /** After an accepted ticket. */
  adopt(session: Session): void {
    this.sessions.set(SessionTable.key(session.user, session.site), session);
  }

  /** The live session of (user, site), or why there is none. */
  check(user: string, site: string, nowS: number): Verdict<Session> {
    const s = this.sessions.get(SessionTable.key(user, site));
    if (!s) return refuse("no-session");
    if (nowS >= s.expiresS) return refuse("session-expired");
    return { ok: true, value: s };
  }

  close(user: string, site: string): void {
    this.sessions.delete(SessionTable.key(user, site));
  }

  /** Drops expired sessions; returns how many. */
  prune(nowS: number): number {
    let n = 0;
    for (const [k, s] of this.sessions) if (nowS >= s.expiresS) (this.sessions.delete(k), n++);
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }
}

export interface Ticket {
  user: string;
  fromSite: string;
  toSite: string;
  sessionExpiresS: number;
  issuedS: number;
  /** The source site's Ed25519 signature over ticketTbs. */
  signature: Buffer;
}

const TICKET_TAG = "twinedge/ticket/v1";

export function ticketTbs(t: Omit<Ticket, "signature">): Buffer {
  return encodeFields([TICKET_TAG, t.user, t.fromSite, t.toSite, t.sessionExpiresS, t.issuedS]);
}

/** Backhaul bytes of a resumption: the ticket and the source site's certificate. */
export function ticketMessageBytes(t: Ticket, sourceCertificate: Certificate): number {
  return ticketTbs(t).length + 4 + t.signature.length + certificateBytes(sourceCertificate);
}

/** The source site signs a ticket moving `session` to `toSite`. */
export function issueTicket(source: Endpoint, session: Session, toSite: string, nowS: number): Ticket {
  if (session.site !== source.id) throw new Error(`site ${source.id} cannot issue a ticket for a session at ${session.site}`);
  const body = { user: session.user, fromSite: source.id, toSite, sessionExpiresS: session.expiresS, issuedS: nowS };
  return { ...body, signature: sign(null, ticketTbs(body), source.privateKey) };
}

/**
 * Tickets a target site has accepted, each kept until its session expires (after which the
 * ticket is refused as expired anyway). Keyed by the digest of the signed fields: Ed25519 is
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
  add(t: Ticket, nowS: number): void {
    if (this.used.size >= this.pruneAt) {
      for (const [k, until] of this.used) if (nowS >= until) this.used.delete(k);
      this.pruneAt = Math.max(1024, 2 * this.used.size);
    }
    this.used.set(UsedTickets.key(t), t.sessionExpiresS);
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
    str(x.user) && str(x.fromSite) && str(x.toSite) && x.fromSite !== x.toSite &&
    Number.isFinite(x.sessionExpiresS) && Number.isFinite(x.issuedS) &&
    Buffer.isBuffer(x.signature) && x.signature.length === ED25519_SIGNATURE_BYTES
  );
}

/**
 * The target site's side of a resumption: the source's certificate verifies against the TA as
 * in steps 3-4 (a site's, naming the ticket's fromSite), the ticket's signature verifies with
 * it, names this site, is current and unused. Accepting marks it used.
 */
export function acceptTicket(
  target: Pick<Endpoint, "id">, ticket: Ticket, sourceCertificate: Certificate, anchor: TrustAnchor, nowS: number,
  used: UsedTickets, cache?: CertificateCache,
): Verdict<{ session: Session; verifications: number }> {
  if (!wellFormedTicket(ticket)) return refuse("malformed");
  if (ticket.toSite !== target.id) return refuse("wrong-target");
  const cert = checkPeerCertificate(sourceCertificate, anchor, nowS, ticket.fromSite, "site", cache);
  if (!cert.ok) return cert;
  if (!verify(null, ticketTbs(ticket), cert.value.key, ticket.signature)) return refuse("bad-signature");
  if (nowS < ticket.issuedS) return refuse("not-yet-valid");
  if (nowS >= ticket.sessionExpiresS) return refuse("ticket-expired");
  if (used.has(ticket)) return refuse("replayed");
  used.add(ticket, nowS);
  const session: Session = { user: ticket.user, site: target.id, establishedS: nowS, expiresS: ticket.sessionExpiresS, resumed: true };
  return { ok: true, value: { session, verifications: cert.value.verifications + 1 } };
}
