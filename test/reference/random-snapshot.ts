// Deterministic random snapshots in the latency calculator's input format (docs/calculator.md#input).
// Uses only the given rng, so a seeded rng gives the same snapshot every time.

import type { InterferenceMode, Snapshot, SnapshotDecision, SnapshotParams, SnapshotServer, SnapshotUser } from "./model-reference.js";

export interface RandomSnapshotOptions {
  users?: number; // default 8
  servers?: number; // default 3
  mode?: InterferenceMode; // default: random, field sometimes omitted
  migrations?: boolean; // default true
  idleShare?: number; // default 0.1
  /** Sometimes set params.backhaulRateBps (docs/calculator.md#input-params). Default false. */
  backhaul?: boolean;
}

const AREA_M = 500;

export function randomSnapshot(rng: () => number, opts: RandomSnapshotOptions = {}): Snapshot {
  const nUsers = opts.users ?? 8;
  const nServers = opts.servers ?? 3;
  const migrations = opts.migrations ?? true;
  const idleShare = opts.idleShare ?? 0.1;

  const uni = (lo: number, hi: number): number => lo + (hi - lo) * rng();
  const int = (n: number): number => Math.min(n - 1, Math.floor(rng() * n));
  const coin = (p: number): boolean => rng() < p;

  // params: each field omitted half the time (Table I defaults then apply).
  const params: SnapshotParams = {};
  if (coin(0.5)) params.bandwidthHz = 1e7;
  if (coin(0.5)) params.noiseMw = 1e-11;
  if (coin(0.5)) params.minRateBps = 1e5;
  if (coin(0.5)) params.dMinM = 1;
  const mode: InterferenceMode = opts.mode ?? (coin(0.5) ? "shared" : "orthogonal");
  if (mode === "orthogonal" || coin(0.5)) params.interference = mode;
  if (opts.backhaul && coin(0.5)) params.backhaulRateBps = uni(1e7, 1e9);

  const servers: SnapshotServer[] = [];
  for (let s = 0; s < nServers; s++) {
    servers.push({ xM: uni(0, AREA_M), yM: uni(0, AREA_M), cpuHz: uni(1e9, 2e10) });
  }

  const THETAS = [0, 1, 0.25, 0.5, 0.75];
  const users: SnapshotUser[] = [];
  for (let i = 0; i < nUsers; i++) {
    let xM: number;
    let yM: number;
    if (coin(0.1)) {
      // Within 1 m of a server (dMinM clamp); sometimes exactly on it.
      const s = servers[int(nServers)];
      const r = coin(0.3) ? 0 : uni(0, 1);
      const a = uni(0, 2 * Math.PI);
      xM = s.xM + r * Math.cos(a);
      yM = s.yM + r * Math.sin(a);
    } else {
      xM = uni(0, AREA_M);
      yM = uni(0, AREA_M);
    }
    const user: SnapshotUser = { xM, yM, powerMw: uni(10, 200), cpuHz: uni(1e8, 1e9) };

    if (coin(idleShare)) {
      users.push(user); // idle: no task, no decision
      continue;
    }
    user.task = { cyclesPerBit: uni(100, 1000), bits: uni(1e4, 2e6), deadlineS: uni(0.2, 2) };

    const pick = int(THETAS.length + 1);
    const dyadic = pick < THETAS.length;
    const theta = dyadic ? THETAS[pick] : rng();
    const server = int(nServers);
    const decision: SnapshotDecision = { localFraction: theta, server };
    if (migrations && nServers > 1 && coin(0.4)) {
      let target = int(nServers - 1);
      if (target >= server) target += 1; // another server
      decision.migrateTo = target;
      // beta in [0, 1 - theta]; the endpoints only for dyadic theta, where
      // 1 - theta - beta is exactly 0 however it is computed.
      const r = rng();
      decision.sourceFraction = dyadic && r < 0.2 ? 0 : dyadic && r < 0.4 ? 1 - theta : uni(0, 1 - theta);
    } else {
      const r = rng();
      if (r < 0.3) decision.migrateTo = null;
      if (r < 0.15) decision.sourceFraction = 0;
    }
    user.decision = decision;
    users.push(user);
  }

  const snap: Snapshot = { servers, users };
  if (Object.keys(params).length > 0 || coin(0.5)) snap.params = params;
  return snap;
}
