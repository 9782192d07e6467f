// Sanity checks of the independent reference calculator (test/reference/).
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { referenceLatency, type Row } from "./reference/model-reference.js";
import { randomSnapshot } from "./reference/random-snapshot.js";

const row = (r: Row | null): Row => {
  if (r === null) throw new Error("unexpected null row");
  return r;
};
const task = { cyclesPerBit: 500, bits: 1e6, deadlineS: 1 };
const log2 = Math.log2;

describe("reference latency calculator", () => {
  it("single user, Table I, no interference: 50/100/250 m", () => {
    const expected: [number, number][] = [
      [50, 139.62],
      [100, 109.63],
      [250, 70.08],
    ];
    for (const [d, mbps] of expected) {
      const out = referenceLatency({
        servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
        users: [{ xM: d, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } }],
      });
      expect(row(out.users[0]).rateBps! / 1e6).toBeCloseTo(mbps, 2);
    }
  });

  it("dMinM clamp: a user on top of its server sees d = 1 m", () => {
    const at = (d: number) =>
      row(
        referenceLatency({
          servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
          users: [{ xM: d, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } }],
        }).users[0],
      ).sinr;
    expect(at(0)).toBe(at(1));
    expect(at(0.5)).toBe(at(1));
    // PL(1 m) = 127 - 90 = 37 dB -> SINR = 100 * 10^-3.7 / 1e-11
    expect(at(0)! / (100 * 10 ** -3.7 / 1e-11)).toBeCloseTo(1, 12);
  });

  // Two users, one server at the origin: user 0 at 100 m (PL 97 dB), user 1 at 1000 m (PL 127 dB).
  // Received powers: 100 * 10^-9.7 = 10^-7.7 mW and 10^-10.7 mW.
  const twoUsers = (interference: "shared" | "orthogonal") => ({
    params: { interference },
    servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
    users: [
      { xM: 100, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } },
      { xM: 0, yM: 1000, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } },
    ],
  });
  const p0 = 10 ** -7.7;
  const p1 = 10 ** -10.7;

  it("two users in one cell: shared band", () => {
    const out = referenceLatency(twoUsers("shared"));
    const [a, b] = out.users.map(row);
    const s0 = p0 / (1e-11 + p1); // ~666.1
    const s1 = p1 / (1e-11 + p0); // ~1e-3
    expect(a.sinr! / s0).toBeCloseTo(1, 12);
    expect(b.sinr! / s1).toBeCloseTo(1, 12);
    expect(a.rateBps! / (1e7 * log2(1 + s0))).toBeCloseTo(1, 12);
    // user 1: ~14 kbps < 0.1 Mbps -> infeasible
    expect(b.offloadFeasible).toBe(false);
    expect(a.offloadFeasible).toBe(true);
    // equal share: 1e10 / 2 per user -> 5e8 cycles / 5e9 Hz = 0.1 s
    expect(a.tExeS).toBeCloseTo(0.1, 12);
    expect(b.tExeS).toBeCloseTo(0.1, 12);
    expect(a.tTransS / (1e6 / (1e7 * log2(1 + s0)))).toBeCloseTo(1, 12);
    expect(a.tProcS).toBeCloseTo(a.tTransS + 0.1, 12);
    expect(a.deadlineMet).toBe(true);
    expect(b.deadlineMet).toBe(false); // 1e6 / ~14 kbps >> 1 s
    expect(out.systemCostS).toBeCloseTo(a.tProcS + b.tProcS, 9);
  });

  it("two users in one cell: orthogonal -> noise only", () => {
    const [a, b] = referenceLatency(twoUsers("orthogonal")).users.map(row);
    expect(a.sinr! / (p0 / 1e-11)).toBeCloseTo(1, 12); // 1995.26
    expect(b.sinr! / (p1 / 1e-11)).toBeCloseTo(1, 12); // 1.995
    expect(b.rateBps! / 1e6).toBeCloseTo(10 * log2(1 + 1.99526231), 6); // ~15.83 Mbps
    expect(b.offloadFeasible).toBe(true);
  });

  it("orthogonal still counts users of other cells", () => {
    // Mirror-symmetric: user 0 -> server 0 at 100 m, user 1 -> server 1 at 100 m; cross distance 1000 m.
    const snap = (interference: "shared" | "orthogonal") => ({
      params: { interference },
      servers: [
        { xM: 0, yM: 0, cpuHz: 1e10 },
        { xM: 1100, yM: 0, cpuHz: 1e10 },
      ],
      users: [
        { xM: 100, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } },
        { xM: 1000, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 1 } },
      ],
    });
    const s = p0 / (1e-11 + p1);
    for (const mode of ["shared", "orthogonal"] as const) {
      const [a, b] = referenceLatency(snap(mode)).users.map(row);
      expect(a.sinr! / s).toBeCloseTo(1, 12);
      expect(b.sinr! / s).toBeCloseTo(1, 12);
      expect(a.tExeS).toBeCloseTo(0.05, 12); // alone at its site
    }
  });

  it("idle users and theta = 1 users do not transmit", () => {
    const out = referenceLatency({
      servers: [{ xM: 0, yM: 0, cpuHz: 1e10 }],
      users: [
        { xM: 100, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 0, server: 0 } },
        { xM: 10, yM: 0, powerMw: 100, cpuHz: 5e8 },
        { xM: 20, yM: 0, powerMw: 100, cpuHz: 5e8, task, decision: { localFraction: 1, server: 0, migrateTo: null } },
      ],
    });
    expect(out.users[1]).toBeNull();
    const a = row(out.users[0]);
    const c = row(out.users[2]);
    expect(a.sinr! / (p0 / 1e-11)).toBeCloseTo(1, 12);
    expect(a.tExeS).toBeCloseTo(0.05, 12); // alone on the server
    expect(c).toEqual({
      sinr: null, rateBps: null, tLocalS: 1, tTransS: 0, tExeS: 0, tMigS: 0, tExeTargetS: 0,
      tProcS: 1, offloadFeasible: true, deadlineMet: true,
    });
    expect(out.systemCostS).toBeCloseTo(a.tProcS + 1, 12);
  });

  // Migration: server 0 (1 GHz) at origin, server 1 (2 GHz) at 500 m; user at 100 m from server 0.
  const migSnap = (params: { backhaulRateBps?: number; interference?: "orthogonal" } = {}) => ({
    params,
    servers: [
      { xM: 0, yM: 0, cpuHz: 1e9 },
      { xM: 500, yM: 0, cpuHz: 2e9 },
    ],
    users: [
      { xM: 100, yM: 0, powerMw: 100, cpuHz: 5e8, task,
        decision: { localFraction: 0.2, server: 0, migrateTo: 1, sourceFraction: 0.3 } },
    ],
  });

  it("migration, single user (eq. 7-9, source executes only beta)", () => {
    const r = row(referenceLatency(migSnap()).users[0]);
    const R = 1e7 * log2(1 + p0 / 1e-11); // 109.63 Mbps
    expect(r.rateBps! / 1e6).toBeCloseTo(109.63, 2);
    expect(r.tLocalS).toBeCloseTo(0.2, 12); // 500*1e6*0.2/5e8
    expect(r.tTransS / (0.8e6 / R)).toBeCloseTo(1, 12); // ~7.297 ms
    expect(r.tExeS).toBeCloseTo(0.15, 12); // 500*1e6*0.3/1e9
    expect(r.tMigS / (0.5e6 / R)).toBeCloseTo(1, 12); // R_mig = R_i, ~4.561 ms
    expect(r.tExeTargetS).toBeCloseTo(0.125, 12); // 500*1e6*0.5/2e9
    expect(r.tProcS).toBeCloseTo(0.8e6 / R + 0.15 + 0.5e6 / R + 0.125, 12); // ~0.2869 > 0.2
    expect(r.deadlineMet).toBe(true);

    const rb = row(referenceLatency(migSnap({ backhaulRateBps: 1e8 })).users[0]);
    expect(rb.tMigS).toBeCloseTo(0.005, 12); // 0.5e6 / 1e8
    expect(rb.tTransS).toBe(r.tTransS);
  });

  it("migration: CPU share counts only sites with non-zero work", () => {
    const snap = migSnap({ interference: "orthogonal" });
    snap.users.push(
      // beta = 0: counts at the target only
      { xM: 0, yM: 400, powerMw: 100, cpuHz: 5e8, task,
        decision: { localFraction: 0, server: 0, migrateTo: 1, sourceFraction: 0 } },
      // beta = 1 - theta: counts at the source (server 1) only
      { xM: 500, yM: 100, powerMw: 100, cpuHz: 5e8, task,
        decision: { localFraction: 0.5, server: 1, migrateTo: 0, sourceFraction: 0.5 } },
    );
    const [a, b, c] = referenceLatency(snap).users.map(row);
    // n_0 = 1 (a), n_1 = 3 (a, b, c): f = 1e9 at site 0, 2e9/3 at site 1
    expect(a.tExeS).toBeCloseTo(0.15, 12);
    expect(a.tExeTargetS).toBeCloseTo(0.375, 12); // 2.5e8 / (2e9/3)
    expect(b.tExeS).toBe(0);
    expect(b.tExeTargetS).toBeCloseTo(0.75, 12);
    expect(c.tExeS).toBeCloseTo(0.375, 12);
    expect(c.tMigS).toBe(0);
    expect(c.tExeTargetS).toBe(0);
    expect(c.tLocalS).toBeCloseTo(0.5, 12);
    // a and b share cell 0 (orthogonal): a is interfered only by c, at (500, 100) uploading to site 1
    const gc = 100 * 10 ** (-(127 + 30 * Math.log10(Math.hypot(500, 100) / 1000)) / 10);
    expect(a.sinr! / (p0 / (1e-11 + gc))).toBeCloseTo(1, 12);
  });

  it("random snapshots are deterministic and evaluate to finite rows", () => {
    for (let seed = 0; seed < 50; seed++) {
      const s1 = randomSnapshot(seedrandom(`s${seed}`), { users: 12, servers: 4, backhaul: true });
      const s2 = randomSnapshot(seedrandom(`s${seed}`), { users: 12, servers: 4, backhaul: true });
      expect(s1).toEqual(s2);
      const out = referenceLatency(JSON.parse(JSON.stringify(s1)));
      expect(out.users).toHaveLength(12);
      for (const r of out.users) {
        if (r === null) continue;
        expect(Number.isFinite(r.tProcS)).toBe(true);
        expect(r.tProcS).toBeGreaterThanOrEqual(0);
      }
      expect(Number.isFinite(out.systemCostS)).toBe(true);
    }
  });
});
