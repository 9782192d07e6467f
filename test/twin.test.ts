import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createKernels } from "../src/kernels/index.js";
import { ROOT } from "../src/paths.js";
import type { TrialRecord } from "../src/contracts/record.js";
import { runTrial } from "../src/run/trial.js";
import { loadScenario, resolveScenario } from "../src/sweep/load.js";
import { runSweep } from "../src/sweep/run-sweep.js";
import type { Policy } from "../src/policy/index.js";
import { runEpisode } from "../src/run/episode.js";
import { buildSimulation } from "../src/run/build-simulation.js";
import { TaskLog } from "../src/run/task-log.js";
import { RingHistory } from "../src/twin/ring.js";
import { TwinLayer } from "../src/twin/twin-layer.js";
import { InputError } from "../src/validation.js";
import { World } from "../src/world/world.js";

const vehicles = { model: "gaussMarkov", meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 };
const ok = (r: TrialRecord) => {
  if (r.status !== "ok") throw new Error(r.error);
  return r.metrics;
};
const tmp = (p: string) => mkdtempSync(join(tmpdir(), `twinedge-${p}-`));

describe("twin histories", () => {
  it("keeps the last `length` syncs per entity in one flat ring", () => {
    const r = RingHistory.f64(2, 3);
    for (let k = 1; k <= 5; k++) r.push([k, 10 * k]);
    expect(r.size).toBe(3);
    expect([r.at(0, 0), r.at(0, 1), r.at(0, 2), r.at(1, 0)]).toEqual([5, 4, 3, 50]);
    expect(() => r.at(0, 3)).toThrow(/lag 3/);
  });

  it("a stale twin keeps positions and cells until its next sync", () => {
    const config = resolveScenario({ slots: 10, users: { perSite: 2 }, mobility: vehicles, twin: { syncPeriodSlots: 4 } }, "s.json").points[0].config;
    const world = new World(config, 1);
    const L = createKernels(world.machine).createLayout(world.users, world.sites.count);
    const twin = new TwinLayer(world, config.twin, L);
    const seen: number[] = [];
    for (let slot = 0; slot < 9; slot++) {
      world.advance(slot);
      world.traffic.prepare(L);
      seen.push(twin.sync(slot).userX[0]);
      world.traffic.complete(L.active);
      if (slot % 4 === 0) expect(twin.obs.userX[0]).toBe(world.pos.xM[0]);
      else expect(twin.obs.userX[0]).not.toBe(world.pos.xM[0]);
    }
    expect(new Set(seen).size).toBe(3); // slots 0, 4, 8
    expect(twin.state.history.x.size).toBe(3);
  });
});

describe("next-cell prediction", () => {
  it("the Markov predictor beats 'stays in its cell' on Gauss-Markov mobility, seed by seed", () => {
    for (const seed of [1, 2, 3]) {
      const config = resolveScenario({ slots: 400, users: { perSite: 20 }, mobility: vehicles }, "s.json").points[0].config;
      const world = new World(config, seed);
      // Only the predictor a twin serves is kept up to date (with "stay"): one twin each.
      const L = createKernels(world.machine).createLayout(world.users, world.sites.count);
      const twin = new TwinLayer(world, { ...config.twin, predictor: "markov" }, L);
      const other = new TwinLayer(world, { ...config.twin, predictor: "velocity" }, L);
      for (let slot = 0; slot < config.slots; slot++) {
        world.advance(slot);
        world.traffic.prepare(L);
        twin.sync(slot);
        other.sync(slot);
        world.traffic.complete(L.active);
      }
      const markov = twin.counters.score("markov"), stay = twin.counters.score("stay");
      const velocity = other.counters.score("velocity");
      const rate = (s: { hits: number; total: number }) => s.hits / s.total;
      expect(stay.total).toBe(world.users * (config.slots - 1));
      expect(rate(markov), `seed ${seed}`).toBeGreaterThan(rate(stay) + 0.01);
      expect(rate(velocity), `seed ${seed}`).toBeGreaterThan(rate(stay));
    }
  });

  it("reports accuracy in the trial metrics", () => {
    const [t] = resolveScenario({ slots: 200, seeds: [1], policies: ["local"], users: { perSite: 10 }, mobility: vehicles }, "s.json").trials;
    const m = ok(runTrial(t, "js").record);
    expect(m.nextCellAccuracy!).toBeGreaterThan(m.nextCellAccuracyStay!);
  });
});

describe("identical requests fetched once", () => {
  it("with a Zipf catalogue the twin fetches fewer than it is asked for, and reports the saving", () => {
    const base = { slots: 100, seeds: [1, 2], policies: ["local"], users: { perSite: 20 }, tasks: { arrivalRate: 0.2 } };
    for (const t of resolveScenario({ ...base, tasks: { ...base.tasks, catalogue: { types: 50, zipfExponent: 1 } } }, "s.json").trials) {
      const m = ok(runTrial(t, "js").record);
      expect(m.fetchSavedShare!).toBeGreaterThan(0.2);
      expect(m.fetchSavedShare!).toBeLessThan(1);
      expect(m.fetchSavedBitsPerSlot!).toBeGreaterThan(0);
    }
    for (const t of resolveScenario(base, "s.json").trials) {
      const m = ok(runTrial(t, "js").record);
      expect([m.fetchSavedShare, m.fetchSavedBitsPerSlot]).toEqual([0, 0]);
    }
  });
});

describe("service migration", () => {
  const scenario = {
    slots: 120, warmupSlots: 10, seeds: [1], policies: ["nearest"], users: { perSite: 10 }, mobility: vehicles,
    tasks: { arrivalRate: 0.2 }, channel: { backhaulRateBps: 2e7 }, migration: { relayPenaltyS: 0.02 },
    output: { taskRecords: true }, sweep: { "migration.mode": ["off", "relay", "reactive", "proactive"] },
  };

  it("migrates services as users change cells, with eq. 7-9 terms in the per-task records", async () => {
    const dir = tmp("mig");
    const f = join(dir, "s.json");
    writeFileSync(f, JSON.stringify(scenario));
    const out = join(dir, "out");
    const r = await runSweep(f, { out, backend: "wasm", threads: 1, progress: false, figures: false });
    const by = Object.fromEntries(r.records.map((x) => [x.point["migration.mode"], x]));
    expect(ok(by.off).migrationsPerUserHour).toBeNull();
    expect(ok(by.relay).migrationsPerUserHour).toBe(0);
    expect(ok(by.relay).relaysPerUserHour!).toBeGreaterThan(0);
    for (const mode of ["reactive", "proactive"]) {
      const m = ok(by[mode]);
      expect(m.migrationsPerUserHour!, mode).toBeGreaterThan(100);
      const rows = readFileSync(join(out, "tasks", `${by[mode].id}.csv`), "utf8").trim().split("\n").map((l) => l.split(","));
      const col = (name: string) => rows[0].indexOf(name);
      const carried = rows.slice(1).filter((row) => row[col("event")] === "migrate");
      expect(carried.length, mode).toBeGreaterThan(0);
      for (const row of carried) {
        expect(Number(row[col("migrateTo")])).not.toBe(Number(row[col("server")]));
        if (Number(row[col("theta")]) < 1) {
          expect(Number(row[col("tMigS")])).toBeGreaterThan(0);
          expect(Number(row[col("tExeTargetS")])).toBeGreaterThan(0);
        }
      }
      for (const row of rows.slice(1).filter((x) => x[col("event")] === "relay")) {
        expect(row[col("migrateTo")]).toBe(row[col("serviceSite")]);
      }
    }
    expect(existsSync(join(out, "tasks", `${by.off.id}.csv`))).toBe(true);
  });

  it("proactive migration, on the twin's prediction, gives lower latency than reactive, seed by seed", () => {
    const trials = resolveScenario({ ...scenario, slots: 300, seeds: [1, 2, 3], users: { perSite: 20 }, twin: { predictor: "markov" }, sweep: { "migration.mode": ["reactive", "proactive"] }, output: {} }, "s.json").trials;
    const m = trials.map((t) => ({ mode: t.point["migration.mode"], seed: t.seed, ...ok(runTrial(t, "wasm").record) }));
    for (const seed of [1, 2, 3]) {
      const reactive = m.find((x) => x.seed === seed && x.mode === "reactive")!;
      const proactive = m.find((x) => x.seed === seed && x.mode === "proactive")!;
      expect(proactive.latencyS!, `seed ${seed}`).toBeLessThan(reactive.latencyS!);
    }
  });
});

describe("a policy's own migration actions", () => {
  it("are carried from the service's site, or dropped when that upload is infeasible", () => {
    const events = (mode: string) => {
    const config = resolveScenario({ slots: 60, users: { perSite: 10 }, mobility: vehicles, tasks: { arrivalRate: 0.2 }, channel: { backhaulRateBps: 2e7 }, migration: { mode } }, "s.json").points[0].config;
    const log = new TaskLog();
    const sim = buildSimulation({ ...config, slotS: 1 }, { seed: 2, backend: "js", taskLog: log });
    const n = sim.sites;
    const mover: Policy = {
      name: "mover",
      act(obs, out) {
        for (let i = 0; i < obs.users; i++) {
          if (!obs.active[i]) continue;
          out.theta[i] = 0;
          out.server[i] = obs.serving[i];
          out.migrateTo[i] = (obs.serving[i] + 1) % n;
        }
      },
    };
    runEpisode(sim, mover, { slots: config.slots, warmupSlots: 0 });
    return log.csv().trim().split("\n").map((l) => l.split(","));
    };
    const rows = events("reactive");
    const col = (name: string) => rows[0].indexOf(name);
    const migrated = rows.slice(1).filter((r) => r[col("event")] === "migrate");
    expect(migrated.length).toBeGreaterThan(10);
    // In relay mode services never move: the actions are dropped.
    expect(events("relay").filter((r) => r[col("event")] === "migrate")).toHaveLength(0);
    for (const r of migrated) {
      expect(r[col("server")]).toBe(r[col("serviceSite")]);
      expect(r[col("migrateTo")]).not.toBe(r[col("serviceSite")]);
    }
  });
});

describe("a stale twin", () => {
  it("degrades greedy's decisions measurably (sync every 10 slots against every slot)", () => {
    const trials = resolveScenario({
      slots: 150, warmupSlots: 10, seeds: [1, 2, 3], policies: ["greedy"], users: { perSite: 20 }, mobility: vehicles,
      tasks: { arrivalRate: 0.2 }, sweep: { "twin.syncPeriodSlots": [1, 10] },
    }, "s.json").trials;
    const lat = trials.map((t) => ({ period: t.point["twin.syncPeriodSlots"], seed: t.seed, latencyS: ok(runTrial(t, "wasm").record).latencyS! }));
    for (const seed of [1, 2, 3]) {
      const fresh = lat.find((x) => x.seed === seed && x.period === 1)!.latencyS;
      const stale = lat.find((x) => x.seed === seed && x.period === 10)!.latencyS;
      expect(stale).toBeGreaterThan(fresh * 1.1);
    }
  });
});

describe("trace mobility in a scenario", () => {
  const traceScenario = (dir: string, trace: string, users = 20) => {
    mkdirSync(join(dir, "traces"), { recursive: true });
    writeFileSync(join(dir, "traces", "t.csv"), trace);
    const f = join(dir, "s.json");
    writeFileSync(f, JSON.stringify({ slots: 30, seeds: [1], policies: ["nearest"], users: { total: users }, mobility: { model: "trace", file: "traces/t.csv" } }));
    return f;
  };

  it("replays the shipped example, and records its hash in the resolved scenario", () => {
    const dir = tmp("trace");
    const f = traceScenario(dir, readFileSync(join(ROOT, "scenarios", "traces", "gauss-markov-20users.csv"), "utf8"));
    const s = loadScenario(f);
    expect(s.scenario.mobility).toMatchObject({ model: "trace", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(ok(runTrial(s.trials[0], "js").record).tasks).toBeGreaterThan(0);
  });

  it("refuses a bad trace file with the line named, before anything runs", () => {
    const dir = tmp("badtrace");
    const f = traceScenario(dir, "t,userId,xM,yM\n0,0,1,1\n0,1,2,2\n1,7,3,3\n", 2);
    expect(() => loadScenario(f)).toThrow(InputError);
    expect(() => loadScenario(f)).toThrow(/line 4: unknown user 7/);
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "twinedge.js"), "run", f, "--out", out], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 4: unknown user 7/);
    expect(existsSync(out)).toBe(false);
  });
});
