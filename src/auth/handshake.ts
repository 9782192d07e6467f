// The mutual authentication of paper III-C, Fig. 2, between a user (initiator) and an edge site
// (responder), as pure functions over message objects so that tests and injected attackers can
// tamper with, replay, reflect and splice messages:
//   3  user -> site  certificate          (site checks it: TA, time, revocation, role, identity)
//   4  site -> user  certificate          (user checks it likewise)
//   5  user -> site  Hello, R1, signed    6  site verifies, refuses an R1 seen before
//   7  site -> user  Hello, R1, R2, signed 8  user verifies
//   9  user -> site  R1, R2, signed       10 site verifies
// Every signature covers a tag, the step, both identities in a fixed (user, site) order, the
// session id and the nonces known at that step. So a signature only verifies as the message it
// was made for: not in another session (session id, nonces), not from the other side or at
// another step (reflection), not to another site (identities).
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { Endpoint } from "./authority.js";
import {
  certificateBytes, checkPeerCertificate, encodeFields, ED25519_SIGNATURE_BYTES,
  type Certificate, type CertificateCache, type Refusal, type Role, type TrustAnchor, type Verdict,
} from "./certificate.js";

export const NONCE_BYTES = 32;
export const SESSION_ID_BYTES = 16;
const HANDSHAKE_TAG = "twinedge/handshake/v1";
const HELLO = "Hello";

export interface CertificateMessage {
  kind: "certificate";
  step: 3 | 4;
  from: string;
  to: string;
  certificate: Certificate;
}

export interface SignedMessage {
  kind: "signed";
  step: 5 | 7 | 9;
  from: string;
  to: string;
  sessionId: Buffer;
  /** "Hello" in steps 5 and 7 (the paper's Hello and Hello - R1). */
  hello?: string;
  r1: Buffer;
  /** The site's nonce, from step 7 on. */
  r2?: Buffer;
  signature: Buffer;
}

export type HandshakeMessage = CertificateMessage | SignedMessage;

/** A peer whose certificate verified: its identity and public key. */
export interface Peer {
  id: string;
  key: KeyObject;
}

/** What each side knows of the session after sending or accepting step 5. */
export interface UserState { user: Endpoint; site: Peer; sessionId: Buffer; r1: Buffer; r2?: Buffer }
export interface SiteState { site: Endpoint; user: Peer; sessionId: Buffer; r1: Buffer; r2?: Buffer }

/**
 * R1 values a site has accepted at step 6, each remembered windowS simulated seconds, at most
 * `capacity` of them (oldest dropped first). The cache is defence in depth: a replayed step 5
 * that slips past an evicted entry still fails at step 10, since it cannot sign the fresh R2.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(readonly capacity = 4096, readonly windowS = 300) {}

  /** True if `nonce` is new (and now remembered), false if seen within the window or if nowS is not finite. */
  admit(nonce: Buffer, nowS: number): boolean {
    // Fail closed: with a NaN time every "seen until" comparison would be false, admitting replays.
    if (!Number.isFinite(nowS)) return false;
    const k = nonce.toString("base64");
    const until = this.seen.get(k);
    if (until !== undefined && nowS < until) return false;
    this.seen.delete(k);
    // Entries were inserted in time order, so the expired ones are at the front.
    for (const [old, t] of this.seen) {
      if (t > nowS && this.seen.size < this.capacity) break;
      this.seen.delete(old);
    }
    this.seen.set(k, nowS + this.windowS);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** A reproducible nonce source: SHA-256 of (seed, label, counter). */
export function seededNonces(seed: number | string, label = ""): () => Buffer {
  let i = 0;
  return () => createHash("sha256").update(`twinedge/nonce/${seed}/${label}/${i++}`).digest();
}

/** Both sides derive the session id from the identities and R1: nothing to negotiate. */
export function sessionIdOf(userId: string, siteId: string, r1: Buffer): Buffer {
  return createHash("sha256").update(encodeFields(["twinedge/session-id/v1", userId, siteId, r1])).digest().subarray(0, SESSION_ID_BYTES);
}

/** The bytes signed at `step`; the identities are always in (user, site) order. */
export function signedBytes(step: 5 | 7 | 9, userId: string, siteId: string, sessionId: Buffer, r1: Buffer, r2?: Buffer): Buffer {
  return encodeFields([HANDSHAKE_TAG, step, userId, siteId, sessionId, step === 9 ? "" : HELLO, r1, r2 ?? Buffer.alloc(0)]);
}

/** Wire size of a message, for charging the link. */
export function messageBytes(m: HandshakeMessage): number {
  if (m.kind === "certificate") return encodeFields([m.kind, m.step, m.from, m.to]).length + certificateBytes(m.certificate);
  return encodeFields([m.kind, m.step, m.from, m.to, m.sessionId, m.hello ?? "", m.r1, m.r2 ?? Buffer.alloc(0), m.signature]).length;
}

const refuse = (reason: Refusal): { ok: false; reason: Refusal } => ({ ok: false, reason });
const CERT_STEP: Record<Role, 3 | 4> = { user: 3, site: 4 };
const OWN_STEPS: Record<Role, readonly (5 | 7 | 9)[]> = { user: [5, 9], site: [7] };
const isBuf = (b: unknown, n: number): b is Buffer => Buffer.isBuffer(b) && b.length === n;

/** Steps 3 and 4: send one's certificate to `to`. */
export function certificateMessage(self: Endpoint, to: string): CertificateMessage {
  return { kind: "certificate", step: CERT_STEP[self.role], from: self.id, to, certificate: self.certificate };
}

/**
 * Steps 3-4, receiving side: the peer's certificate. `expectedPeer` is whom the receiver meant
 * to reach (the user knows its site); the certificate must name the identity the sender claims.
 */
export function acceptCertificate(
  self: Endpoint, msg: CertificateMessage, anchor: TrustAnchor, nowS: number, expectedPeer?: string, cache?: CertificateCache,
): Verdict<Peer & { verifications: number }> {
  const m = msg as Partial<CertificateMessage> | null;
  if (typeof m !== "object" || m === null || m.kind !== "certificate" || typeof m.from !== "string" || typeof m.to !== "string") return refuse("malformed");
  if (m.from === self.id || m.step === CERT_STEP[self.role]) return refuse("reflected");
  const peerRole: Role = self.role === "user" ? "site" : "user";
  if (m.step !== CERT_STEP[peerRole]) return refuse("malformed");
  if (m.to !== self.id) return refuse("spliced");
  if (expectedPeer !== undefined && m.from !== expectedPeer) return refuse("wrong-identity");
  const r = checkPeerCertificate(m.certificate as Certificate, anchor, nowS, m.from, peerRole, cache);
  return r.ok ? { ok: true, value: { id: m.from, key: r.value.key, verifications: r.value.verifications } } : r;
}

function signedMessage(self: Endpoint, step: 5 | 7 | 9, userId: string, siteId: string, sessionId: Buffer, r1: Buffer, r2?: Buffer): SignedMessage {
  const signature = sign(null, signedBytes(step, userId, siteId, sessionId, r1, r2), self.privateKey);
  const to = self.role === "user" ? siteId : userId;
  const m: SignedMessage = { kind: "signed", step, from: self.id, to, sessionId, r1, signature };
  if (step !== 9) m.hello = HELLO;
  if (r2) m.r2 = r2;
  return m;
}

/**
 * The checks shared by steps 6, 8 and 10, cheapest first. `known` holds what the verifier
 * already knows of the session (at step 6: only the identities; R1 and the session id come
 * with the message).
 */
function checkSigned(
  self: Endpoint, peer: Peer, msg: SignedMessage, step: 5 | 7 | 9, known: { sessionId?: Buffer; r1?: Buffer; r2?: Buffer },
): Refusal | null {
  const m = msg as Partial<SignedMessage> | null;
  if (typeof m !== "object" || m === null || m.kind !== "signed" || typeof m.from !== "string" || typeof m.to !== "string") return "malformed";
  if (m.step !== 5 && m.step !== 7 && m.step !== 9) return "malformed";
  if (!isBuf(m.sessionId, SESSION_ID_BYTES) || !isBuf(m.r1, NONCE_BYTES) || (m.step !== 5 && !isBuf(m.r2, NONCE_BYTES))) return "malformed";
  if ((m.step !== 9) !== (m.hello === HELLO)) return "malformed";
  // A truncated (or padded) signature is malformed, not merely wrong.
  if (!Buffer.isBuffer(m.signature) || m.signature.length !== ED25519_SIGNATURE_BYTES) return "malformed";
  // Our own message coming back: sent from us, or at a step we send.
  if (m.from === self.id || OWN_STEPS[self.role].includes(m.step)) return "reflected";
  if (m.step !== step) return "malformed";
  if (m.from !== peer.id || m.to !== self.id) return "spliced";
  if (known.sessionId && !m.sessionId.equals(known.sessionId)) return "spliced";
  if (known.r1 && !m.r1.equals(known.r1)) return "spliced";
  if (known.r2 && !m.r2!.equals(known.r2)) return "spliced";
  const [userId, siteId] = self.role === "user" ? [self.id, peer.id] : [peer.id, self.id];
  // At step 6 the session id arrives with R1; later it was checked already (known.sessionId).
  if (!known.sessionId && !m.sessionId.equals(sessionIdOf(userId, siteId, m.r1))) return "malformed";
  if (verify(null, signedBytes(step, userId, siteId, m.sessionId, m.r1, m.r2), peer.key, m.signature)) return null;
  // Failed: if the signature is our own, made for one of our steps, someone reflected it with
  // relabelled fields. Only the failure path pays for this check.
  const own = createPublicKey(self.privateKey);
  for (const s of OWN_STEPS[self.role]) {
    if (s !== 5 && !isBuf(m.r2, NONCE_BYTES)) continue;
    if (verify(null, signedBytes(s, userId, siteId, m.sessionId, m.r1, s === 5 ? undefined : m.r2), own, m.signature)) return "reflected";
  }
  return "bad-signature";
}

/** Step 5: the user signs Hello and a fresh R1. */
export function userHello(user: Endpoint, site: Peer, r1: Buffer): { message: SignedMessage; state: UserState } {
  if (r1.length !== NONCE_BYTES) throw new Error(`a nonce must be ${NONCE_BYTES} bytes, got ${r1.length}`);
  const sessionId = sessionIdOf(user.id, site.id, r1);
  return { message: signedMessage(user, 5, user.id, site.id, sessionId, r1), state: { user, site, sessionId, r1 } };
}

/** Step 6: the site verifies step 5, then refuses an R1 it has seen (after the signature, so forged nonces cannot fill the cache). */
export function siteAcceptHello(site: Endpoint, user: Peer, msg: SignedMessage, nowS: number, replay: ReplayCache): Verdict<SiteState> {
  if (!Number.isFinite(nowS)) return refuse("invalid-time");
  const bad = checkSigned(site, user, msg, 5, {});
  if (bad) return refuse(bad);
  if (!replay.admit(msg.r1, nowS)) return refuse("replayed");
  return { ok: true, value: { site, user, sessionId: msg.sessionId, r1: msg.r1 } };
}

/** Step 7: the site answers Hello - R1 with its own nonce R2, signed. */
export function siteChallenge(state: SiteState, r2: Buffer): { message: SignedMessage; state: SiteState } {
  if (r2.length !== NONCE_BYTES) throw new Error(`a nonce must be ${NONCE_BYTES} bytes, got ${r2.length}`);
  const { site, user, sessionId, r1 } = state;
  return { message: signedMessage(site, 7, user.id, site.id, sessionId, r1, r2), state: { ...state, r2 } };
}

/** Step 8: the user verifies the site's answer: its own R1 echoed, in this session. */
export function userAcceptChallenge(state: UserState, msg: SignedMessage): Verdict<UserState> {
  const bad = checkSigned(state.user, state.site, msg, 7, { sessionId: state.sessionId, r1: state.r1 });
  return bad ? refuse(bad) : { ok: true, value: { ...state, r2: msg.r2! } };
}

/** Step 9: the user signs R2. */
export function userResponse(state: UserState): SignedMessage {
  if (!state.r2) throw new Error("step 9 needs the site's R2 (step 8 first)");
  return signedMessage(state.user, 9, state.user.id, state.site.id, state.sessionId, state.r1, state.r2);
}

/** Step 10: the site verifies the user's signature over its R2; the user is authenticated. */
export function siteAcceptResponse(state: SiteState, msg: SignedMessage): Verdict<SiteState> {
  if (!state.r2) throw new Error("step 10 needs the site's R2 (step 7 first)");
  const bad = checkSigned(state.site, state.user, msg, 9, { sessionId: state.sessionId, r1: state.r1, r2: state.r2 });
  return bad ? refuse(bad) : { ok: true, value: state };
}

export interface HandshakeCost {
  /** Messages sent (the refused one included). */
  messages: number;
  bytes: number;
  /** Ed25519 signatures made (the TA's certificate signatures are not part of the handshake). */
  signatures: number;
  /** Ed25519 verifications attempted (certificates found in a cache cost none). */
  verifications: number;
}

export type HandshakeResult =
  | ({ ok: true; sessionId: Buffer } & HandshakeCost)
  /** `step`: the Fig. 2 step of the refused message (3, 4, 5, 7 or 9). */
  | ({ ok: false; reason: Refusal; step: number } & HandshakeCost);

export interface HandshakeOptions {
  /** Fresh 32-byte nonces; pass seededNonces(...) for a reproducible run. */
  nonce: () => Buffer;
  /** The site's cache of seen R1 values. */
  replayCache: ReplayCache;
  /** Certificates the user, and the site, have already verified. */
  userCertCache?: CertificateCache;
  siteCertCache?: CertificateCache;
  /** Sees every message on the link and may replace it: an attacker, or a faulty link. */
  intercept?: <M extends HandshakeMessage>(m: M) => M;
}

/** Runs steps 3-10 between `user` and `site` at simulated time nowS. */
export function runHandshake(user: Endpoint, site: Endpoint, ta: TrustAnchor, nowS: number, options: HandshakeOptions): HandshakeResult {
  const cost: HandshakeCost = { messages: 0, bytes: 0, signatures: 0, verifications: 0 };
  const send = <M extends HandshakeMessage>(m: M, signed: boolean): M => {
    if (signed) cost.signatures++;
    const out = options.intercept ? options.intercept(m) : m;
    cost.messages++;
    cost.bytes += messageBytes(out);
    return out;
  };
  const fail = (reason: Refusal, step: number): HandshakeResult => ({ ok: false, reason, step, ...cost });

  const m3 = send(certificateMessage(user, site.id), false);
  const c3 = acceptCertificate(site, m3, ta, nowS, undefined, options.siteCertCache);
  cost.verifications += c3.ok ? c3.value.verifications : 1;
  if (!c3.ok) return fail(c3.reason, 3);
  const m4 = send(certificateMessage(site, user.id), false);
  const c4 = acceptCertificate(user, m4, ta, nowS, site.id, options.userCertCache);
  cost.verifications += c4.ok ? c4.value.verifications : 1;
  if (!c4.ok) return fail(c4.reason, 4);

  const hello = userHello(user, c4.value, options.nonce());
  const m5 = send(hello.message, true);
  cost.verifications++;
  const s6 = siteAcceptHello(site, c3.value, m5, nowS, options.replayCache);
  if (!s6.ok) return fail(s6.reason, 5);
  const challenge = siteChallenge(s6.value, options.nonce());
  const m7 = send(challenge.message, true);
  cost.verifications++;
  const u8 = userAcceptChallenge(hello.state, m7);
  if (!u8.ok) return fail(u8.reason, 7);
  const m9 = send(userResponse(u8.value), true);
  cost.verifications++;
  const s10 = siteAcceptResponse(challenge.state, m9);
  if (!s10.ok) return fail(s10.reason, 9);
  return { ok: true, sessionId: s10.value.sessionId, ...cost };
}
