// The pure-TS twin of assembly/optimum.ts: the `optimum` benchmark's best-response descent on
// the slot's exact system cost, over the same byte offsets, with the same loops and arithmetic
// in the same order (so decisions agree with the WASM kernel; floats to the last ulp of log2).
// See assembly/optimum.ts for the method and what each array holds.
import type { Heap } from "./heap.js";

/** Relative improvement a move must bring (cost_new < cost_now · (1 − TOL)). */
const TOL = 1e-9;
const CUR = 0, LOC = 1, TXALL = 2, FRESH = 3;

const a16 = (x: number): number => Math.ceil(x / 16) * 16;

/** Bytes of the optimum kernels' scratch for up to `mCap` users and `n` sites (called by src/policy/kernel-optimum.ts and the memory estimate). */
export function optimumScratchBytes(mCap: number, n: number): number {
  const uf = a16(mCap * 8), ui = a16(mCap * 4), sf = a16(n * 8), si = a16(n * 4);
  return 13 * uf + 5 * ui + 13 * sf + 2 * si + 4 * (a16((8 * n + 1) * 8) + si);
}

/** One call's state: the heap's views, slot constants and the scratch's element offsets. */
class Descent {
  readonly f: Float64Array;
  readonly w: Int32Array;
  A = 0;
  // per user (element offsets into f / w)
  uX: number; uY: number; uPc: number; uBits: number; uWork: number; uCpu: number; uTh: number; uSig: number;
  uRate2: number; uTLoc: number; uUp: number; uExe: number; uLocT: number;
  uIdx: number; uSite: number; uTx: number; uRef: number; uRefO: number;
  // per site
  s1h: number; s1l: number; o1h: number; o1l: number; s2h: number; s2l: number; o2h: number; o2l: number;
  pI: number; x1h: number; x1l: number; y1h: number; y1l: number; n2: number; flipO: number;
  cls: number; clsStride: number; clsCnt: number;
  sX: number; sY: number; sCpu: number; fr: number;
  readonly dMin2: number;
  // the user being evaluated
  ei = 0; eTx = false; eAdm = false; eSite = 0;
  ready0 = false; ready1 = false; ready2 = false;
  bestCost = 0; bestSite = -1; bestTheta = 1; curCost = 0;

  constructor(
    h: Heap, readonly N: number, siteX: number, siteY: number, siteCpuHz: number, readonly minRate: number, readonly bw: number,
    readonly noise: number, dMinM: number, readonly orth: number, fractions: number, readonly FC: number, scratch: number, mCap: number,
  ) {
    this.f = h.f64;
    this.w = h.i32;
    this.dMin2 = dMinM * dMinM;
    this.sX = siteX >>> 3; this.sY = siteY >>> 3; this.sCpu = siteCpuHz >>> 3; this.fr = fractions >>> 3;
    const uf = a16(mCap * 8), ui = a16(mCap * 4), sf = a16(this.N * 8), si = a16(this.N * 4);
    let p = scratch;
    const F = (): number => { const at = p >>> 3; p += uf; return at; };
    const I = (): number => { const at = p >>> 2; p += ui; return at; };
    this.uX = F(); this.uY = F(); this.uPc = F(); this.uBits = F(); this.uWork = F(); this.uCpu = F();
    this.uTh = F(); this.uSig = F(); this.uRate2 = F(); this.uTLoc = F(); this.uUp = F(); this.uExe = F(); this.uLocT = F();
    this.uIdx = I(); this.uSite = I(); this.uTx = I(); this.uRef = I(); this.uRefO = I();
    const SF = (): number => { const at = p >>> 3; p += sf; return at; };
    this.s1h = SF(); this.s1l = SF(); this.o1h = SF(); this.o1l = SF();
    this.s2h = SF(); this.s2l = SF(); this.o2h = SF(); this.o2l = SF();
    this.pI = SF(); this.x1h = SF(); this.x1l = SF(); this.y1h = SF(); this.y1l = SF();
    this.n2 = p >>> 2; p += si; this.flipO = p >>> 2; p += si;
    this.clsCnt = a16((8 * this.N + 1) * 8);
    this.clsStride = this.clsCnt + si;
    this.cls = p;
  }

  /** Received power at site j: channel.ts rxMw, same operations. */
  rx(pc: number, ux: number, uy: number, j: number): number {
    const dx = this.f[this.sX + j] - ux;
    const dy = this.f[this.sY + j] - uy;
    const q = Math.max(dx * dx + dy * dy, this.dMin2);
    return pc / (q * Math.sqrt(q));
  }

  /** TwoSum addition of x into (f[h + j], f[l + j]). */
  addC(h: number, l: number, j: number, x: number): void {
    const f = this.f;
    const s = f[h + j], t = s + x, z = t - s;
    f[l + j] += (s - (t - z)) + (x - z);
    f[h + j] = t;
  }

  rateOf(sig: number, interf: number): number {
    return this.bw * Math.log2(1 + sig / (this.noise + interf));
  }

  setTheta(a: number, th: number): void {
    const f = this.f, work = f[this.uWork + a];
    f[this.uTh + a] = th;
    this.w[this.uTx + a] = th < 1 ? 1 : 0;
    f[this.uTLoc + a] = th > 0 ? work * th / f[this.uCpu + a] : 0;
    const off = 1 - th;
    f[this.uUp + a] = f[this.uBits + a] * off;
    f[this.uExe + a] = work * off;
  }

  gather(m: number, userX: number, userY: number, powerMw: number, userCpuHz: number, active: number, bits: number, cyclesPerBit: number,
    gainAt1m: number, theta: number, server: number): void {
    const f = this.f, w = this.w;
    let a = 0;
    for (let i = 0; i < m; i++) {
      if (w[(active >>> 2) + i] === 0) continue;
      w[this.uIdx + a] = i;
      f[this.uX + a] = f[(userX >>> 3) + i];
      f[this.uY + a] = f[(userY >>> 3) + i];
      f[this.uPc + a] = f[(powerMw >>> 3) + i] * gainAt1m;
      const b = f[(bits >>> 3) + i];
      f[this.uBits + a] = b;
      const work = f[(cyclesPerBit >>> 3) + i] * b;
      f[this.uWork + a] = work;
      const cpu = f[(userCpuHz >>> 3) + i];
      f[this.uCpu + a] = cpu;
      f[this.uLocT + a] = work * 1 / cpu;
      w[this.uSite + a] = w[(server >>> 2) + i];
      this.setTheta(a, f[(theta >>> 3) + i]);
      a++;
    }
    this.A = a;
  }

  tUp(tLoc: number, up: number, exe: number, rate: number, cpuHz: number, n: number): number {
    const tTrans = up > 0 ? up / rate : 0;
    return Math.max(tLoc, tTrans + exe / (cpuHz / n));
  }

  rebuild(): number {
    const f = this.f, w = this.w, N = this.N, A = this.A, orth = this.orth;
    for (let j = 0; j < N; j++) {
      f[this.s1h + j] = 0; f[this.s1l + j] = 0; f[this.o1h + j] = 0; f[this.o1l + j] = 0;
      f[this.s2h + j] = 0; f[this.s2l + j] = 0; f[this.o2h + j] = 0; f[this.o2l + j] = 0;
      w[this.n2 + j] = 0;
    }
    for (let a = 0; a < A; a++) {
      if (w[this.uTx + a] === 0) continue;
      const pc = f[this.uPc + a], ux = f[this.uX + a], uy = f[this.uY + a];
      for (let j = 0; j < N; j++) this.addC(this.s1h, this.s1l, j, this.rx(pc, ux, uy, j));
    }
    for (let a = 0; a < A; a++) {
      let s = 0;
      if (w[this.uTx + a] !== 0) {
        const j = w[this.uSite + a];
        s = this.rx(f[this.uPc + a], f[this.uX + a], f[this.uY + a], j);
        if (orth !== 0) this.addC(this.o1h, this.o1l, j, s);
      }
      f[this.uSig + a] = s;
    }
    for (let a = 0; a < A; a++) {
      let r = 0;
      if (w[this.uTx + a] !== 0) {
        const j = w[this.uSite + a], s = f[this.uSig + a];
        const interf = orth !== 0
          ? Math.max((f[this.s1h + j] - f[this.o1h + j]) + (f[this.s1l + j] - f[this.o1l + j]), 0)
          : Math.max((f[this.s1h + j] - s) + f[this.s1l + j], 0);
        if (this.rateOf(s, interf) < this.minRate) r = 1;
      }
      w[this.uRef + a] = r;
    }
    for (let a = 0; a < A; a++) {
      if (w[this.uTx + a] === 0 || w[this.uRef + a] !== 0) continue;
      const pc = f[this.uPc + a], ux = f[this.uX + a], uy = f[this.uY + a];
      for (let j = 0; j < N; j++) this.addC(this.s2h, this.s2l, j, this.rx(pc, ux, uy, j));
    }
    if (orth !== 0) {
      for (let a = 0; a < A; a++) if (w[this.uTx + a] !== 0 && w[this.uRef + a] === 0) this.addC(this.o2h, this.o2l, w[this.uSite + a], f[this.uSig + a]);
    }
    for (let a = 0; a < A; a++) {
      let r = 0;
      if (w[this.uTx + a] !== 0 && w[this.uRef + a] === 0) {
        const j = w[this.uSite + a], s = f[this.uSig + a];
        const interf = orth !== 0
          ? Math.max((f[this.s2h + j] - f[this.o2h + j]) + (f[this.s2l + j] - f[this.o2l + j]), 0)
          : Math.max((f[this.s2h + j] - s) + f[this.s2l + j], 0);
        r = this.rateOf(s, interf);
        w[this.n2 + j]++;
      }
      f[this.uRate2 + a] = r;
    }
    let cost = 0;
    for (let a = 0; a < A; a++) {
      if (w[this.uTx + a] === 0 || w[this.uRef + a] !== 0) {
        cost += f[this.uLocT + a];
      } else {
        const j = w[this.uSite + a];
        cost += this.tUp(f[this.uTLoc + a], f[this.uUp + a], f[this.uExe + a], f[this.uRate2 + a], f[this.sCpu + j], w[this.n2 + j]);
      }
    }
    return cost;
  }

  curVar(j: number): number {
    return this.eTx && (this.orth === 0 || this.eSite !== j) ? 1 : 0;
  }

  clsVar(c: number, j: number, fb: number): number {
    return c === CUR ? this.curVar(j) : c === LOC ? 0 : c === TXALL ? 1 : (j !== fb ? 1 : 0);
  }

  refIn(c: number, k: number, fb: number): number {
    const j = this.w[this.uSite + k];
    return this.clsVar(c, j, fb) === this.curVar(j) ? this.w[this.uRef + k] : this.w[this.uRefO + k];
  }

  prepareUser(): void {
    const f = this.f, w = this.w, N = this.N, a = this.ei;
    const pc = f[this.uPc + a], ux = f[this.uX + a], uy = f[this.uY + a];
    this.eTx = w[this.uTx + a] !== 0;
    this.eAdm = this.eTx && w[this.uRef + a] === 0;
    this.eSite = w[this.uSite + a];
    for (let j = 0; j < N; j++) {
      const p = this.rx(pc, ux, uy, j);
      f[this.pI + j] = p;
      f[this.x1h + j] = f[this.s1h + j]; f[this.x1l + j] = f[this.s1l + j]; f[this.y1h + j] = f[this.o1h + j]; f[this.y1l + j] = f[this.o1l + j];
      if (this.eTx) {
        this.addC(this.x1h, this.x1l, j, -p);
        if (this.orth !== 0 && j === this.eSite) this.addC(this.y1h, this.y1l, j, -p);
      }
      w[this.flipO + j] = 0;
    }
    for (let k = 0; k < this.A; k++) {
      if (k === a || w[this.uTx + k] === 0) continue;
      const j = w[this.uSite + k], s = f[this.uSig + k];
      const base = this.orth !== 0 ? (f[this.x1h + j] - f[this.y1h + j]) + (f[this.x1l + j] - f[this.y1l + j]) : (f[this.x1h + j] - s) + f[this.x1l + j];
      const interf = this.curVar(j) === 0 ? Math.max(base + f[this.pI + j], 0) : Math.max(base, 0);
      const r = this.rateOf(s, interf) < this.minRate ? 1 : 0;
      w[this.uRefO + k] = r;
      if (r !== w[this.uRef + k]) w[this.flipO + j] = 1;
    }
    this.ready0 = this.ready1 = this.ready2 = false;
  }

  flips(c: number, fb: number): boolean {
    for (let j = 0; j < this.N; j++) if (this.w[this.flipO + j] !== 0 && this.clsVar(c, j, fb) !== this.curVar(j)) return true;
    return false;
  }

  /** Element offset (f64) of class c's block; its counts are at (block byte offset + clsCnt) >>> 2. */
  blk(c: number): number {
    return (this.cls + c * this.clsStride) >>> 3;
  }

  cnt(c: number): number {
    return (this.cls + c * this.clsStride + this.clsCnt) >>> 2;
  }

  computeClass(c: number, fb: number): void {
    const f = this.f, w = this.w, N = this.N, a = this.ei, orth = this.orth;
    const blk = this.blk(c), cnt = this.cnt(c);
    const A00 = blk, A01 = blk + N, A10 = blk + 2 * N, A11 = blk + 3 * N;
    const x2h = blk + 4 * N, x2l = blk + 5 * N, y2h = blk + 6 * N, y2l = blk + 7 * N;
    for (let j = 0; j < N; j++) {
      f[x2h + j] = f[this.s2h + j]; f[x2l + j] = f[this.s2l + j]; f[y2h + j] = f[this.o2h + j]; f[y2l + j] = f[this.o2l + j];
      w[cnt + j] = w[this.n2 + j];
      if (this.eAdm) {
        this.addC(x2h, x2l, j, -f[this.pI + j]);
        if (j === this.eSite) {
          if (orth !== 0) this.addC(y2h, y2l, j, -f[this.pI + j]);
          w[cnt + j] = w[cnt + j] - 1;
        }
      }
      f[A00 + j] = 0; f[A01 + j] = 0; f[A10 + j] = 0; f[A11 + j] = 0;
    }
    if (c !== CUR) {
      for (let k = 0; k < this.A; k++) {
        if (k === a || w[this.uTx + k] === 0) continue;
        const r = this.refIn(c, k, fb), was = w[this.uRef + k];
        if (r === was) continue;
        const sign = r !== 0 ? -1 : 1;
        const pc = f[this.uPc + k], ux = f[this.uX + k], uy = f[this.uY + k], j = w[this.uSite + k];
        for (let jj = 0; jj < N; jj++) this.addC(x2h, x2l, jj, sign * this.rx(pc, ux, uy, jj));
        if (orth !== 0) this.addC(y2h, y2l, j, sign * f[this.uSig + k]);
        w[cnt + j] = w[cnt + j] + (r !== 0 ? -1 : 1);
      }
    }
    let localSum = 0;
    for (let k = 0; k < this.A; k++) {
      if (k === a) continue;
      if (w[this.uTx + k] === 0 || this.refIn(c, k, fb) !== 0) {
        localSum += f[this.uLocT + k];
        continue;
      }
      const j = w[this.uSite + k], s = f[this.uSig + k];
      const base = orth !== 0 ? (f[x2h + j] - f[y2h + j]) + (f[x2l + j] - f[y2l + j]) : (f[x2h + j] - s) + f[x2l + j];
      const cur2 = this.eAdm && (orth === 0 || this.eSite !== j);
      const r0 = c === CUR && !cur2 ? f[this.uRate2 + k] : this.rateOf(s, Math.max(base, 0));
      const r1 = c === CUR && cur2 ? f[this.uRate2 + k] : this.rateOf(s, Math.max(base + f[this.pI + j], 0));
      const cpu = f[this.sCpu + j], nj = w[cnt + j];
      const tl = f[this.uTLoc + k], up = f[this.uUp + k], ex = f[this.uExe + k];
      f[A00 + j] += this.tUp(tl, up, ex, r0, cpu, nj);
      f[A01 + j] += this.tUp(tl, up, ex, r0, cpu, nj + 1);
      f[A10 + j] += this.tUp(tl, up, ex, r1, cpu, nj);
      f[A11 + j] += this.tUp(tl, up, ex, r1, cpu, nj + 1);
    }
    f[blk + 8 * N] = localSum;
  }

  classOf(b: number): number {
    let c: number;
    if (b < 0) c = this.flips(LOC, 0) ? LOC : CUR;
    else if (this.orth === 0) c = this.flips(TXALL, 0) ? TXALL : CUR;
    else if (!this.flips(FRESH, b)) c = CUR;
    else c = this.w[this.flipO + b] === 0 ? TXALL : FRESH;
    if (c === FRESH) this.computeClass(FRESH, b);
    else if (c === CUR) { if (!this.ready0) { this.computeClass(CUR, 0); this.ready0 = true; } }
    else if (c === LOC) { if (!this.ready1) { this.computeClass(LOC, 0); this.ready1 = true; } }
    else if (!this.ready2) { this.computeClass(TXALL, 0); this.ready2 = true; }
    return c;
  }

  /** Every option of compact user a; costs into f64 at byte offset `out` when it is not 0. */
  evalUser(a: number, out: number): void {
    const f = this.f, N = this.N, orth = this.orth;
    this.ei = a;
    this.prepareUser();
    const locA = f[this.uLocT + a];
    let c = this.classOf(-1);
    let blk = this.blk(c);
    let sum = 0;
    for (let j = 0; j < N; j++) sum += f[blk + j];
    const localCost = sum + f[blk + 8 * N] + locA;
    this.bestCost = localCost; this.bestSite = -1; this.bestTheta = 1;
    if (!this.eTx) this.curCost = localCost;
    const o0 = out >>> 3;
    if (out !== 0) f[o0] = localCost;
    const work = f[this.uWork + a], cpuA = f[this.uCpu + a], bitsA = f[this.uBits + a];
    for (let b = 0; b < N; b++) {
      const p = f[this.pI + b];
      const base1 = orth !== 0 ? (f[this.x1h + b] - f[this.y1h + b]) + (f[this.x1l + b] - f[this.y1l + b]) : f[this.x1h + b] + f[this.x1l + b];
      const adm = this.rateOf(p, Math.max(base1, 0)) >= this.minRate;
      c = this.classOf(b);
      blk = this.blk(c);
      const localSum = f[blk + 8 * N];
      const o = o0 + 1 + b * this.FC;
      if (!adm) {
        sum = 0;
        for (let j = 0; j < N; j++) sum += f[blk + j];
        const refCost = sum + localSum + locA;
        for (let k = 0; k < this.FC; k++) {
          const th = f[this.fr + k];
          if (out !== 0) f[o + k] = th >= 1 ? localCost : refCost;
          if (th < 1 && refCost < this.bestCost) { this.bestCost = refCost; this.bestSite = b; this.bestTheta = th; }
        }
        if (this.eTx && b === this.eSite) this.curCost = refCost;
        continue;
      }
      sum = 0;
      for (let j = 0; j < N; j++) {
        const v = orth === 0 || j !== b ? 1 : 0;
        sum += f[blk + ((v << 1) + (j === b ? 1 : 0)) * N + j];
      }
      sum += localSum;
      const x2h = blk + 4 * N, x2l = blk + 5 * N, y2h = blk + 6 * N, y2l = blk + 7 * N;
      const base2 = orth !== 0 ? (f[x2h + b] - f[y2h + b]) + (f[x2l + b] - f[y2l + b]) : f[x2h + b] + f[x2l + b];
      const r2 = this.rateOf(p, Math.max(base2, 0));
      const cpuB = f[this.sCpu + b], nb = this.w[this.cnt(c) + b] + 1;
      for (let k = 0; k < this.FC; k++) {
        const th = f[this.fr + k];
        if (th >= 1) {
          if (out !== 0) f[o + k] = localCost;
          continue;
        }
        const off = 1 - th;
        const cost = sum + this.tUp(th > 0 ? work * th / cpuA : 0, bitsA * off, work * off, r2, cpuB, nb);
        if (out !== 0) f[o + k] = cost;
        if (cost < this.bestCost) { this.bestCost = cost; this.bestSite = b; this.bestTheta = th; }
      }
      if (this.eTx && b === this.eSite) this.curCost = sum + this.tUp(f[this.uTLoc + a], f[this.uUp + a], f[this.uExe + a], r2, cpuB, nb);
    }
  }
}

/** Twin of the optimumPolicy export. */
export function optimumPolicy(
  h: Heap, m: number, n: number,
  userX: number, userY: number, powerMw: number, userCpuHz: number, active: number, bits: number, cyclesPerBit: number,
  siteX: number, siteY: number, siteCpuHz: number,
  minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  fractions: number, fractionCount: number, maxSweeps: number, scratch: number, stats: number, theta: number, server: number,
): number {
  const d = new Descent(h, n, siteX, siteY, siteCpuHz, minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal, fractions, fractionCount, scratch, m);
  d.gather(m, userX, userY, powerMw, userCpuHz, active, bits, cyclesPerBit, gainAt1m, theta, server);
  const f = h.f64, w = h.i32;
  const start = d.rebuild();
  let refused = false;
  for (let a = 0; a < d.A; a++) {
    if (w[d.uRef + a] !== 0) {
      d.setTheta(a, 1);
      refused = true;
    }
  }
  let cost = refused ? d.rebuild() : start;
  let sweeps = 0, moves = 0, capped = 0;
  for (;;) {
    if (sweeps >= maxSweeps) { capped = 1; break; }
    sweeps++;
    let moved = 0;
    for (let a = 0; a < d.A; a++) {
      d.evalUser(a, 0);
      if (!(d.bestCost < d.curCost * (1 - TOL))) continue;
      d.setTheta(a, d.bestTheta);
      if (d.bestSite >= 0) w[d.uSite + a] = d.bestSite;
      cost = d.rebuild();
      moved++;
    }
    moves += moved;
    if (moved === 0) break;
  }
  for (let a = 0; a < d.A; a++) {
    const i = w[d.uIdx + a];
    f[(theta >>> 3) + i] = f[d.uTh + a];
    w[(server >>> 2) + i] = w[d.uSite + a];
  }
  const s = stats >>> 3;
  f[s] = sweeps; f[s + 1] = moves; f[s + 2] = capped; f[s + 3] = start; f[s + 4] = cost;
  return cost;
}

/** Twin of the optimumOptionCosts export. */
export function optimumOptionCosts(
  h: Heap, m: number, n: number,
  userX: number, userY: number, powerMw: number, userCpuHz: number, active: number, bits: number, cyclesPerBit: number,
  siteX: number, siteY: number, siteCpuHz: number,
  minRateBps: number, bandwidthHz: number, noiseMw: number, dMinM: number, orthogonal: number, gainAt1m: number,
  fractions: number, fractionCount: number, scratch: number, theta: number, server: number, out: number,
): number {
  const d = new Descent(h, n, siteX, siteY, siteCpuHz, minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal, fractions, fractionCount, scratch, m);
  d.gather(m, userX, userY, powerMw, userCpuHz, active, bits, cyclesPerBit, gainAt1m, theta, server);
  d.rebuild();
  const per = (1 + n * fractionCount) * 8;
  for (let a = 0; a < d.A; a++) d.evalUser(a, out + a * per);
  return d.A;
}
