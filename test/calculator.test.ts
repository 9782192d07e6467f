import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { calculateLatency, type LatencyReport } from "../src/calculator/latency.js";
import { ROOT } from "../src/paths.js";
import { InputError } from "../src/validation.js";
import { referenceLatency } from "./reference/model-reference.js";
import { randomSnapshot } from "./reference/random-snapshot.js";

const one = (dM: number) => ({
  servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
  users: [{ xM: dM, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0, server: 0 } }],
});

function close(a: number | null, b: number | null, rel: number): boolean {
  if (a === null || b === null) return a === b;
  return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

function expectAgree(got: LatencyReport, want: ReturnType<typeof referenceLatency>, rel: number, what: string): void {
  expect(got.users.length).toBe(want.users.length);
  got.users.forEach((row, i) => {
    const ref = want.users[i];
    if (row === null || ref === null) return expect(row, `${what} user ${i}`).toBe(ref);
    for (const k of Object.keys(ref) as (keyof typeof ref)[]) {
      const a = row[k], b = ref[k];
      if (typeof b === "boolean") expect(a, `${what} user ${i} ${k}`).toBe(b);
      else if (!close(a as number | null, b, rel)) throw new Error(`${what} user ${i} ${k}: got ${a}, reference ${b}`);
    }
  });
  if (!close(got.systemCostS, want.systemCostS, rel)) throw new Error(`${what} systemCostS: got ${got.systemCostS}, reference ${want.systemCostS}`);
}

describe("latency calculator", () => {
  it("pins the single-user, no-interference rates of Table I", () => {
    for (const [dM, mbps] of [[50, 139.62], [100, 109.63], [250, 70.08]] as const) {
      for (const backend of ["wasm", "js"] as const) {
        const r = calculateLatency(one(dM), backend).users[0]!;
        expect(Math.abs(r.rateBps! / 1e6 - mbps), `${dM} m ${backend}`).toBeLessThan(0.005);
      }
    }
  });

  it("computes the calculator contract's example by hand (docs/calculator.md): T_local, T_trans, T_exe, T_proc", () => {
    const r = calculateLatency({
      params: { bandwidthHz: 1e7, noiseMw: 1e-11, minRateBps: 1e5, dMinM: 1, interference: "shared" },
      servers: [{ xM: 125, yM: 125, cpuHz: 1e10 }],
      users: [{ xM: 100, yM: 140, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 4e5, deadlineS: 1 }, decision: { localFraction: 0.25, server: 0, migrateTo: null, sourceFraction: 0 } }],
    });
    const d = Math.hypot(25, 15);
    const sinr = (100 * 10 ** (-(127 + 30 * Math.log10(d / 1000)) / 10)) / 1e-11;
    const rate = 1e7 * Math.log2(1 + sinr);
    const row = r.users[0]!;
    expect(row.sinr).toBeCloseTo(sinr, -2);
    expect(row.rateBps! / rate).toBeCloseTo(1, 12);
    expect(row.tLocalS).toBeCloseTo((500 * 4e5 * 0.25) / 5e8, 12);
    expect(row.tTransS / ((4e5 * 0.75) / rate)).toBeCloseTo(1, 12);
    expect(row.tExeS).toBeCloseTo((500 * 4e5 * 0.75) / 1e10, 12);
    expect(row.tProcS).toBe(Math.max(row.tLocalS, row.tTransS + row.tExeS));
    expect(r.systemCostS).toBe(row.tProcS);
    expect(row.offloadFeasible && row.deadlineMet).toBe(true);
  });

  it("agrees with an independent O(M^2) implementation of docs/calculator.md on random snapshots (1e-6 relative)", () => {
    const rng = seedrandom.alea("calculator-vs-reference");
    for (let k = 0; k < 300; k++) {
      const snap = randomSnapshot(rng, { users: 1 + Math.floor(rng() * 40), servers: 1 + Math.floor(rng() * 9), backhaul: k % 3 === 0, migrations: k % 5 !== 0 });
      const want = referenceLatency(snap);
      for (const backend of ["wasm", "js"] as const) expectAgree(calculateLatency(snap, backend), want, 1e-6, `snapshot ${k} ${backend}`);
    }
  });

  it("flags an upload below the minimum rate as infeasible, and treats idle and all-local users as docs/calculator.md says", () => {
    const r = calculateLatency({
      params: { minRateBps: 1e9 },
      servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
      users: [
        { xM: 100, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0.5, server: 0 } },
        { xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8 },
        { xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 0.5 }, decision: { localFraction: 1 } },
      ],
    });
    expect(r.users[0]!.offloadFeasible).toBe(false);
    expect(r.users[1]).toBeNull();
    expect(r.users[2]).toMatchObject({ sinr: null, rateBps: null, tLocalS: 1, tProcS: 1, offloadFeasible: true, deadlineMet: false });
  });

  it("keeps digits when one uploader dominates its site: interference is not lost to cancellation", () => {
    // User 0 sits 0.5 m from its site; the only other uploader is 5 km away, near noise level.
    const snap = {
      params: { noiseMw: 1e-13 },
      servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }, { xM: 5000, yM: 0, cpuHz: 1e10 }],
      users: [
        { xM: 0.5, yM: 0, powerMw: 200, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0, server: 0 } },
        { xM: 5000, yM: 1, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0, server: 1 } },
      ],
    };
    const want = referenceLatency(snap);
    for (const backend of ["wasm", "js"] as const) expectAgree(calculateLatency(snap, backend), want, 1e-9, backend);
  });

  it("reads 1 - theta - beta literally: a rounding remainder still counts as work at the target", () => {
    // 1 - 0.7 - 0.3 = 5.55e-17 > 0 in floating point, so user 0 executes a (tiny) part at site 1.
    const snap = {
      servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }, { xM: 100, yM: 0, cpuHz: 1e10 }],
      users: [
        { xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0.7, server: 0, migrateTo: 1, sourceFraction: 0.3 } },
        { xM: 90, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0, server: 1 } },
      ],
    };
    const r = calculateLatency(snap);
    expect(r.users[1]!.tExeS).toBeCloseTo((500 * 1e6) / (1e10 / 2), 12);
    expectAgree(r, referenceLatency(snap), 1e-9, "literal remainder");
  });

  it("gives zero time to zero work, never NaN", () => {
    const snap = { servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }, { xM: 50, yM: 0, cpuHz: 1e10 }], users: [
      { xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 0, deadlineS: 1 }, decision: { localFraction: 0.5, server: 0, migrateTo: 1, sourceFraction: 0.25 } },
    ] };
    for (const backend of ["wasm", "js"] as const) {
      const row = calculateLatency(snap, backend).users[0]!;
      expect([row.tLocalS, row.tTransS, row.tExeS, row.tMigS, row.tExeTargetS, row.tProcS]).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  // Before: these printed null where a number belongs (JSON has no Infinity).
  it("refuses results that are not finite, naming the user and the term", () => {
    const far = { ...one(100), users: [one(100).users[0], { ...one(100).users[0], xM: 1e200 }] };
    const huge = { ...one(100), users: [{ ...one(100).users[0], task: { cyclesPerBit: 1e300, bits: 1e300, deadlineS: 1 }, decision: { localFraction: 0.5, server: 0 } }] };
    const slowCpu = { ...one(100), users: [{ ...one(100).users[0], cpuHz: 1e-320, decision: { localFraction: 1 } }] };
    const noise = { ...one(100), params: { noiseMw: 1e-320 } };
    for (const backend of ["wasm", "js"] as const) {
      const issuesOf = (snap: unknown) => {
        try {
          calculateLatency(snap, backend, "snap.json");
        } catch (e) {
          if (e instanceof InputError) return e.issues;
          throw e;
        }
        throw new Error(`${backend}: accepted`);
      };
      // 1e200 m away: the received power underflows to 0, the rate is 0 and the upload never ends.
      expect(issuesOf(far), backend).toEqual([expect.stringMatching(/^users\[1\]\.tTransS: not finite \(Infinity; the uplink rate is 0/), expect.stringMatching(/^users\[1\]\.tProcS: not finite \(Infinity; /)]);
      expect(issuesOf(huge)[0], backend).toMatch(/^users\[0\]\.tLocalS: not finite \(Infinity; bits x cyclesPerBit is too large for the user's cpuHz\)$/);
      expect(issuesOf(slowCpu)[0], backend).toMatch(/^users\[0\]\.tLocalS: not finite/);
      expect(issuesOf(noise)[0], backend).toMatch(/^users\[0\]\.sinr: not finite \(Infinity; /);
    }
  });

  const good = () => JSON.parse(JSON.stringify({
    servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }, { xM: 100, yM: 0, cpuHz: 1e10 }],
    users: [{ xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8, task: { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 }, decision: { localFraction: 0.25, server: 0, migrateTo: 1, sourceFraction: 0.5 } }],
  }));
  const bad: [string, (s: any) => void, RegExp][] = [
    ["missing field", (s) => delete s.users[0].task.bits, /^users\[0\]\.task\.bits: required$/],
    ["wrong type", (s) => (s.users[0].powerMw = "100"), /^users\[0\]\.powerMw: expected a positive number$/],
    ["fraction above 1", (s) => (s.users[0].decision.localFraction = 1.5), /^users\[0\]\.decision\.localFraction: expected a number in \[0, 1\]$/],
    ["negative fraction", (s) => (s.users[0].decision.localFraction = -0.1), /^users\[0\]\.decision\.localFraction: expected a number in \[0, 1\]$/],
    ["beta > 1 - theta", (s) => (s.users[0].decision.sourceFraction = 0.8), /^users\[0\]\.decision\.sourceFraction: must be at most 1 - localFraction/],
    ["unknown server index", (s) => (s.users[0].decision.server = 2), /^users\[0\]\.decision\.server: unknown server index 2/],
    ["unknown migrateTo index", (s) => (s.users[0].decision.migrateTo = 7), /^users\[0\]\.decision\.migrateTo: unknown server index 7/],
    ["migrateTo equal to server", (s) => (s.users[0].decision.migrateTo = 0), /^users\[0\]\.decision\.migrateTo: must differ from server$/],
    ["negative size", (s) => (s.users[0].task.bits = -1), /^users\[0\]\.task\.bits: expected a non-negative number$/],
    ["negative server CPU", (s) => (s.servers[1].cpuHz = -1), /^servers\[1\]\.cpuHz: expected a positive number$/],
    ["unknown interference mode", (s) => (s.params = { interference: "full" }), /^params\.interference: expected "shared" or "orthogonal"$/],
    ["unknown key", (s) => (s.users[0].decision.localFracton = 0.2), /^users\[0\]\.decision\.localFracton: unknown field$/],
    ["task without decision", (s) => delete s.users[0].decision, /^users\[0\]\.decision: required for a user with a task$/],
    ["no servers", (s) => (s.servers = []), /^servers: expected at least one server$/],
    ["an idle user's unknown server", (s) => { delete s.users[0].task; s.users[0].decision.server = 5; }, /^users\[0\]\.decision\.server: unknown server index 5/],
  ];
  for (const [what, spoil, message] of bad) {
    it(`refuses a snapshot with ${what}, naming the path`, () => {
      const s = good();
      expect(() => calculateLatency(s)).not.toThrow();
      spoil(s);
      try {
        calculateLatency(s, "wasm", "snap.json");
        throw new Error("accepted a bad snapshot");
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const issues = (e as InputError).issues;
        expect(issues.some((m) => message.test(m)), issues.join("\n")).toBe(true);
      }
    });
  }
});

describe("twinedge latency (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "twinedge-calc-"));
  const cli = (file: string, ...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "latency", file, ...args], { encoding: "utf8" });

  it("prints one JSON object with a row per user", () => {
    const f = join(dir, "ok.json");
    writeFileSync(f, JSON.stringify(one(100)));
    for (const backend of ["wasm", "js"]) {
      const r = cli(f, "--backend", backend);
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(Object.keys(out)).toEqual(["users", "systemCostS"]);
      expect(Object.keys(out.users[0])).toEqual(["sinr", "rateBps", "tLocalS", "tTransS", "tExeS", "tMigS", "tExeTargetS", "tProcS", "offloadFeasible", "deadlineMet"]);
      expect(out.users[0].rateBps / 1e6).toBeCloseTo(109.63, 2);
    }
  });

  it("exits non-zero with the field's path and nothing on stdout for a bad snapshot", () => {
    const cases: [string, string, RegExp][] = [
      ["bad.json", JSON.stringify({ ...one(100), users: [{ ...one(100).users[0], decision: { localFraction: 2, server: 0 } }] }), /users\[0\]\.decision\.localFraction: expected a number in \[0, 1\]/],
      ["broken.json", "{ not json", /not valid JSON/],
    ];
    for (const [name, text, message] of cases) {
      const f = join(dir, name);
      writeFileSync(f, text);
      const r = cli(f);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    }
    // Not finite: refused with exit 2, never a null on stdout.
    const far = join(dir, "far.json");
    writeFileSync(far, JSON.stringify({ ...one(100), users: [one(100).users[0], one(100).users[0], one(100).users[0], { ...one(100).users[0], xM: 1e200 }] }));
    const r = cli(far);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/far\.json: users\[3\]\.tTransS: not finite \(Infinity; /);
    const missing = cli(join(dir, "nope.json"));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the file/);
  });
});
