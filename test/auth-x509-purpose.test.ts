// Extended key usage by role: a user's certificate is for TLS clients only and a site's for TLS
// servers only, as checked by the real `openssl verify -purpose`.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeCerts } from "../src/auth/write-certs.js";

const openssl = (args: string[]) => {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe("extended key usage (openssl verify -purpose)", () => {
  let dir: string;
  const verify = (purpose: string, name: string) => openssl(["verify", "-purpose", purpose, "-CAfile", join(dir, "ta.pem"), join(dir, `${name}.pem`)]);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "twinedge-certs-purpose-"));
    await writeCerts(dir, { users: 2, sites: 2, expired: 0, seed: 3, keys: false });
  });

  it("a user's certificate passes -purpose sslclient and fails -purpose sslserver", () => {
    for (const name of ["user-0", "user-1"]) {
      const client = verify("sslclient", name);
      expect(client.status, client.out).toBe(0);
      const server = verify("sslserver", name);
      expect(server.status, server.out).not.toBe(0);
      expect(server.out).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    }
  });

  it("a site's certificate passes -purpose sslserver and fails -purpose sslclient", () => {
    for (const name of ["site-0", "site-1"]) {
      const server = verify("sslserver", name);
      expect(server.status, server.out).toBe(0);
      const client = verify("sslclient", name);
      expect(client.status, client.out).not.toBe(0);
      expect(client.out).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    }
  });

  it("openssl x509 -text shows one extended key usage per role", () => {
    const user = openssl(["x509", "-noout", "-text", "-in", join(dir, "user-0.pem")]);
    expect(user.out).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Client Authentication\n/);
    const site = openssl(["x509", "-noout", "-text", "-in", join(dir, "site-0.pem")]);
    expect(site.out).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication\n/);
  });
});
