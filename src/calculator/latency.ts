// `twinedge latency`: one slot, no randomness, on the same kernels as the simulation.
import { createKernels, evaluateSlot, type Backend } from "../kernels/index.js";
import { InputError, parseWith } from "../validation.js";
import { snapshotSchema, type Snapshot } from "./snapshot.js";

export interface LatencyRow {
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

export interface LatencyReport {
  users: (LatencyRow | null)[];
  systemCostS: number;
}

/**
 * Validates a parsed JSON snapshot (InputError naming the field) and evaluates it. A result
 * that is not finite is refused too, naming the user and the term: JSON would print it as
 * null, indistinguishable from "not applicable".
 */
export function calculateLatency(input: unknown, backend: Backend = "wasm", source = "snapshot"): LatencyReport {
  const report = evaluateSnapshot(parseWith(snapshotSchema, input, source), backend);
  const issues = notFinite(report);
  if (issues.length) throw new InputError(source, issues);
  return report;
}

/** Why a term can leave the finite range: the inputs to look at. */
const CAUSE: Record<string, string> = {
  sinr: "the received signal or the noise is out of range: check the distance to the server, powerMw and params.noiseMw",
  rateBps: "the received signal or the noise is out of range: check the distance to the server, powerMw, params.noiseMw and params.bandwidthHz",
  tLocalS: "bits x cyclesPerBit is too large for the user's cpuHz",
  tTransS: "the uplink rate is 0 or too small for the task: the server is too far for the signal to register, or bits is too large",
  tExeS: "bits x cyclesPerBit is too large for the server's cpuHz",
  tMigS: "the rate carrying the migration (params.backhaulRateBps, else the uplink) is 0 or too small for the task",
  tExeTargetS: "bits x cyclesPerBit is too large for the target server's cpuHz",
  tProcS: "one of its terms is out of range",
};

/** One line per non-finite number of the report: "users[3].tTransS: not finite (Infinity; ...)". */
function notFinite(report: LatencyReport): string[] {
  const issues: string[] = [];
  report.users.forEach((row, i) => {
    if (!row) return;
    for (const [field, cause] of Object.entries(CAUSE)) {
      const v = row[field as keyof LatencyRow];
      if (typeof v === "number" && !Number.isFinite(v)) issues.push(`users[${i}].${field}: not finite (${v}; ${cause})`);
    }
  });
  if (!Number.isFinite(report.systemCostS) && issues.length === 0) issues.push(`systemCostS: not finite (${report.systemCostS}; the sum of the users' tProcS overflows)`);
  return issues;
}

export function evaluateSnapshot(s: Snapshot, backend: Backend): LatencyReport {
  const k = createKernels(backend);
  const m = s.users.length;
  const n = s.servers.length;
  const L = k.createLayout(Math.max(m, 1), n);
  s.servers.forEach((sv, j) => {
    L.siteX[j] = sv.xM;
    L.siteY[j] = sv.yM;
    L.siteCpuHz[j] = sv.cpuHz;
  });
  s.users.forEach((u, i) => {
    L.userX[i] = u.xM;
    L.userY[i] = u.yM;
    L.powerMw[i] = u.powerMw;
    L.userCpuHz[i] = u.cpuHz;
    const d = u.task ? u.decision : undefined;
    L.active[i] = u.task && d ? 1 : 0;
    L.bits[i] = u.task?.bits ?? 0;
    L.cyclesPerBit[i] = u.task?.cyclesPerBit ?? 0;
    L.deadlineS[i] = u.task?.deadlineS ?? 0;
    L.theta[i] = d?.localFraction ?? 1;
    L.server[i] = d?.server ?? 0;
    L.migrateTo[i] = d?.migrateTo ?? -1;
    L.beta[i] = d?.sourceFraction ?? 0;
  });
  const systemCostS = evaluateSlot(k, L, m, n, s.params);
  const users = s.users.map((_user, i): LatencyRow | null => {
    if (!L.active[i]) return null;
    const uploads = L.theta[i] < 1;
    return {
      sinr: uploads ? L.sinr[i] : null,
      rateBps: uploads ? L.rateBps[i] : null,
      tLocalS: L.tLocalS[i],
      tTransS: L.tTransS[i],
      tExeS: L.tExeS[i],
      tMigS: L.tMigS[i],
      tExeTargetS: L.tExeTargetS[i],
      tProcS: L.tProcS[i],
      offloadFeasible: L.feasible[i] === 1,
      deadlineMet: L.deadlineMet[i] === 1,
    };
  });
  return { users, systemCostS };
}
