// The cost of authentication with node:crypto's Ed25519: one signature, one verification, a
// full Fig. 2 handshake (certificates not yet cached) and a ticket resumption. These are the
// defaults of auth.signS and auth.verifyS (docs/model.md, "Authentication control").
import { sign, verify } from "node:crypto";
import { Bench } from "tinybench";
import { entityKeys, TrustedAuthority } from "../src/auth/authority.js";
import { ReplayCache, runHandshake, seededNonces } from "../src/auth/handshake.js";
import { acceptTicket, issueTicket, UsedTickets } from "../src/auth/session.js";
import { QUICK } from "./size.js";

const ta = new TrustedAuthority("bench");
const user = ta.enroll("user:0", "user", 0, 1e9);
const [a, b] = [ta.enroll("site:0", "site", 0, 1e9), ta.enroll("site:1", "site", 0, 1e9)];
const message = Buffer.alloc(200, 7);
const signature = sign(null, message, user.privateKey);
const userKey = entityKeys("bench", "user:0").publicKey;
if (!verify(null, message, userKey, signature)) throw new Error("the benchmark's signature does not verify");
const nonces = seededNonces("bench");
const replay = new ReplayCache(1 << 20, 1e12);
let now = 1;

const bench = new Bench({ name: "auth", time: QUICK ? 20 : 1000 });
bench
  .add("sign", () => { sign(null, message, user.privateKey); })
  .add("verify", () => { verify(null, message, userKey, signature); })
  .add("handshake", () => {
    if (!runHandshake(user, a, ta, now++, { nonce: nonces, replayCache: replay }).ok) throw new Error("handshake refused");
  })
  .add("resumption", () => {
    const t = issueTicket(a, { user: user.id, site: a.id, userSerial: user.certificate.serial, establishedS: 0, expiresS: 1e9, resumed: false }, b.id, now++, user.certificate);
    if (!acceptTicket(b, t, a.certificate, ta, now, new UsedTickets(), 1e9).ok) throw new Error("ticket refused");
  });
await bench.run();
for (const task of bench.tasks) {
  const r = task.result;
  if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
  console.log(`auth ${task.name.padEnd(10)} ${(r.latency.p50! * 1000).toFixed(1)} µs (median)`);
}
