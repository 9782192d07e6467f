// bench/view-pace.mjs (docs/view.md "How large a world") runs: one small world, measured.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { chromiumPath } from "./chromium.js";

describe("bench/view-pace.mjs", () => {
  it("measures frames/s and slots/s of a world, and refuses bad arguments", () => {
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bench", "view-pace.mjs"), ...args], { encoding: "utf8", cwd: ROOT, env: { ...process.env, CHROMIUM: chromiumPath() } });
    const r = run(["5", "--one-lane"]);
    expect(r.status, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(line).toMatchObject({ usersPerSite: 5, lanes: 1 });
    expect(line.paced20.framesPerS).toBeGreaterThan(0);
    expect(line.asFastAsItGoes.slotsPerS).toBeGreaterThan(0);
    expect(run(["lots"]).status).toBe(2);
  }, 120_000);
});
