// Private key files: keys/ is mode 0700 and each key file 0600, whatever the umask and even if
// keys/ already existed with a looser mode; a key is created exclusively, so a file or a link
// planted at a key path is refused before anything is written, and never followed.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeCerts } from "../src/auth/write-certs.js";
import { InputError } from "../src/validation.js";

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `twinedge-keys-${prefix}-`));
const mode = (path: string) => statSync(path).mode & 0o777;
const options = { users: 2, sites: 1, expired: 0, seed: 4, keys: true };
const KEY_NAMES = ["ta", "user-0", "user-1", "site-0"].map((n) => `${n}.key.pem`);

describe("private key files", () => {
  let umask: number;
  beforeEach(() => {
    // The loosest umask: nothing is masked, so only explicit modes keep the keys private.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it("are 0600 in a keys/ folder of 0700 under umask 0", async () => {
    const out = join(tmp("umask"), "out");
    await writeCerts(out, options);
    expect(mode(join(out, "keys")).toString(8)).toBe("700");
    expect(readdirSync(join(out, "keys")).sort()).toEqual([...KEY_NAMES].sort());
    for (const name of KEY_NAMES) expect(mode(join(out, "keys", name)).toString(8), name).toBe("600");
  });

  it("make an existing keys/ of 0777 into 0700", async () => {
    const out = tmp("existing");
    mkdirSync(join(out, "keys"));
    chmodSync(join(out, "keys"), 0o777);
    expect(mode(join(out, "keys")).toString(8)).toBe("777");
    await writeCerts(out, options);
    expect(mode(join(out, "keys")).toString(8)).toBe("700");
    for (const name of KEY_NAMES) expect(mode(join(out, "keys", name)).toString(8), name).toBe("600");
  });

  it("refuse a link planted at a key path, writing nothing and never following it", async () => {
    const out = tmp("link");
    mkdirSync(join(out, "keys"), { mode: 0o777 });
    const victim = join(tmp("victim"), "readable-by-all.txt");
    writeFileSync(victim, "victim\n");
    symlinkSync(victim, join(out, "keys", "user-1.key.pem"));
    const dangling = join(tmp("dangling"), "does-not-exist-yet");
    symlinkSync(dangling, join(out, "keys", "site-0.key.pem"));
    const e = await writeCerts(out, options).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/--out: .*user-1\.key\.pem is already a link/);
    // Not followed: the link's target is unchanged and the dangling one was not created.
    expect(readFileSync(victim, "utf8")).toBe("victim\n");
    expect(existsSync(dangling)).toBe(false);
    // Nothing half-written: no certificate, no key.
    expect(readdirSync(out)).toEqual(["keys"]);
    expect(readdirSync(join(out, "keys")).sort()).toEqual(["site-0.key.pem", "user-1.key.pem"]);
    expect(lstatSync(join(out, "keys", "user-1.key.pem")).isSymbolicLink()).toBe(true);
  });

  it("refuse keys/ itself being a link", async () => {
    const out = tmp("dirlink");
    const elsewhere = tmp("elsewhere");
    symlinkSync(elsewhere, join(out, "keys"));
    await expect(writeCerts(out, options)).rejects.toThrow(/--out: .*keys exists and is not a folder \(a link is never followed\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("never overwrite an existing key file", async () => {
    const out = tmp("again");
    await writeCerts(out, options);
    const before = readFileSync(join(out, "keys", "ta.key.pem"), "utf8");
    const e = await writeCerts(out, { ...options, seed: 5 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/ta\.key\.pem is already a file/);
    expect(readFileSync(join(out, "keys", "ta.key.pem"), "utf8")).toBe(before);
    // Without --keys, the certificates can be written again.
    await expect(writeCerts(out, { ...options, keys: false })).resolves.toHaveLength(4);
  });
});
