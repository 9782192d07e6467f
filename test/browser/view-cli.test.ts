// `twinedge view`'s command line: bad ports and a taken port are input errors naming --port
// (exit 2), a bad scenario is refused before anything is served, and the server gives the
// page, the given scenario and nothing outside dist/web, and only to 127.0.0.1 and localhost.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";

/** The status of GET / with the given Host header (fetch will not set one), or none (undefined). */
function statusFor(port: number, host: string | undefined): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path: "/", setHost: false, headers: host === undefined ? {} : { host } }, (res) => { res.resume(); done(res.statusCode ?? 0); });
    req.on("error", fail);
    req.end();
  });
}

const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8", cwd: ROOT, timeout: 30_000 });

describe("twinedge view (command line)", () => {
  it("refuses a bad port and a taken one, naming --port, with exit 2", async () => {
    for (const bad of ["abc", "-1", "70000", "1.5"]) {
      const r = twinedge(["view", "--port", bad]);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toMatch(/^--port: expected a port number 0\.\.65535/);
    }
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = twinedge(["view", "--port", String(port)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--port: port ${port} on 127.0.0.1 is taken`);
    } finally {
      taken.close();
    }
  });

  it("refuses a bad scenario before serving, naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-cli-"));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ slots: -2 }));
    const r = twinedge(["view", join(dir, "bad.json"), "--port", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: slots: /);
  });

  it("serves the page, the given scenario, and nothing outside dist/web", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-view-cli-"));
    const file = join(dir, "mine.json");
    writeFileSync(file, JSON.stringify({ slots: 20, users: { perSite: 5 } }));
    const child = spawn(process.execPath, [join(ROOT, "bin", "twinedge.js"), "view", file, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += String(d);
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) done(m[0]);
        });
        child.once("exit", (code) => fail(new Error(`exited ${code}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>twinedge view<\/title>/);
      const given = await (await fetch(`${url}initial-scenario.json`)).json();
      expect(given).toEqual({ raw: { slots: 20, users: { perSite: 5 } }, source: file, name: "mine" });
      for (const path of ["../package.json", "%2e%2e/package.json", "..%2fpackage.json", "nothing.js"]) {
        expect((await fetch(`${url}${path}`)).status, path).toBe(404);
      }
      // DNS rebinding: only 127.0.0.1:<port> and localhost:<port> are answered.
      const port = Number(new URL(url).port);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) expect(await statusFor(port, host), host).toBe(200);
      for (const host of [`evil.example:${port}`, "127.0.0.1", `localhost:${port + 1}`, `127.0.0.1.evil.example:${port}`]) expect(await statusFor(port, host), host).toBe(403);
      expect(await statusFor(port, undefined)).toBe(400); // no Host at all: refused by Node's HTTP/1.1 server itself
    } finally {
      child.kill();
    }
  });
});
