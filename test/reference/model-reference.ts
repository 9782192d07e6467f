// Independent reference implementation of the latency calculator as docs/calculator.md
// specifies it (written from the contract, not from the simulator's code). Written deliberately the
// straightforward way (dB path loss, O(M^2) interference) to cross-check the
// real implementation. It does not validate its input: assume a valid snapshot.

export type InterferenceMode = "shared" | "orthogonal";

export interface SnapshotParams {
  bandwidthHz?: number;
  noiseMw?: number;
  minRateBps?: number;
  dMinM?: number;
  interference?: InterferenceMode;
  /** Rate between sites for migration (eq. 7); absent/null -> R_mig = R_i. */
  backhaulRateBps?: number | null;
}

export interface SnapshotServer {
  xM: number;
  yM: number;
  cpuHz: number;
}

interface SnapshotTask {
  cyclesPerBit: number;
  bits: number;
  deadlineS: number;
}

export interface SnapshotDecision {
  localFraction: number;
  server: number;
  migrateTo?: number | null;
  sourceFraction?: number;
}

export interface SnapshotUser {
  xM: number;
  yM: number;
  powerMw: number;
  cpuHz: number;
  task?: SnapshotTask;
  decision?: SnapshotDecision;
}

export interface Snapshot {
  params?: SnapshotParams;
  servers: SnapshotServer[];
  users: SnapshotUser[];
}

export interface Row {
  sinr: number | null;
  rateBps: number | null;
  tLocalS: number;
  tTransS: number;
  tExeS: number;
  tMigS: number;
  tExeTargetS: number;
  tProcS: number;
  offloadFeasible: boolean;
  deadlineMet: boolean;
}

export interface ReferenceResult {
  users: (Row | null)[];
  systemCostS: number;
}

/** Table I defaults (docs/calculator.md#input-params). */
const TABLE_I = {
  bandwidthHz: 1e7,
  noiseMw: 1e-11,
  minRateBps: 1e5,
  dMinM: 1,
  interference: "shared" as InterferenceMode,
};

/** Path loss in dB, PL(d) = 127 + 30 log10(d_km), d clamped to dMinM (eq. 3, Table I). */
function pathLossDb(dM: number, dMinM: number): number {
  return 127 + 30 * Math.log10(Math.max(dM, dMinM) / 1000);
}

/** Linear channel gain g = 10^(-PL/10). */
function gain(dM: number, dMinM: number): number {
  return 10 ** (-pathLossDb(dM, dMinM) / 10);
}

export function referenceLatency(snapshot: unknown): ReferenceResult {
  const snap = snapshot as Snapshot;
  const p = snap.params ?? {};
  const W = p.bandwidthHz ?? TABLE_I.bandwidthHz;
  const noise = p.noiseMw ?? TABLE_I.noiseMw;
  const minRate = p.minRateBps ?? TABLE_I.minRateBps;
  const dMin = p.dMinM ?? TABLE_I.dMinM;
  const mode = p.interference ?? TABLE_I.interference;
  const backhaul = p.backhaulRateBps ?? null;
  const servers = snap.servers;
  const users = snap.users;

  // Per-user decision unpacked; null for idle users (no task).
  interface D {
    theta: number;
    j: number;
    jp: number | null;
    beta: number;
  }
  const dec: (D | null)[] = users.map((u) => {
    if (!u.task || !u.decision) return null;
    const d = u.decision;
    const jp = d.migrateTo ?? null;
    return { theta: d.localFraction, j: d.server, jp, beta: jp === null ? 0 : (d.sourceFraction ?? 0) };
  });

  const dist = (u: SnapshotUser, s: SnapshotServer): number => Math.hypot(u.xM - s.xM, u.yM - s.yM);

  // Transmitters Phi: active users with theta < 1 (eq. 4).
  const isTx = (k: number): boolean => {
    const d = dec[k];
    return d !== null && d.theta < 1;
  };

  // Constraint C2, equal share: n_j = users executing a non-zero part at site j.
  const n = servers.map(() => 0);
  dec.forEach((d) => {
    if (d === null || !(d.theta < 1)) return;
    if (d.jp === null) {
      n[d.j] += 1; // executes 1 - theta > 0 at j
    } else {
      if (d.beta > 0) n[d.j] += 1;
      if (1 - d.theta - d.beta > 0) n[d.jp] += 1;
    }
  });
  const share = (j: number): number => servers[j].cpuHz / n[j];

  const rows: (Row | null)[] = users.map((u, i) => {
    const d = dec[i];
    if (d === null || !u.task) return null;
    const { cyclesPerBit: C, bits: B, deadlineS: Z } = u.task;
    const { theta, j, jp, beta } = d;

    // eq. 1: local part.
    const tLocalS = theta > 0 ? (C * B * theta) / u.cpuHz : 0;

    let sinr: number | null = null;
    let rateBps: number | null = null;
    let tTransS = 0;
    let tExeS = 0;
    let tMigS = 0;
    let tExeTargetS = 0;
    let offloadFeasible = true;

    if (theta < 1) {
      // eq. 4: SINR at site j, interference summed directly over Phi \ {i}.
      const sj = servers[j];
      const signal = u.powerMw * gain(dist(u, sj), dMin);
      let interf = 0;
      for (let k = 0; k < users.length; k++) {
        if (k === i || !isTx(k)) continue;
        if (mode === "orthogonal" && dec[k]!.j === j) continue; // same cell: orthogonal
        interf += users[k].powerMw * gain(dist(users[k], sj), dMin);
      }
      sinr = signal / (noise + interf);
      // eq. 3: Shannon rate.
      rateBps = W * Math.log2(1 + sinr);
      offloadFeasible = rateBps >= minRate;

      // eq. 2: upload of the offloaded part.
      tTransS = (B * (1 - theta)) / rateBps;

      if (jp === null) {
        // eq. 5: execution of 1 - theta at j.
        tExeS = (C * B * (1 - theta)) / share(j);
      } else {
        // Migration: source executes only beta (docs/paper.md#eq-9).
        tExeS = beta > 0 ? (C * B * beta) / share(j) : 0;
        const moved = 1 - theta - beta;
        if (moved > 0) {
          const rMig = backhaul ?? rateBps;
          tMigS = (B * moved) / rMig; // eq. 7
          tExeTargetS = (C * B * moved) / share(jp); // eq. 8
        }
      }
    }

    // eq. 6 / eq. 9: offloaded branch; parallel with the local part.
    const tOff = tTransS + tExeS + tMigS + tExeTargetS;
    const tProcS = Math.max(tLocalS, tOff);
    return {
      sinr,
      rateBps,
      tLocalS,
      tTransS,
      tExeS,
      tMigS,
      tExeTargetS,
      tProcS,
      offloadFeasible,
      deadlineMet: tProcS <= Z, // C3
    };
  });

  // eq. 10: system cost = sum of T_proc over active users.
  const systemCostS = rows.reduce((acc, r) => acc + (r === null ? 0 : r.tProcS), 0);
  return { users: rows, systemCostS };
}
