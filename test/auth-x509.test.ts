import { spawnSync } from "node:child_process";
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { entityKeyPair, publicKeyDer, taKeyPair } from "../src/auth/keys.js";
import { writeCerts } from "../src/auth/write-certs.js";
import { deriveSerial, entityCertificate, taCertificate } from "../src/auth/x509.js";
import { InputError } from "../src/validation.js";

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `twinedge-certs-${prefix}-`));
const openssl = (args: string[]) => {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe("writeCerts + openssl", () => {
  let dir: string;
  let paths: string[];
  beforeAll(async () => {
    dir = tmp("main");
    paths = await writeCerts(dir, { users: 5, sites: 2, expired: 2, seed: 7, keys: true });
  });

  it("writes ta.pem, one PEM per entity and the private keys, and returns their paths", () => {
    const certs = ["ta", "user-0", "user-1", "user-2", "user-3", "user-4", "site-0", "site-1"];
    expect(paths).toEqual([...certs.map((n) => join(dir, `${n}.pem`)), ...certs.map((n) => join(dir, "keys", `${n}.key.pem`))]);
    expect(readdirSync(dir).sort()).toEqual([...certs.map((n) => `${n}.pem`), "keys"].sort());
    for (const p of paths) expect(existsSync(p)).toBe(true);
  });

  it("openssl verify accepts the valid users and sites", () => {
    for (const name of ["user-2", "user-3", "user-4", "site-0", "site-1"]) {
      const r = openssl(["verify", "-CAfile", join(dir, "ta.pem"), join(dir, `${name}.pem`)]);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain(`${name}.pem: OK`);
    }
  });

  it("openssl verify refuses the expired users", () => {
    for (const name of ["user-0", "user-1"]) {
      const r = openssl(["verify", "-CAfile", join(dir, "ta.pem"), join(dir, `${name}.pem`)]);
      expect(r.status, r.out).not.toBe(0);
      expect(r.out).toContain("certificate has expired");
    }
  });

  it("openssl verify refuses a certificate under another seed's TA", async () => {
    const other = tmp("other");
    await writeCerts(other, { users: 1, sites: 0, expired: 0, seed: 8, keys: false });
    const r = openssl(["verify", "-CAfile", join(other, "ta.pem"), join(dir, "user-3.pem")]);
    expect(r.status, r.out).not.toBe(0);
  });

  it("openssl x509 -text shows the subject, role, Ed25519 key and extensions", () => {
    const user = openssl(["x509", "-noout", "-text", "-in", join(dir, "user-3.pem")]);
    expect(user.status, user.out).toBe(0);
    expect(user.out).toMatch(/Version: 3/);
    expect(user.out).toMatch(/Subject: O\s*=\s*twinedge, OU\s*=\s*user, CN\s*=\s*user:3/);
    expect(user.out).toMatch(/Issuer: O\s*=\s*twinedge, CN\s*=\s*twinedge TA/);
    expect(user.out).toMatch(/Public Key Algorithm: ED25519/);
    expect(user.out).toMatch(/Signature Algorithm: ED25519/);
    expect(user.out).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(user.out).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(user.out).toMatch(/X509v3 Subject Key Identifier/);
    expect(user.out).toMatch(/X509v3 Authority Key Identifier/);
    const site = openssl(["x509", "-noout", "-subject", "-in", join(dir, "site-1.pem")]);
    expect(site.out).toMatch(/OU\s*=\s*site, CN\s*=\s*site:1/);
    const ta = openssl(["x509", "-noout", "-text", "-in", join(dir, "ta.pem")]);
    expect(ta.out).toMatch(/Subject: O\s*=\s*twinedge, CN\s*=\s*twinedge TA/);
    expect(ta.out).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(ta.out).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });

  it("node:crypto parses them and verifies the TA's signature", () => {
    const taKey = taKeyPair(7).publicKey;
    const ta = new X509Certificate(readFileSync(join(dir, "ta.pem")));
    expect(ta.ca).toBe(true);
    expect(ta.verify(taKey)).toBe(true);
    for (const [name, label] of [["user-0", "user:0"], ["user-4", "user:4"], ["site-0", "site:0"]]) {
      const cert = new X509Certificate(readFileSync(join(dir, `${name}.pem`)));
      expect(cert.ca).toBe(false);
      expect(cert.subject).toContain(`CN=${label}`);
      expect(cert.verify(taKey)).toBe(true);
      expect(cert.verify(taKeyPair(8).publicKey)).toBe(false);
      expect(cert.checkIssued(ta)).toBe(true);
      expect(publicKeyDer(cert.publicKey)).toEqual(publicKeyDer(entityKeyPair(7, label).publicKey));
    }
    const expired = new X509Certificate(readFileSync(join(dir, "user-0.pem")));
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now());
    const valid = new X509Certificate(readFileSync(join(dir, "user-2.pem")));
    expect(new Date(valid.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(valid.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  it("the private keys are PKCS#8 PEM matching the certificates", () => {
    const pem = readFileSync(join(dir, "keys", "user-3.key.pem"), "utf8");
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(pem);
    const cert = new X509Certificate(readFileSync(join(dir, "user-3.pem")));
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(publicKeyDer(createPublicKey(key))).toEqual(publicKeyDer(cert.publicKey));
  });
});

describe("writeCerts options", () => {
  const base = { users: 5, sites: 2, expired: 2, seed: 7, keys: false };
  const cases: [Partial<typeof base> & { now?: Date }, string][] = [
    [{ users: -1 }, "--users: expected a non-negative integer"],
    [{ users: 1.5 }, "--users: expected a non-negative integer"],
    [{ users: Number.NaN }, "--users: expected a non-negative integer"],
    [{ sites: -2 }, "--sites: expected a non-negative integer"],
    [{ expired: -1 }, "--expired: expected a non-negative integer"],
    [{ expired: 6 }, "--expired: expected at most --users (5)"],
    [{ users: 2_000_000, expired: 0 }, "--users: expected at most 1000000"],
    [{ seed: 0.5 }, "--seed: expected an integer"],
    [{ now: new Date("nonsense") }, "--now: expected a valid date"],
  ];
  for (const [bad, message] of cases) {
    it(`refuses ${JSON.stringify(bad)} before writing anything`, async () => {
      const out = join(tmp("bad"), "out");
      const e = await writeCerts(out, { ...base, ...bad }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).toContain(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("refuses an output path that is a file", async () => {
    const file = join(tmp("file"), "x");
    writeFileSync(file, "not a folder");
    await expect(writeCerts(file, base)).rejects.toThrow(/--out: .* is not a folder/);
  });

  it("accepts zero users and sites: only ta.pem", async () => {
    const out = tmp("zero");
    expect((await writeCerts(out, { ...base, users: 0, sites: 0, expired: 0 })).map((p) => basename(p))).toEqual(["ta.pem"]);
  });
});

describe("determinism", () => {
  it("same seed and now give byte-identical files; another seed or now does not", async () => {
    const now = new Date("2031-05-06T07:08:09.123Z");
    const o = { users: 4, sites: 2, expired: 1, seed: 42, keys: true, now };
    const [a, b, c, d] = [tmp("a"), tmp("b"), tmp("c"), tmp("d")];
    const pa = await writeCerts(a, o);
    const pb = await writeCerts(b, o);
    await writeCerts(c, { ...o, seed: 43 });
    await writeCerts(d, { ...o, now: new Date("2031-05-06T07:08:10Z") });
    expect(pa.map((p) => p.slice(a.length))).toEqual(pb.map((p) => p.slice(b.length)));
    for (const p of pa) {
      const rel = p.slice(a.length);
      expect(readFileSync(join(b, rel), "utf8"), rel).toBe(readFileSync(p, "utf8"));
      expect(readFileSync(join(c, rel), "utf8"), rel).not.toBe(readFileSync(p, "utf8"));
      if (!rel.includes("keys")) expect(readFileSync(join(d, rel), "utf8"), rel).not.toBe(readFileSync(p, "utf8"));
    }
    const cert = new X509Certificate(readFileSync(join(a, "user-1.pem")));
    expect(new Date(cert.validFrom).toISOString()).toBe("2031-05-06T06:08:09.000Z");
    expect(new Date(cert.validTo).toISOString()).toBe("2032-05-05T07:08:09.000Z");
  });

  it("taCertificate and entityCertificate use exactly the serial and dates given", async () => {
    const ta = taKeyPair(1);
    const notBefore = new Date("2050-01-01T00:00:00Z"); // GeneralizedTime from 2050 on
    const notAfter = new Date("2060-01-01T00:00:00Z");
    const taPem = await taCertificate(ta, { notBefore, notAfter, serial: 1 });
    expect(await taCertificate(ta, { notBefore, notAfter, serial: 1 })).toBe(taPem);
    const serial = deriveSerial(1, "user:9");
    const user = entityKeyPair(1, "user:9");
    const pem = await entityCertificate(ta, taPem, { subject: "user:9", role: "user", publicKey: user.publicKey }, { notBefore, notAfter, serial });
    const cert = new X509Certificate(pem);
    expect(BigInt(`0x${cert.serialNumber}`)).toBe(serial);
    expect(new Date(cert.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(cert.validTo).toISOString()).toBe(notAfter.toISOString());
    expect(new X509Certificate(taPem).serialNumber).toBe("01");
    await expect(taCertificate(ta, { notBefore, notAfter, serial: 0 })).rejects.toThrow(/serial must be positive/);
    await expect(taCertificate(ta, { notBefore: notAfter, notAfter: notBefore, serial: 1 })).rejects.toThrow(/after notBefore/);
    await expect(entityCertificate(taKeyPair(2), taPem, { subject: "user:9", role: "user", publicKey: user.publicKey }, { notBefore, notAfter, serial })).rejects.toThrow(/TA's public key/);
  });
});
