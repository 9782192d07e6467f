// The walls of src/ (.dependency-cruiser.cjs): every folder imports only downward, never a
// sibling on its own level, and no module takes part in a cycle. `npm test` checks src/ with
// `npm run check:walls` before the tests run; here the same rules run on src/ and on a fixture
// tree (test/fixtures/walls/src) with one deliberate violation of each kind.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, "src", "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "err"], { cwd, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("the walls of src/", () => {
  it("hold in src/: no upward import, no sibling import, no cycle", () => {
    const r = cruise(ROOT);
    expect(r.out).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it("fail on a deliberate upward import, a sibling import, a cycle and a module in no room", () => {
    const r = cruise(join(ROOT, "test", "fixtures", "walls"));
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/downward-only:src\/world\/: src\/world\/upward\.ts → src\/policy\/policy\.ts/);
    expect(r.out).toMatch(/downward-only:src\/auth\/: src\/auth\/sideways\.ts → src\/twin\/twin-layer\.ts/);
    expect(r.out).toMatch(/no-cycle: src\/model\/(a|b)\.ts →\s+src\/model\/(a|b)\.ts/);
    expect(r.out).toMatch(/known-room: src\/stray\.ts → src\/model\/a\.ts/);
    expect(r.out).toMatch(/4 dependency violations/);
  });
});
