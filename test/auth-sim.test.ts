import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import type { TrialRecord } from "../src/contracts/record.js";
import { runTrial } from "../src/run/trial.js";
import { resolveScenario } from "../src/sweep/load.js";

const base = {
  slots: 120, warmupSlots: 0, seeds: [1, 2], policies: ["nearest"], users: { perSite: 10 }, mobility: { model: "gaussMarkov" },
  tasks: { arrivalRate: 0.2 }, channel: { backhaulRateBps: 2e7 }, migration: { mode: "proactive" },
  auth: { mode: "crypto", maliciousShare: 0.1 },
};
const metricsOf = (r: TrialRecord) => {
  if (r.status !== "ok") throw new Error(r.error);
  return r.metrics;
};

// Whole trials with real Ed25519: about 35 s of CPU for the trust-transfer test, far longer in
// wall time on a shared, loaded machine. The limit is generous: no test here asserts speed.
const SLOW = { timeout: 900_000 };

describe("authentication in the simulation", () => {
  it("never serves a malicious user, and refuses exactly the users injected", SLOW, () => {
    for (const t of resolveScenario(base, "s.json").trials) {
      // The runner checks every slot that no unauthenticated user is served: a breach fails the trial.
      const m = metricsOf(runTrial(t, "wasm").record);
      expect(m.maliciousUsers!).toBeGreaterThan(5);
      expect(m.refusedUsers).toBe(m.maliciousUsers);
      expect(m.authRefusalsPerUserHour!).toBeGreaterThan(0);
      expect(m.fullHandshakesPerUserHour!).toBeGreaterThan(0);
    }
  });

  it("with trust transfer, migrating users resume with tickets: fewer full handshakes, lower latency", SLOW, () => {
    const trials = resolveScenario({ ...base, auth: { mode: "crypto" }, sweep: { "auth.trustTransfer": [false, true] } }, "s.json").trials;
    const m = trials.map((t) => ({ transfer: t.point["auth.trustTransfer"], seed: t.seed, ...metricsOf(runTrial(t, "wasm").record) }));
    for (const seed of [1, 2]) {
      const off = m.find((x) => x.seed === seed && !x.transfer)!;
      const on = m.find((x) => x.seed === seed && x.transfer)!;
      // Only the first handshake of each user remains.
      expect(on.fullHandshakesPerUserHour!).toBeLessThan(off.fullHandshakesPerUserHour! / 3);
      expect(on.resumedSessionsPerUserHour!).toBeGreaterThan(0);
      expect(on.latencyS!).toBeLessThan(off.latencyS!);
    }
  });

  it("the modeled mode keeps the protocol's counts without the cryptography", SLOW, () => {
    const [crypto, modeled] = (["crypto", "modeled"] as const).map((mode) => {
      const [t] = resolveScenario({ ...base, seeds: [3], auth: { ...base.auth, mode } }, "s.json").trials;
      return metricsOf(runTrial(t, "wasm").record);
    });
    for (const k of ["fullHandshakesPerUserHour", "resumedSessionsPerUserHour", "authRefusalsPerUserHour", "refusedUsers", "maliciousUsers", "tasks"] as const) {
      expect(modeled[k], k).toBe(crypto[k]);
    }
    expect(Math.abs(modeled.authDelayS! / crypto.authDelayS! - 1)).toBeLessThan(0.5);
  });

  it("a handshake's air time is at the uplink's realised rate, so a stale twin cannot stretch it past bits / minimum rate", SLOW, () => {
    // Vehicles and a twin that syncs every 50 slots: its rate estimates are far off. A full
    // handshake is a few kB; an admitted upload runs at >= channel.minRateBps (1e5 bit/s).
    const stale = {
      ...base, slots: 150, seeds: [1, 2], policies: ["random", "nearest"], auth: { mode: "modeled" },
      mobility: { model: "gaussMarkov", meanSpeedMps: 30, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 }, twin: { syncPeriodSlots: 50 },
    };
    for (const t of resolveScenario(stale, "s.json").trials) {
      const m = metricsOf(runTrial(t, "wasm").record);
      expect(m.fullHandshakesPerUserHour!).toBeGreaterThan(0);
      expect(m.authDelayS!).toBeGreaterThan(0);
      expect(m.authDelayS!).toBeLessThan((8 * 8192) / 1e5);
    }
  });

  it("is off by default: auth metrics are empty and nothing is refused", () => {
    const [t] = resolveScenario({ ...base, seeds: [1], auth: undefined }, "s.json").trials;
    const m = metricsOf(runTrial(t, "js").record);
    expect([m.fullHandshakesPerUserHour, m.refusedUsers, m.maliciousUsers]).toEqual([null, null, null]);
  });

  it("twinedge run --auth replaces the scenario's mode", SLOW, () => {
    const dir = mkdtempSync(join(tmpdir(), "twinedge-auth-"));
    const f = join(dir, "s.json");
    writeFileSync(f, JSON.stringify({ ...base, slots: 20, seeds: [1], auth: { mode: "crypto", maliciousShare: 0.1 } }));
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", f, "--out", join(dir, "o"), "--auth", "modeled", "--quiet", "--no-figures"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "o", "scenario.json"), "utf8")).auth.mode).toBe("modeled");
    const bad = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", f, "--auth", "rsa"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
  });
});
