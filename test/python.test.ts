// The Python package's own suite (python/tests, pytest) is part of this suite: it fails, never
// skips, when python3, the package or its dependencies are missing, or when the installed
// package is not this checkout's python/twinedge (a stale install would test old code).
// TWINEDGE_PYTHON names another interpreter (e.g. a virtual environment's); TWINEDGE_HOME is
// set to this checkout, so the tests drive this build whatever checkout the package recorded.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";

const PYTHON = process.env.TWINEDGE_PYTHON ?? "python3";
const INSTALL = "pip install --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple ./python";
const env = { ...process.env, TWINEDGE_HOME: ROOT, PYTHONDONTWRITEBYTECODE: "1" };

// Run from outside the source tree so `import twinedge` finds the installed package.
const CHECK = `
import hashlib, os, sys
import numpy, pandas, gymnasium, pettingzoo, pytest
import twinedge
src = sys.argv[1]
inst = os.path.dirname(twinedge.__file__)
if os.path.realpath(inst) == os.path.realpath(src):
    sys.exit("twinedge is imported from the source tree, not installed")
digest = lambda d: {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest() for f in sorted(os.listdir(d)) if f.endswith(".py") and f != "_home.py"}
if digest(inst) != digest(src):
    sys.exit(f"the installed twinedge ({inst}) differs from {src}: reinstall it")
print(inst)
`;

describe("the Python package", () => {
  it("is installed from this checkout, and its pytest suite passes (PettingZoo conformance, equality with twinedge run, errors, shutdown)", () => {
    const check = spawnSync(PYTHON, ["-c", CHECK, join(ROOT, "python", "twinedge")], { encoding: "utf8", cwd: "/", env });
    if (check.error) throw new Error(`${PYTHON}: ${check.error.message}: Python 3 with the package is required (${INSTALL})`);
    expect(check.status, `the twinedge Python package or a dependency is missing or stale: ${check.stderr.trim()}\nInstall it: ${INSTALL}`).toBe(0);
    const r = spawnSync(PYTHON, ["-m", "pytest", "python/tests", "-q", "-p", "no:cacheprovider"], { encoding: "utf8", cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, `pytest python/tests failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed/);
    expect(r.stdout).not.toMatch(/skipped|xfail/);
  }, 600_000);
});
