// The pure-JS twin of assembly/channel.ts and assembly/latency.ts: same loops, same
// arithmetic in the same order, so the two agree bit for bit on the channel sums and
// to the last ulp of log2 on rates (parity tests check 1e-9 relative).
import type { SlotLayout } from "../layout.js";
import { GAIN_AT_1M, rxMw } from "../model/channel.js";
import type { Machine } from "./machine.js";
import { layoutOn } from "./layout-on.js";
import { checkSlot, checkUsers, type ChannelParams, type Kernels, type LatencyParams } from "./types.js";

/** The part that migrates, 1 - theta - beta, evaluated left to right as docs/calculator.md#eq-9 writes it. */
const remainder = (theta: number, beta: number): number => {
  const r = 1 - theta - beta;
  return r > 0 ? r : 0;
};

/** amount / rate, with zero work taking zero time even at rate 0 (no 0/0). */
const per = (amount: number, rate: number): number => (amount > 0 ? amount / rate : 0);

/** Compensated addition of x to (sum[j], err[j]): Knuth's TwoSum, as in the WASM kernel. */
function addCompensated(sum: Float64Array, err: Float64Array, j: number, x: number): void {
  const s = sum[j], t = s + x, z = t - s;
  err[j] += (s - (t - z)) + (x - z);
  sum[j] = t;
}

/** After checkSlot: the channel of assembly/channel.ts. */
function channelJs(L: SlotLayout, m: number, n: number, p: ChannelParams): void {
  const { userX, userY, powerMw, active, theta, server, siteX, siteY, siteRxMw, siteOwnMw, siteRxErrMw, siteOwnErrMw, signalMw, sinr, rateBps } = L;
  const dMin2 = p.dMinM * p.dMinM;
  const orthogonal = p.interference === "orthogonal";
  for (const a of [siteRxMw, siteOwnMw, siteRxErrMw, siteOwnErrMw]) a.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    if (active[i] === 0 || theta[i] >= 1) continue;
    const ux = userX[i], uy = userY[i], pc = powerMw[i] * GAIN_AT_1M;
    for (let j = 0; j < n; j++) addCompensated(siteRxMw, siteRxErrMw, j, rxMw(pc, ux, uy, siteX[j], siteY[j], dMin2));
  }
  for (let i = 0; i < m; i++) {
    let s = 0;
    if (active[i] !== 0 && theta[i] < 1) {
      const j = server[i];
      s = rxMw(powerMw[i] * GAIN_AT_1M, userX[i], userY[i], siteX[j], siteY[j], dMin2);
      if (orthogonal) addCompensated(siteOwnMw, siteOwnErrMw, j, s);
    }
    signalMw[i] = s;
  }
  for (let i = 0; i < m; i++) {
    const s = signalMw[i];
    if (s === 0) {
      sinr[i] = 0;
      rateBps[i] = 0;
      continue;
    }
    const j = server[i];
    const interf = orthogonal
      ? Math.max((siteRxMw[j] - siteOwnMw[j]) + (siteRxErrMw[j] - siteOwnErrMw[j]), 0)
      : Math.max((siteRxMw[j] - s) + siteRxErrMw[j], 0);
    const g = s / (p.noiseMw + interf);
    sinr[i] = g;
    rateBps[i] = p.bandwidthHz * Math.log2(1 + g);
  }
  for (let j = 0; j < n; j++) {
    siteRxMw[j] += siteRxErrMw[j];
    siteOwnMw[j] += siteOwnErrMw[j];
  }
}

/** After checkSlot: the latency terms of assembly/latency.ts. */
function latencyJs(L: SlotLayout, m: number, n: number, p: LatencyParams): number {
  const { active, bits, cyclesPerBit, deadlineS, userCpuHz, theta, beta, server, migrateTo, rateBps, siteCpuHz, siteLoad } = L;
  const backhaul = p.backhaulRateBps ?? 0;
  siteLoad.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const th = theta[i];
    if (active[i] === 0 || th >= 1) continue;
    const dst = migrateTo[i];
    if (dst < 0) {
      siteLoad[server[i]]++;
    } else {
      if (beta[i] > 0) siteLoad[server[i]]++;
      if (remainder(th, beta[i]) > 0) siteLoad[dst]++;
    }
  }
  const share = (j: number): number => siteCpuHz[j] / siteLoad[j];
  let cost = 0;
  for (let i = 0; i < m; i++) {
    if (active[i] === 0) continue;
    const th = theta[i];
    const work = cyclesPerBit[i] * bits[i];
    const tLocal = th > 0 ? (work * th) / userCpuHz[i] : 0; // eq. 1
    let tTrans = 0, tExe = 0, tMig = 0, tExeT = 0;
    const off = 1 - th;
    const rate = rateBps[i];
    if (off > 0) {
      const b = bits[i];
      tTrans = per(b * off, rate); // eq. 2
      const dst = migrateTo[i];
      if (dst < 0) {
        tExe = (work * off) / share(server[i]); // eq. 5
      } else {
        const be = beta[i];
        const rem = remainder(th, be);
        if (be > 0) tExe = (work * be) / share(server[i]);
        if (rem > 0) {
          tMig = per(b * rem, backhaul > 0 ? backhaul : rate); // eq. 7
          tExeT = (work * rem) / share(dst); // eq. 8
        }
      }
    }
    const tProc = Math.max(tLocal, tTrans + tExe + tMig + tExeT); // eq. 6 / eq. 9
    L.tLocalS[i] = tLocal;
    L.tTransS[i] = tTrans;
    L.tExeS[i] = tExe;
    L.tMigS[i] = tMig;
    L.tExeTargetS[i] = tExeT;
    L.tProcS[i] = tProc;
    L.feasible[i] = off > 0 && rate < p.minRateBps ? 0 : 1;
    L.deadlineMet[i] = tProc <= deadlineS[i] ? 1 : 0;
    cost += tProc;
  }
  return cost;
}

/** Twin of assembly/admission.ts refuseInfeasible. */
function refuseInfeasibleJs(L: SlotLayout, m: number, minRateBps: number): number {
  checkUsers(L, m);
  const { active, theta, migrateTo, beta, rateBps, refused } = L;
  let count = 0;
  for (let i = 0; i < m; i++) {
    let r = 0;
    if (active[i] !== 0 && theta[i] < 1 && rateBps[i] < minRateBps) {
      r = 1;
      theta[i] = 1;
      migrateTo[i] = -1;
      beta[i] = 0;
      count++;
    }
    refused[i] = r;
  }
  return count;
}

export function createJsKernels(machine: Machine): Kernels {
  if (machine.backend !== "js") throw new TypeError("createJsKernels: needs a JS machine");
  return {
    backend: "js",
    machine,
    createLayout: (maxUsers, maxSites) => layoutOn(machine, maxUsers, maxSites),
    channel(L, m, n, p) {
      checkSlot(machine, L, m, n);
      channelJs(L, m, n, p);
    },
    refuseInfeasible: refuseInfeasibleJs,
    latency(L, m, n, p) {
      checkSlot(machine, L, m, n);
      return latencyJs(L, m, n, p);
    },
  };
}
