/**
 * Path gain at 1 m: PL(d) = 127 + 30 log10(d_km) dB (Table I, eq. 4 with alpha = 3) gives
 * g(d) = 10^(-PL/10) = 10^-12.7 · (d_m / 1000)^-3 = 10^-3.7 · d_m^-3.
 * Domain: d_m >= dMinM (closer distances are clamped to dMinM, default 1 m).
 */
export const GAIN_AT_1M = 10 ** -3.7;

/** Path gain (linear) at distance dM metres, for reference and tests; kernels inline it. */
export function pathGain(dM: number, dMinM = 1): number {
  const d = Math.max(dM, dMinM);
  return GAIN_AT_1M / (d * d * d);
}

/** Shannon rate R = W log2(1 + SINR) (eq. 3), in bit/s. */
export function shannonRateBps(bandwidthHz: number, sinr: number): number {
  return bandwidthHz * Math.log2(1 + sinr);
}
