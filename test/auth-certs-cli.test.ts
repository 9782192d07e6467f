// `twinedge certs` warns on stderr that its keys derive from a public seed and are for
// simulation only (the stdout line stays the folder and file count).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const twinedge = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), ...args], { encoding: "utf8" });

// Each run starts a node process: seconds on a loaded machine. A generous limit; speed is not asserted.
const SPAWNS = { timeout: 300_000 };

describe("twinedge certs", () => {
  it("says on stderr that the keys derive from the public seed and are for simulation only", SPAWNS, () => {
    const out = join(mkdtempSync(join(tmpdir(), "twinedge-certs-cli-")), "out");
    const r = twinedge(["certs", "--out", out, "--users", "1", "--sites", "1", "--seed", "17", "--keys"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`${out} (6 files)`);
    expect(r.stderr).toMatch(/derives? from the public seed 17/);
    expect(r.stderr).toMatch(/for simulation and testing only, never for a real deployment/);
    expect(readdirSync(join(out, "keys"))).toHaveLength(3);
  });

  it("exits 2 on a planted key path, printing the refusal and writing nothing", SPAWNS, () => {
    const out = mkdtempSync(join(tmpdir(), "twinedge-certs-cli-"));
    const first = twinedge(["certs", "--out", out, "--users", "1", "--sites", "0", "--keys"]);
    expect(first.status, first.stderr).toBe(0);
    const again = twinedge(["certs", "--out", out, "--users", "2", "--sites", "0", "--keys"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/--out: .*ta\.key\.pem is already a file/);
    expect(readdirSync(out).sort()).toEqual(["keys", "ta.pem", "user-0.pem"]);
  });
});
