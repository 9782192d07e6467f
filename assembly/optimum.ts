// The `optimum` benchmark (twin src/kernels/optimum-js.ts): a local optimum of the slot's
// system cost Σ T_proc (eq. 10) found by best-response descent, starting from the decisions in
// theta/server (greedy's, written by the host). It is an oracle: it reads the TRUE slot state
// (positions, tasks), not the twin's observation.
//
// The cost is exactly what the simulation records for the slot (src/run/admission.ts then the
// latency kernel): channel pass 1 over every upload (eq. 3-4), uploads below minRateBps refused
// (they run locally), channel pass 2 over the admitted uploads, equal CPU shares over the
// admitted uploads of each site (C2), T_proc = max(T_local, T_trans + T_exe) (eq. 1-6).
// Decisions carry no migration (the runner's pre-fill), so eq. 7-9 do not arise.
//
// Structure that makes one user's options cheap (users i, k; sites j, b; p_ij = i's received
// power at j): user k's T depends only on its own decision, the interference at its site in
// each pass and its site's admitted count. When user i changes, every other uploader's
// interference changes by 0 or p_ij ("variant" 0 or 1 of site j): shared band, by whether i
// uploads; orthogonal, by whether i uploads to a site other than j. So for one user i, one O(A)
// pass (A = active users) computes each other uploader's pass-1 refusal in the variant it is
// not in now ("flips"), and one more computes per site j the sums A_j(c, d) of the others' T
// with variant c in pass 2 and i added (d = 1) or not to j's count. Every option (local, or
// theta < 1 to site b) is then O(n) sums of those. An option whose pass-1 variants flip some
// other user's refusal changes the pass-2 sums of every site; such "classes" of options get
// their own pass (at most 3 per user, plus one per site b for orthogonal uploads, and only
// when flips exist). Per sweep: O(A² + A·n·(n + fractions)) with 2 logarithms per pair.
// After a move the state is rebuilt from scratch (O(A·n)) with exactly the channel kernel's
// arithmetic, so the cost it reports is the kernels' to the last bit (same backend).

/** Relative improvement a move must bring (cost_new < cost_now · (1 − TOL)). */
const TOL: f64 = 1e-9;

// Slot constants, set on entry.
let A: i32 = 0;
let N: i32 = 0;
let FC: i32 = 0;
let minRate: f64 = 0.0;
let bw: f64 = 0.0;
let noise: f64 = 0.0;
let dMin2: f64 = 0.0;
let orth: i32 = 0;
let fr: usize = 0;
let sX: usize = 0;
let sY: usize = 0;
let sCpu: usize = 0;
// Per active user (compact, index order): position, P·g(1 m), bits, C·B, CPU, theta, own signal
// at its site, pass-2 rate, local-part time, upload bits, offloaded cycles, all-local time.
let uX: usize = 0;
let uY: usize = 0;
let uPc: usize = 0;
let uBits: usize = 0;
let uWork: usize = 0;
let uCpu: usize = 0;
let uTh: usize = 0;
let uSig: usize = 0;
let uRate2: usize = 0;
let uTLoc: usize = 0;
let uUp: usize = 0;
let uExe: usize = 0;
let uLocT: usize = 0;
// user index, site, uploads (theta < 1), refused in pass 1, refused in the other variant
let uIdx: usize = 0;
let uSite: usize = 0;
let uTx: usize = 0;
let uRef: usize = 0;
let uRefO: usize = 0;
// Per site: compensated pass-1 and pass-2 sums (all uploads; own-site uploads), i's power,
// the pass-1 sums without i, admitted count, "a flip in the other variant".
let s1h: usize = 0;
let s1l: usize = 0;
let o1h: usize = 0;
let o1l: usize = 0;
let s2h: usize = 0;
let s2l: usize = 0;
let o2h: usize = 0;
let o2l: usize = 0;
let pI: usize = 0;
let x1h: usize = 0;
let x1l: usize = 0;
let y1h: usize = 0;
let y1l: usize = 0;
let n2: usize = 0;
let flipO: usize = 0;
// Classes of options (CUR, LOC, TXALL, FRESH): per site the sums A00 A01 A10 A11, the pass-2
// sums without i (x2h x2l y2h y2l), then localSum; then the admitted counts (i32).
let cls: usize = 0;
let clsStride: usize = 0;
let clsCnt: usize = 0;
const CUR = 0, LOC = 1, TXALL = 2, FRESH = 3;
let ready0 = false, ready1 = false, ready2 = false;

// @ts-ignore: decorator
@inline function a16(x: usize): usize { return (x + 15) & ~(<usize>15); }
// @ts-ignore: decorator
@inline function f8(p: usize, k: i32): f64 { return load<f64>(p + (<usize>k << 3)); }
// @ts-ignore: decorator
@inline function sf8(p: usize, k: i32, v: f64): void { store<f64>(p + (<usize>k << 3), v); }
// @ts-ignore: decorator
@inline function i4(p: usize, k: i32): i32 { return load<i32>(p + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function si4(p: usize, k: i32, v: i32): void { store<i32>(p + (<usize>k << 2), v); }

/** Carves the scratch (bytes: src/kernels/optimum-js.ts optimumScratchBytes(mCap, n)). */
function carve(scratch: usize, mCap: i32, n: i32): void {
  const uf = a16(<usize>mCap << 3), ui = a16(<usize>mCap << 2), sf = a16(<usize>n << 3), si = a16(<usize>n << 2);
  let p = scratch;
  uX = p; p += uf; uY = p; p += uf; uPc = p; p += uf; uBits = p; p += uf; uWork = p; p += uf; uCpu = p; p += uf;
  uTh = p; p += uf; uSig = p; p += uf; uRate2 = p; p += uf; uTLoc = p; p += uf; uUp = p; p += uf; uExe = p; p += uf; uLocT = p; p += uf;
  uIdx = p; p += ui; uSite = p; p += ui; uTx = p; p += ui; uRef = p; p += ui; uRefO = p; p += ui;
  s1h = p; p += sf; s1l = p; p += sf; o1h = p; p += sf; o1l = p; p += sf;
  s2h = p; p += sf; s2l = p; p += sf; o2h = p; p += sf; o2l = p; p += sf;
  pI = p; p += sf; x1h = p; p += sf; x1l = p; p += sf; y1h = p; p += sf; y1l = p; p += sf;
  n2 = p; p += si; flipO = p; p += si;
  clsCnt = a16(<usize>(8 * n + 1) << 3);
  clsStride = clsCnt + si;
  cls = p;
}

/** Received power (mW) at site j from a user at (ux, uy): assembly/channel.ts rxMw, same operations. */
// @ts-ignore: decorator
@inline function rx(pc: f64, ux: f64, uy: f64, j: i32): f64 {
  const dx = f8(sX, j) - ux;
  const dy = f8(sY, j) - uy;
  const q = max(dx * dx + dy * dy, dMin2);
  return pc / (q * Math.sqrt(q));
}

/** Adds x to the compensated sum (h[j], l[j]): Knuth's TwoSum, as the channel kernel. */
// @ts-ignore: decorator
@inline function addC(h: usize, l: usize, j: i32, x: f64): void {
  const s = f8(h, j);
  const t = s + x;
  const z = t - s;
  sf8(l, j, f8(l, j) + ((s - (t - z)) + (x - z)));
  sf8(h, j, t);
}

/** Shannon rate (eq. 3) of a signal against noise plus interference, as the channel kernel. */
// @ts-ignore: decorator
@inline function rateOf(sig: f64, interf: f64): f64 {
  return bw * Math.log2(1.0 + sig / (noise + interf));
}

/** T_proc of an admitted upload (eq. 1-6) as the latency kernel computes it, with n users sharing its site. */
// @ts-ignore: decorator
@inline function tUp(tLoc: f64, up: f64, exe: f64, rate: f64, cpuHz: f64, n: i32): f64 {
  const tTrans = up > 0.0 ? up / rate : 0.0;
  return max(tLoc, tTrans + exe / (cpuHz / <f64>n));
}

/** Theta-dependent terms of compact user a. */
function setTheta(a: i32, th: f64): void {
  const work = f8(uWork, a);
  sf8(uTh, a, th);
  si4(uTx, a, th < 1.0 ? 1 : 0);
  sf8(uTLoc, a, th > 0.0 ? work * th / f8(uCpu, a) : 0.0);
  const off = 1.0 - th;
  sf8(uUp, a, f8(uBits, a) * off);
  sf8(uExe, a, work * off);
}

/** Compacts the active users of the slot (index order) and their decisions. */
function gather(m: i32, userX: usize, userY: usize, powerMw: usize, userCpuHz: usize, active: usize, bits: usize, cyclesPerBit: usize,
  gainAt1m: f64, theta: usize, server: usize): void {
  let a = 0;
  for (let i = 0; i < m; i++) {
    if (i4(active, i) == 0) continue;
    si4(uIdx, a, i);
    sf8(uX, a, f8(userX, i));
    sf8(uY, a, f8(userY, i));
    sf8(uPc, a, f8(powerMw, i) * gainAt1m);
    const b = f8(bits, i);
    sf8(uBits, a, b);
    const work = f8(cyclesPerBit, i) * b;
    sf8(uWork, a, work);
    const cpu = f8(userCpuHz, i);
    sf8(uCpu, a, cpu);
    sf8(uLocT, a, work * 1.0 / cpu);
    si4(uSite, a, i4(server, i));
    setTheta(a, f8(theta, i));
    a++;
  }
  A = a;
}

/**
 * The slot's state from the decisions: both channel passes, refusals, counts, and the system
 * cost, in the kernels' order of operations (channel, refuseInfeasible, channel, latency).
 */
function rebuild(): f64 {
  for (let j = 0; j < N; j++) {
    sf8(s1h, j, 0.0); sf8(s1l, j, 0.0); sf8(o1h, j, 0.0); sf8(o1l, j, 0.0);
    sf8(s2h, j, 0.0); sf8(s2l, j, 0.0); sf8(o2h, j, 0.0); sf8(o2l, j, 0.0);
    si4(n2, j, 0);
  }
  for (let a = 0; a < A; a++) {
    if (i4(uTx, a) == 0) continue;
    const pc = f8(uPc, a), ux = f8(uX, a), uy = f8(uY, a);
    for (let j = 0; j < N; j++) addC(s1h, s1l, j, rx(pc, ux, uy, j));
  }
  for (let a = 0; a < A; a++) {
    let s: f64 = 0.0;
    if (i4(uTx, a) != 0) {
      const j = i4(uSite, a);
      s = rx(f8(uPc, a), f8(uX, a), f8(uY, a), j);
      if (orth != 0) addC(o1h, o1l, j, s);
    }
    sf8(uSig, a, s);
  }
  for (let a = 0; a < A; a++) {
    let r = 0;
    if (i4(uTx, a) != 0) {
      const j = i4(uSite, a), s = f8(uSig, a);
      const interf = orth != 0 ? max((f8(s1h, j) - f8(o1h, j)) + (f8(s1l, j) - f8(o1l, j)), 0.0) : max((f8(s1h, j) - s) + f8(s1l, j), 0.0);
      if (rateOf(s, interf) < minRate) r = 1;
    }
    si4(uRef, a, r);
  }
  for (let a = 0; a < A; a++) {
    if (i4(uTx, a) == 0 || i4(uRef, a) != 0) continue;
    const pc = f8(uPc, a), ux = f8(uX, a), uy = f8(uY, a);
    for (let j = 0; j < N; j++) addC(s2h, s2l, j, rx(pc, ux, uy, j));
  }
  if (orth != 0) {
    for (let a = 0; a < A; a++) if (i4(uTx, a) != 0 && i4(uRef, a) == 0) addC(o2h, o2l, i4(uSite, a), f8(uSig, a));
  }
  for (let a = 0; a < A; a++) {
    let r: f64 = 0.0;
    if (i4(uTx, a) != 0 && i4(uRef, a) == 0) {
      const j = i4(uSite, a), s = f8(uSig, a);
      const interf = orth != 0 ? max((f8(s2h, j) - f8(o2h, j)) + (f8(s2l, j) - f8(o2l, j)), 0.0) : max((f8(s2h, j) - s) + f8(s2l, j), 0.0);
      r = rateOf(s, interf);
      si4(n2, j, i4(n2, j) + 1);
    }
    sf8(uRate2, a, r);
  }
  let cost: f64 = 0.0;
  for (let a = 0; a < A; a++) {
    if (i4(uTx, a) == 0 || i4(uRef, a) != 0) {
      cost += f8(uLocT, a);
    } else {
      const j = i4(uSite, a);
      cost += tUp(f8(uTLoc, a), f8(uUp, a), f8(uExe, a), f8(uRate2, a), f8(sCpu, j), i4(n2, j));
    }
  }
  return cost;
}

// The user being evaluated: compact index, uploads now, admitted now, site now.
let ei: i32 = 0;
let eTx = false;
let eAdm = false;
let eSite: i32 = 0;

/** Whether user ei interferes with site j's uploads now (pass 1). */
// @ts-ignore: decorator
@inline function curVar(j: i32): i32 {
  return eTx && (orth == 0 || eSite != j) ? 1 : 0;
}

/** The pass-1 variant of site j in class c (FRESH: orthogonal uploads to site fb). */
// @ts-ignore: decorator
@inline function clsVar(c: i32, j: i32, fb: i32): i32 {
  return c == CUR ? curVar(j) : c == LOC ? 0 : c == TXALL ? 1 : (j != fb ? 1 : 0);
}

/** User k's pass-1 refusal in class c. */
// @ts-ignore: decorator
@inline function refIn(c: i32, k: i32, fb: i32): i32 {
  const j = i4(uSite, k);
  return clsVar(c, j, fb) == curVar(j) ? i4(uRef, k) : i4(uRefO, k);
}

/** Prepares user ei's evaluation: its powers, the pass-1 sums without it, the other variant's refusals. */
function prepareUser(): void {
  const a = ei;
  const pc = f8(uPc, a), ux = f8(uX, a), uy = f8(uY, a);
  eTx = i4(uTx, a) != 0;
  eAdm = eTx && i4(uRef, a) == 0;
  eSite = i4(uSite, a);
  for (let j = 0; j < N; j++) {
    const p = rx(pc, ux, uy, j);
    sf8(pI, j, p);
    sf8(x1h, j, f8(s1h, j)); sf8(x1l, j, f8(s1l, j)); sf8(y1h, j, f8(o1h, j)); sf8(y1l, j, f8(o1l, j));
    if (eTx) {
      addC(x1h, x1l, j, -p);
      if (orth != 0 && j == eSite) addC(y1h, y1l, j, -p);
    }
    si4(flipO, j, 0);
  }
  for (let k = 0; k < A; k++) {
    if (k == a || i4(uTx, k) == 0) continue;
    const j = i4(uSite, k), s = f8(uSig, k);
    const base = orth != 0 ? (f8(x1h, j) - f8(y1h, j)) + (f8(x1l, j) - f8(y1l, j)) : (f8(x1h, j) - s) + f8(x1l, j);
    const interf = curVar(j) == 0 ? max(base + f8(pI, j), 0.0) : max(base, 0.0);
    const r = rateOf(s, interf) < minRate ? 1 : 0;
    si4(uRefO, k, r);
    if (r != i4(uRef, k)) si4(flipO, j, 1);
  }
  ready0 = false; ready1 = false; ready2 = false;
}

/** Whether the options of a class of pass-1 variants (LOC, TXALL, FRESH at fb) flip some refusal. */
function flips(c: i32, fb: i32): bool {
  for (let j = 0; j < N; j++) if (i4(flipO, j) != 0 && clsVar(c, j, fb) != curVar(j)) return true;
  return false;
}

/** Computes class c's per-site sums (its block at cls + c·stride). */
function computeClass(c: i32, fb: i32): void {
  const a = ei;
  const blk = cls + <usize>c * clsStride, cnt = blk + clsCnt;
  const n = <usize>N;
  const A00 = blk, A01 = blk + (n << 3), A10 = blk + (n << 4), A11 = blk + n * 24;
  const x2h = blk + (n << 5), x2l = blk + n * 40, y2h = blk + n * 48, y2l = blk + n * 56;
  for (let j = 0; j < N; j++) {
    sf8(x2h, j, f8(s2h, j)); sf8(x2l, j, f8(s2l, j)); sf8(y2h, j, f8(o2h, j)); sf8(y2l, j, f8(o2l, j));
    si4(cnt, j, i4(n2, j));
    if (eAdm) {
      addC(x2h, x2l, j, -f8(pI, j));
      if (j == eSite) {
        if (orth != 0) addC(y2h, y2l, j, -f8(pI, j));
        si4(cnt, j, i4(cnt, j) - 1);
      }
    }
    sf8(A00, j, 0.0); sf8(A01, j, 0.0); sf8(A10, j, 0.0); sf8(A11, j, 0.0);
  }
  if (c != CUR) {
    for (let k = 0; k < A; k++) {
      if (k == a || i4(uTx, k) == 0) continue;
      const r = refIn(c, k, fb), was = i4(uRef, k);
      if (r == was) continue;
      const sign: f64 = r != 0 ? -1.0 : 1.0;
      const pc = f8(uPc, k), ux = f8(uX, k), uy = f8(uY, k), j = i4(uSite, k);
      for (let jj = 0; jj < N; jj++) addC(x2h, x2l, jj, sign * rx(pc, ux, uy, jj));
      if (orth != 0) addC(y2h, y2l, j, sign * f8(uSig, k));
      si4(cnt, j, i4(cnt, j) + (r != 0 ? -1 : 1));
    }
  }
  let localSum: f64 = 0.0;
  for (let k = 0; k < A; k++) {
    if (k == a) continue;
    if (i4(uTx, k) == 0 || refIn(c, k, fb) != 0) {
      localSum += f8(uLocT, k);
      continue;
    }
    const j = i4(uSite, k), s = f8(uSig, k);
    const base = orth != 0 ? (f8(x2h, j) - f8(y2h, j)) + (f8(x2l, j) - f8(y2l, j)) : (f8(x2h, j) - s) + f8(x2l, j);
    const cur2 = eAdm && (orth == 0 || eSite != j);
    const r0 = c == CUR && !cur2 ? f8(uRate2, k) : rateOf(s, max(base, 0.0));
    const r1 = c == CUR && cur2 ? f8(uRate2, k) : rateOf(s, max(base + f8(pI, j), 0.0));
    const cpu = f8(sCpu, j), nj = i4(cnt, j);
    const tl = f8(uTLoc, k), up = f8(uUp, k), ex = f8(uExe, k);
    sf8(A00, j, f8(A00, j) + tUp(tl, up, ex, r0, cpu, nj));
    sf8(A01, j, f8(A01, j) + tUp(tl, up, ex, r0, cpu, nj + 1));
    sf8(A10, j, f8(A10, j) + tUp(tl, up, ex, r1, cpu, nj));
    sf8(A11, j, f8(A11, j) + tUp(tl, up, ex, r1, cpu, nj + 1));
  }
  sf8(blk + (n << 6), 0, localSum);
}

/** The class of user ei's options: LOCAL (b < 0) or uploads to b; computed on first use. */
function classOf(b: i32): i32 {
  let c: i32;
  if (b < 0) c = flips(LOC, 0) ? LOC : CUR;
  else if (orth == 0) c = flips(TXALL, 0) ? TXALL : CUR;
  else if (!flips(FRESH, b)) c = CUR;
  else c = i4(flipO, b) == 0 ? TXALL : FRESH;
  if (c == FRESH) computeClass(FRESH, b);
  else if (c == CUR) { if (!ready0) { computeClass(CUR, 0); ready0 = true; } }
  else if (c == LOC) { if (!ready1) { computeClass(LOC, 0); ready1 = true; } }
  else if (!ready2) { computeClass(TXALL, 0); ready2 = true; }
  return c;
}

// What evalUser found: the best option and the cost of the current decision.
let bestCost: f64 = 0.0;
let bestSite: i32 = -1;
let bestTheta: f64 = 1.0;
let curCost: f64 = 0.0;

/**
 * Evaluates every option of compact user a (local; each theta < 1 to each site) against the
 * others' decisions; `out` (if not 0) receives the costs: [local, (site 0, fraction 0), ...].
 */
function evalUser(a: i32, out: usize): void {
  ei = a;
  prepareUser();
  const n = <usize>N;
  const locA = f8(uLocT, a);
  // Local.
  let c = classOf(-1);
  let blk = cls + <usize>c * clsStride;
  let sum: f64 = 0.0;
  for (let j = 0; j < N; j++) sum += f8(blk, j);
  const localCost = sum + f8(blk + (n << 6), 0) + locA;
  bestCost = localCost; bestSite = -1; bestTheta = 1.0;
  if (!eTx) curCost = localCost;
  if (out != 0) sf8(out, 0, localCost);
  const pc = f8(uPc, a), work = f8(uWork, a), cpuA = f8(uCpu, a), bitsA = f8(uBits, a);
  for (let b = 0; b < N; b++) {
    const p = f8(pI, b);
    const base1 = orth != 0 ? (f8(x1h, b) - f8(y1h, b)) + (f8(x1l, b) - f8(y1l, b)) : f8(x1h, b) + f8(x1l, b);
    const adm = rateOf(p, max(base1, 0.0)) >= minRate;
    c = classOf(b);
    blk = cls + <usize>c * clsStride;
    const localSum = f8(blk + (n << 6), 0);
    const o = out + (<usize>(1 + b * FC) << 3);
    if (!adm) {
      sum = 0.0;
      for (let j = 0; j < N; j++) sum += f8(blk, j);
      const refCost = sum + localSum + locA;
      for (let k = 0; k < FC; k++) {
        const th = f8(fr, k);
        if (out != 0) sf8(o, k, th >= 1.0 ? localCost : refCost);
        if (th < 1.0 && refCost < bestCost) { bestCost = refCost; bestSite = b; bestTheta = th; }
      }
      if (eTx && b == eSite) curCost = refCost;
      continue;
    }
    // Admitted: the others with i's pass-2 interference by variant, i counted at b.
    sum = 0.0;
    for (let j = 0; j < N; j++) {
      const v = orth == 0 || j != b ? 1 : 0;
      sum += f8(blk + (<usize>((v << 1) + (j == b ? 1 : 0)) * n << 3), j);
    }
    sum += localSum;
    const x2h = blk + (n << 5), x2l = blk + n * 40, y2h = blk + n * 48, y2l = blk + n * 56;
    const base2 = orth != 0 ? (f8(x2h, b) - f8(y2h, b)) + (f8(x2l, b) - f8(y2l, b)) : f8(x2h, b) + f8(x2l, b);
    const r2 = rateOf(p, max(base2, 0.0));
    const cpuB = f8(sCpu, b), nb = i4(blk + clsCnt, b) + 1;
    for (let k = 0; k < FC; k++) {
      const th = f8(fr, k);
      if (th >= 1.0) {
        if (out != 0) sf8(o, k, localCost);
        continue;
      }
      const off = 1.0 - th;
      const cost = sum + tUp(th > 0.0 ? work * th / cpuA : 0.0, bitsA * off, work * off, r2, cpuB, nb);
      if (out != 0) sf8(o, k, cost);
      if (cost < bestCost) { bestCost = cost; bestSite = b; bestTheta = th; }
    }
    if (eTx && b == eSite) curCost = sum + tUp(f8(uTLoc, a), f8(uUp, a), f8(uExe, a), r2, cpuB, nb);
  }
}

function setup(n: i32, siteX: usize, siteY: usize, siteCpuHz: usize, minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64,
  orthogonal: i32, fractions: usize, fractionCount: i32, scratch: usize, mCap: i32): void {
  N = n; FC = fractionCount; minRate = minRateBps; bw = bandwidthHz; noise = noiseMw; dMin2 = dMinM * dMinM; orth = orthogonal;
  fr = fractions; sX = siteX; sY = siteY; sCpu = siteCpuHz;
  carve(scratch, mCap, n);
}

/**
 * Called by the host's optimum policy once per slot (src/policy/kernel-optimum.ts), after
 * greedy wrote theta/server: from those decisions as the sites admit them (refused uploads all
 * local, which leaves the cost unchanged), best-response descent over the active users in index order, each
 * moving to its option of least system cost when that is below the current cost · (1 − 1e-9),
 * until a sweep moves nobody or `maxSweeps` sweeps ran. Writes the active users' theta/server;
 * stats f64[5]: sweeps, moves, 1 if the cap stopped it, the cost before and after. Returns
 * the cost after (eq. 10, as the slot kernels will record it). `scratch`: optimumScratchBytes(m, n).
 */
export function optimumPolicy(
  m: i32, n: i32,
  userX: usize, userY: usize, powerMw: usize, userCpuHz: usize, active: usize, bits: usize, cyclesPerBit: usize,
  siteX: usize, siteY: usize, siteCpuHz: usize,
  minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  fractions: usize, fractionCount: i32, maxSweeps: i32, scratch: usize, stats: usize, theta: usize, server: usize,
): f64 {
  setup(n, siteX, siteY, siteCpuHz, minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal, fractions, fractionCount, scratch, m);
  gather(m, userX, userY, powerMw, userCpuHz, active, bits, cyclesPerBit, gainAt1m, theta, server);
  const start = rebuild();
  // Start from greedy's decisions as the sites admit them: a refused upload becomes all local.
  // The sites' second channel pass is this profile's evaluation, so the cost is unchanged.
  let refused = false;
  for (let a = 0; a < A; a++) {
    if (i4(uRef, a) != 0) {
      setTheta(a, 1.0);
      refused = true;
    }
  }
  let cost = refused ? rebuild() : start;
  let sweeps = 0, moves = 0, capped = 0;
  while (true) {
    if (sweeps >= maxSweeps) { capped = 1; break; }
    sweeps++;
    let moved = 0;
    for (let a = 0; a < A; a++) {
      evalUser(a, 0);
      if (!(bestCost < curCost * (1.0 - TOL))) continue;
      setTheta(a, bestTheta);
      if (bestSite >= 0) si4(uSite, a, bestSite);
      cost = rebuild();
      moved++;
    }
    moves += moved;
    if (moved == 0) break;
  }
  for (let a = 0; a < A; a++) {
    const i = i4(uIdx, a);
    sf8(theta, i, f8(uTh, a));
    si4(server, i, i4(uSite, a));
  }
  sf8(stats, 0, <f64>sweeps);
  sf8(stats, 1, <f64>moves);
  sf8(stats, 2, <f64>capped);
  sf8(stats, 3, start);
  sf8(stats, 4, cost);
  return cost;
}

/**
 * Called by tests (test/optimum.test.ts): the system cost of every single-user change of the
 * given decisions, as optimumPolicy evaluates it incrementally. For each active user in index
 * order, 1 + n·fractionCount f64 into `out`: all local, then site 0 with each fraction, site 1, …
 * (a fraction of 1 is all local). Returns the number of active users; decisions are not changed.
 */
export function optimumOptionCosts(
  m: i32, n: i32,
  userX: usize, userY: usize, powerMw: usize, userCpuHz: usize, active: usize, bits: usize, cyclesPerBit: usize,
  siteX: usize, siteY: usize, siteCpuHz: usize,
  minRateBps: f64, bandwidthHz: f64, noiseMw: f64, dMinM: f64, orthogonal: i32, gainAt1m: f64,
  fractions: usize, fractionCount: i32, scratch: usize, theta: usize, server: usize, out: usize,
): i32 {
  setup(n, siteX, siteY, siteCpuHz, minRateBps, bandwidthHz, noiseMw, dMinM, orthogonal, fractions, fractionCount, scratch, m);
  gather(m, userX, userY, powerMw, userCpuHz, active, bits, cyclesPerBit, gainAt1m, theta, server);
  rebuild();
  const per = <usize>(1 + n * fractionCount) << 3;
  for (let a = 0; a < A; a++) evalUser(a, out + <usize>a * per);
  return A;
}
