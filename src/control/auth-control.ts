// Authentication in the simulation (paper III-C): no task reaches an edge site before its user
// and the site have authenticated each other through the trusted authority. Per (user, site) a
// session lasts sessionLifetimeS; a user that needs a new site either runs the full Fig. 2
// handshake or, with trust transfer, resumes with a ticket its last site signs (the twin
// carrying the trust context along with a migrating service). A refused user's task runs
// locally: refused, never served. The handshake's messages cross the user's link (at the
// twin's rate estimate) and its signatures and verifications cost signS / verifyS each; a
// resumption crosses the backhaul. Both delays come before the upload, so they add to T_off.
//
// mode "crypto" runs the real protocol (Ed25519 through node:crypto); mode "modeled" skips the
// cryptography but charges the messages, bytes, signatures and verifications of one real
// handshake and one real resumption measured at start-up (without the certificate caches the
// crypto mode keeps, so its delays are slightly higher), and refuses malicious users with the
// reason the protocol would give.
import type { TrialConfig } from "../scenario/schema.js";
import { DEFAULT_BACKHAUL_BPS } from "../model/params.js";
import { stream } from "../world/rng.js";
import type { ControlUnit, SlotState } from "./control-unit.js";
import { TrustedAuthority, type Endpoint } from "../auth/authority.js";
import { CertificateCache, type Refusal } from "../auth/certificate.js";
import { ReplayCache, runHandshake, seededNonces } from "../auth/handshake.js";
import { acceptTicket, issueTicket, SessionTable, ticketMessageBytes, UsedTickets, type Session } from "../auth/session.js";

/** How an injected malicious or misconfigured user's credentials are bad, and the refusal each earns. */
const MALICE = ["expired", "not-yet-valid", "revoked", "unknown-authority", "tampered", "wrong-identity"] as const;
export type Malice = (typeof MALICE)[number];
const REFUSAL_OF: Record<Malice, Refusal> = {
  expired: "expired", "not-yet-valid": "not-yet-valid", revoked: "revoked",
  "unknown-authority": "unknown-authority", tampered: "bad-certificate-signature", "wrong-identity": "wrong-identity",
};

/** Certificates are valid for the whole run unless made bad on purpose. */
const VALID_FROM_S = -1, VALID_UNTIL_S = 1e9;
/** The modeled mode issues no certificates; serial 0 is never issued (serials start at 1), so never revoked. */
const MODELED_CREDENTIAL = { serial: 0, notAfterS: VALID_UNTIL_S };

export interface AuthCounts {
  fullHandshakes: number;
  resumed: number;
  refusals: number;
  /** Sum of the delays authentication added before uploads, and how many uploads had one, s. */
  delayS: number;
  delayed: number;
}

interface Cost { bytes: number; signatures: number; verifications: number }

export class AuthControl implements ControlUnit<AuthCounts> {
  /** The kind of bad credentials of each user, or null for an honest one. */
  readonly malice: (Malice | null)[];
  readonly maliciousUsers: number;
  /** Users refused at least once. */
  readonly refusedUsers = new Set<number>();
  private readonly ta: TrustedAuthority;
  private readonly users: (Endpoint | undefined)[];
  private readonly sites: (Endpoint | undefined)[];
  private readonly sessions: SessionTable;
  private readonly lastSite: Int32Array;
  private readonly replay: ReplayCache[];
  private readonly used: UsedTickets[];
  private readonly userCerts: CertificateCache[];
  private readonly siteCerts: CertificateCache[];
  private readonly nonces: () => Buffer;
  /** Per user this slot: authentication compute and backhaul time, s; handshake bits sent over the uplink. */
  private readonly delay: Float64Array;
  private readonly airBits: Float64Array;
  private full: Cost = { bytes: 0, signatures: 0, verifications: 0 };
  private resume: Cost = { bytes: 0, signatures: 0, verifications: 0 };
  private counts: AuthCounts = { fullHandshakes: 0, resumed: 0, refusals: 0, delayS: 0, delayed: 0 };

  constructor(
    private readonly c: TrialConfig["auth"], private readonly ctx: { backhaulRateBps: number | null },
    readonly seed: number | string, userCount: number, siteCount: number,
  ) {
    this.ta = new TrustedAuthority(seed);
    this.users = new Array(userCount);
    this.sites = new Array(siteCount);
    this.sessions = new SessionTable(c.sessionLifetimeS, this.ta.revoked);
    this.lastSite = new Int32Array(userCount).fill(-1);
    this.replay = Array.from({ length: siteCount }, () => new ReplayCache(4096, c.sessionLifetimeS));
    this.used = Array.from({ length: siteCount }, () => new UsedTickets());
    this.userCerts = Array.from({ length: userCount }, () => new CertificateCache());
    this.siteCerts = Array.from({ length: siteCount }, () => new CertificateCache());
    this.nonces = seededNonces(seed, "auth");
    this.delay = new Float64Array(userCount);
    this.airBits = new Float64Array(userCount);
    const r = stream(seed, "auth");
    let k = 0;
    this.malice = Array.from({ length: userCount }, () => (r() < c.maliciousShare ? MALICE[k++ % MALICE.length] : null));
    this.maliciousUsers = k;
    if (c.mode !== "off") this.measureCosts();
  }

  get enabled(): boolean {
    return this.c.mode !== "off";
  }

  private site(j: number): Endpoint {
    return (this.sites[j] ??= this.ta.enroll(`site:${j}`, "site", VALID_FROM_S, VALID_UNTIL_S));
  }

  private user(i: number): Endpoint {
    let e = this.users[i];
    if (e) return e;
    const id = `user:${i}`;
    switch (this.malice[i]) {
      case "expired": e = this.ta.enroll(id, "user", -10, -5); break;
      case "not-yet-valid": e = this.ta.enroll(id, "user", 1e12, 2e12); break;
      case "revoked": e = this.ta.enroll(id, "user", VALID_FROM_S, VALID_UNTIL_S); this.ta.revoke(e.certificate.serial); break;
      case "unknown-authority": e = new TrustedAuthority(`${this.seed}/rogue`).enroll(id, "user", VALID_FROM_S, VALID_UNTIL_S); break;
      case "tampered": {
        const v = this.ta.enroll(id, "user", VALID_FROM_S, VALID_UNTIL_S);
        e = { ...v, certificate: { ...v.certificate, notAfterS: v.certificate.notAfterS + 1e9 } };
        break;
      }
      case "wrong-identity": {
        const v = this.ta.enroll(id, "user", VALID_FROM_S, VALID_UNTIL_S);
        e = { ...v, certificate: this.ta.enroll(`user:${i}-other`, "user", VALID_FROM_S, VALID_UNTIL_S).certificate };
        break;
      }
      default: e = this.ta.enroll(id, "user", VALID_FROM_S, VALID_UNTIL_S);
    }
    return (this.users[i] = e);
  }

  /** One real handshake and one real resumption between throwaway entities: the modeled costs. */
  private measureCosts(): void {
    const ta = new TrustedAuthority(`${this.seed}/probe`);
    const u = ta.enroll("user:probe", "user", VALID_FROM_S, VALID_UNTIL_S);
    const [a, b] = [ta.enroll("site:a", "site", VALID_FROM_S, VALID_UNTIL_S), ta.enroll("site:b", "site", VALID_FROM_S, VALID_UNTIL_S)];
    const h = runHandshake(u, a, ta, 0, { nonce: seededNonces(`${this.seed}/probe`), replayCache: new ReplayCache() });
    if (!h.ok) throw new Error(`auth: the probe handshake failed (${h.reason})`);
    this.full = { bytes: h.bytes, signatures: h.signatures, verifications: h.verifications };
    const session: Session = { user: u.id, site: a.id, userSerial: u.certificate.serial, establishedS: 0, expiresS: 10, resumed: false };
    const t = issueTicket(a, session, b.id, 0, u.certificate);
    const ok = acceptTicket(b, t, a.certificate, ta, 0, new UsedTickets(), this.c.sessionLifetimeS);
    if (!ok.ok) throw new Error(`auth: the probe resumption failed (${ok.reason})`);
    this.resume = { bytes: ticketMessageBytes(t, a.certificate), signatures: 1, verifications: ok.value.verifications };
  }

  private compute(c: Cost): number {
    return c.signatures * this.c.signS + c.verifications * this.c.verifyS;
  }

  /**
   * Before the kernels: every offloading task's user must hold a session at the site it
   * uploads to, or get one now; a refused user's task stays local.
   */
  apply({ obs, decisions: d, slotS }: SlotState): void {
    this.delay.fill(0);
    this.airBits.fill(0);
    if (!this.enabled) return;
    const nowS = obs.slot * slotS;
    for (let i = 0; i < obs.users; i++) {
      if (!obs.active[i] || d.theta[i] >= 1) continue;
      const j = d.server[i];
      if (this.sessions.check(`user:${i}`, `site:${j}`, nowS).ok) continue;
      if (this.c.trustTransfer && this.tryResume(i, j, nowS)) continue;
      const refusal = this.handshake(i, j, nowS);
      if (refusal === null) continue;
      d.theta[i] = 1;
      d.migrateTo[i] = -1;
      d.beta[i] = 0;
    }
  }

  private tryResume(i: number, j: number, nowS: number): boolean {
    const from = this.lastSite[i];
    if (from < 0 || from === j) return false;
    const held = this.sessions.check(`user:${i}`, `site:${from}`, nowS);
    if (!held.ok) return false;
    if (this.c.mode === "crypto") {
      const source = this.site(from);
      const ticket = issueTicket(source, held.value, `site:${j}`, nowS, this.user(i).certificate);
      const r = acceptTicket(this.site(j), ticket, source.certificate, this.ta, nowS, this.used[j], this.c.sessionLifetimeS, this.siteCerts[j]);
      if (!r.ok) return false;
      this.sessions.adopt(r.value.session);
    } else {
      this.sessions.adopt({ ...held.value, site: `site:${j}`, establishedS: nowS, resumed: true });
    }
    this.lastSite[i] = j;
    this.delay[i] += (this.resume.bytes * 8) / (this.ctx.backhaulRateBps ?? DEFAULT_BACKHAUL_BPS) + this.compute(this.resume);
    this.counts.resumed++;
    return true;
  }

  /** The full handshake of Fig. 2; null when it succeeded, else the refusal. */
  private handshake(i: number, j: number, nowS: number): Refusal | null {
    let refusal: Refusal | null;
    let cost: Cost;
    if (this.c.mode === "crypto") {
      const h = runHandshake(this.user(i), this.site(j), this.ta, nowS, {
        nonce: this.nonces, replayCache: this.replay[j], userCertCache: this.userCerts[i], siteCertCache: this.siteCerts[j],
      });
      refusal = h.ok ? null : h.reason;
      cost = h;
    } else {
      const m = this.malice[i];
      refusal = m === null ? null : REFUSAL_OF[m];
      cost = this.full;
    }
    if (refusal !== null) {
      this.counts.refusals++;
      this.refusedUsers.add(i);
      return refusal;
    }
    this.sessions.open(`user:${i}`, `site:${j}`, nowS, this.c.mode === "crypto" ? this.user(i).certificate : MODELED_CREDENTIAL);
    this.lastSite[i] = j;
    this.counts.fullHandshakes++;
    // A refused user's task runs locally, so only a successful handshake delays an upload.
    // Its messages cross the same uplink as the upload: their air time is settled at the
    // rate the kernels realise for it (settle), not at the twin's estimate.
    this.airBits[i] += cost.bytes * 8;
    this.delay[i] += this.compute(cost);
    return null;
  }

  /**
   * After the kernels: authentication delays come before the upload, so they add to the
   * offloaded part's time (`extraOffS`). Checks the invariant that no unauthenticated user is
   * served. Returns the slot's counts.
   */
  settle({ L, users, obs, slotS, extraOffS }: SlotState): AuthCounts {
    const slot = obs.slot;
    const out = this.counts;
    this.counts = { fullHandshakes: 0, resumed: 0, refusals: 0, delayS: 0, delayed: 0 };
    if (!this.enabled) return out;
    const nowS = slot * slotS;
    for (let i = 0; i < users; i++) {
      if (!L.active[i] || L.theta[i] >= 1) continue;
      // Two checks: the protocol's own state, and (independently of it) what was injected.
      if (!this.sessions.check(`user:${i}`, `site:${L.server[i]}`, nowS).ok || this.malice[i] !== null) {
        throw new Error(`invariant broken: user ${i} (${this.malice[i] ?? "honest"}) was served by site ${L.server[i]} without a valid session (slot ${slot})`);
      }
      const delayS = this.delay[i] + (this.airBits[i] > 0 ? this.airBits[i] / L.rateBps[i] : 0);
      if (delayS > 0) {
        extraOffS[i] += delayS;
        out.delayS += delayS;
        out.delayed++;
      }
    }
    return out;
  }
}
