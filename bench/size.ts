// Benchmark sizes: the full (paper-scale) size by default, a small one in quick mode
// (TWINEDGE_BENCH_QUICK=1, for the smoke test), and any one overridden by its own variable
// (e.g. TWINEDGE_BENCH_ROUNDS=1). Quick figures are marked `quick` in results/bench.json.

/** True when TWINEDGE_BENCH_QUICK=1: every benchmark at a size that runs in seconds. */
export const QUICK = process.env.TWINEDGE_BENCH_QUICK === "1";

/** The size named by env var `name` if set (a positive integer), else `full`, or `quick` in quick mode. */
export function size(name: string, full: number, quick: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return QUICK ? quick : full;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** Rounds each measure is repeated (alternating which backend goes first); the median is kept. */
export const ROUNDS = size("TWINEDGE_BENCH_ROUNDS", 3, 1);

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
