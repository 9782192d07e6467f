/**
 * Path gain at 1 m: PL(d) = 127 + 30 log10(d_km) dB (Table I, eq. 4 with alpha = 3) gives
 * g(d) = 10^(-PL/10) = 10^-12.7 · (d_m / 1000)^-3 = 10^-3.7 · d_m^-3.
 * Domain: d_m >= dMinM (closer distances are clamped to dMinM, default 1 m).
 */
export const GAIN_AT_1M = 10 ** -3.7;

/**
 * Received power (mW) at a site (sx, sy) from a user at (ux, uy) sending pcMw = P · GAIN_AT_1M:
 * pcMw · q^-1.5 with q = max(d², dMin²). One sqrt and one divide, in the operation order of
 * assembly/channel.ts so the JS kernel matches it bit for bit.
 */
export function rxMw(pcMw: number, ux: number, uy: number, sx: number, sy: number, dMin2: number): number {
  const dx = sx - ux, dy = sy - uy;
  const q = Math.max(dx * dx + dy * dy, dMin2);
  return pcMw / (q * Math.sqrt(q));
}

/** Path gain (linear) at distance dM metres. */
export function pathGain(dM: number, dMinM = 1): number {
  return rxMw(GAIN_AT_1M, 0, 0, dM, 0, dMinM * dMinM);
}
