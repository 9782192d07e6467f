import { describe, expect, it } from "vitest";
import { mean, sampleSd, studentTQuantile, summarize } from "../src/results/stats.js";

/** |actual − expected| ≤ relTol·|expected| (absolute when expected is 0). */
function expectClose(actual: number, expected: number, relTol: number): void {
  const tol = expected === 0 ? relTol : relTol * Math.abs(expected);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe("studentTQuantile", () => {
  // Textbook table values, quoted to 9–10 decimals.
  it.each([
    [0.975, 1, 12.706204736],
    [0.975, 2, 4.30265273],
    [0.975, 3, 3.182446305],
    [0.975, 4, 2.776445105],
    [0.975, 5, 2.570581836],
    [0.975, 9, 2.262157163],
    [0.975, 29, 2.045229642],
    [0.975, 100, 1.983971519],
    [0.975, 1e6, 1.959966357],
    [0.995, 10, 3.169272673],
    [0.9, 7, 1.414923928],
  ])("t(%s, df=%s) = %s", (p, df, expected) => {
    expectClose(studentTQuantile(p, df), expected, 1e-9);
  });

  // Full-precision references: mpmath at 60 digits, root of the regularized
  // incomplete beta expression of the CDF at the exact double p. Covers real
  // df, the closed forms, far tails and very large df.
  it.each([
    [0.975, 1.5, 6.0166631044279283],
    [0.975, 2.5, 3.5746548420036818],
    [0.975, 7, 2.3646242515927847],
    [0.975, 1e10, 1.959963984777281],
    [0.999999, 30, 5.8711171204086238],
    [0.6, 3, 0.27667066233268985],
    [0.9999, 4.5, 11.020996368612508],
    [0.999, 1, 318.30883898555016],
    [0.999, 2, 22.327124770119865],
    [1e-10, 3, -2225.7692846830932],
    [1e-30, 10, -2564.5239317426153],
    [1e-300, 50, -6675289.0629439365],
  ])("t(%s, df=%s) = %s to 1e-12", (p, df, expected) => {
    expectClose(studentTQuantile(p, df), expected, 1e-12);
  });

  it("tends to the normal quantile as df grows, and equals it at df = Infinity", () => {
    const z975 = 1.9599639845400539;
    expectClose(studentTQuantile(0.975, Infinity), z975, 1e-14);
    expectClose(studentTQuantile(0.975, 1e300), z975, 1e-12);
    expectClose(studentTQuantile(0.975, 1e6), z975, 2e-6);
  });

  it.each([1, 2, 2.5, 3, 10, 1e4, 1e12])("is 0 at p = 0.5 and odd in p − 0.5 (df=%s)", (df) => {
    expect(studentTQuantile(0.5, df)).toBe(0);
    // Dyadic p, so that 1 − p is exact and both calls see the same tail mass.
    for (const p of [2 ** -40, 2 ** -10, 0.03125, 0.125, 0.3125, 0.4375, 0.5 - 2 ** -20]) {
      const lower = studentTQuantile(p, df);
      const upper = studentTQuantile(1 - p, df);
      expect(lower).toBeLessThan(0);
      expectClose(-lower, upper, 1e-12);
    }
  });

  it("is increasing in p and decreasing in df for p > 0.5", () => {
    const ps = [0.501, 0.6, 0.75, 0.9, 0.975, 0.999, 0.999999];
    const dfs = [1, 1.5, 2, 3, 5, 10, 30, 100, 1e4, 1e8];
    for (const df of dfs) {
      for (let i = 1; i < ps.length; i++) {
        expect(studentTQuantile(ps[i], df)).toBeGreaterThan(studentTQuantile(ps[i - 1], df));
      }
    }
    for (const p of ps) {
      for (let i = 1; i < dfs.length; i++) {
        expect(studentTQuantile(p, dfs[i])).toBeLessThan(studentTQuantile(p, dfs[i - 1]));
      }
    }
  });

  it("keeps relative accuracy just off the centre", () => {
    // p = 0.5 + 2^-40: t ≈ 2^-40 / f(0), f(0) = 1/π for df = 1.
    const d = 2 ** -40;
    expectClose(studentTQuantile(0.5 + d, 1), Math.tan(Math.PI * d), 1e-12);
    // df = 2: f(0) = 1/(2√2), t = 2d / sqrt(1/2 − 2d²)
    expectClose(studentTQuantile(0.5 + d, 2), (2 * d) / Math.sqrt(0.5 - 2 * d * d), 1e-12);
  });

  it("returns ∓Infinity at p = 0 and p = 1", () => {
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
  });

  it.each([-0.1, 1.5, NaN, -Infinity, Infinity])("rejects p = %s", (p) => {
    expect(() => studentTQuantile(p, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(p, 5)).toThrow(/\bp\b/);
  });

  it.each([0, 0.5, 0.999, -1, NaN, -Infinity])("rejects df = %s", (df) => {
    expect(() => studentTQuantile(0.975, df)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, df)).toThrow(/\bdf\b/);
  });
});

describe("mean", () => {
  it.each([
    [[1, 2, 3, 4], 2.5],
    [[2, 4, 4, 4, 5, 5, 7, 9], 5],
    [[-3, 3], 0],
    [[7], 7],
  ])("mean(%j) = %s", (xs, expected) => {
    expectClose(mean(xs), expected, 1e-15);
  });

  it("is NaN for an empty sample", () => {
    expect(mean([])).toBeNaN();
  });

  it("returns a constant sample's value exactly", () => {
    expect(mean([0.1, 0.1, 0.1])).toBe(0.1);
    expect(mean(Array(1000).fill(3.7))).toBe(3.7);
  });

  it("follows IEEE semantics for non-finite values", () => {
    expect(mean([Infinity, 1])).toBe(Infinity);
    expect(mean([Infinity, -Infinity])).toBeNaN();
    expect(mean([NaN, 1])).toBeNaN();
  });
});

describe("sampleSd", () => {
  it.each([
    // Σd² = 32, n − 1 = 7
    [[2, 4, 4, 4, 5, 5, 7, 9], Math.sqrt(32 / 7)],
    // Σd² = 5, n − 1 = 3
    [[1, 2, 3, 4], Math.sqrt(5 / 3)],
    [[1, 2, 3], 1],
    [[0, 2], Math.SQRT2],
  ])("sampleSd(%j) = %s", (xs, expected) => {
    expectClose(sampleSd(xs), expected, 1e-14);
  });

  it("is NaN for n < 2", () => {
    expect(sampleSd([])).toBeNaN();
    expect(sampleSd([5])).toBeNaN();
  });

  it("is exactly 0 for a constant sample", () => {
    expect(sampleSd([0.1, 0.1, 0.1])).toBe(0);
    expect(sampleSd(Array(999).fill(-2.3e7))).toBe(0);
  });

  it("does not lose the spread to a large offset", () => {
    // {4, 7, 13, 16}: mean 10, Σd² = 90, s² = 30. The offset is exactly
    // representable; Σx² − n·x̄² would return garbage here.
    const offset = 1e15;
    expectClose(sampleSd([4, 7, 13, 16].map((x) => x + offset)), Math.sqrt(30), 1e-12);
  });
});

describe("summarize", () => {
  const t7 = 2.3646242515927847; // t(0.975, 7)
  const t2 = 4.302652729749464; // t(0.975, 2)

  it.each([
    {
      xs: [2, 4, 4, 4, 5, 5, 7, 9],
      mean: 5,
      sd: Math.sqrt(32 / 7),
      half: (t7 * Math.sqrt(32 / 7)) / Math.sqrt(8),
    },
    { xs: [1, 2, 3], mean: 2, sd: 1, half: t2 / Math.sqrt(3) },
    { xs: [10, 20], mean: 15, sd: Math.sqrt(50), half: (12.706204736174694 * Math.sqrt(50)) / Math.SQRT2 },
  ])("summarize($xs)", ({ xs, mean: m, sd, half }) => {
    const s = summarize(xs);
    expect(s.n).toBe(xs.length);
    expectClose(s.mean, m, 1e-15);
    expectClose(s.sd, sd, 1e-14);
    expectClose(s.ci95Low, m - half, 1e-12);
    expectClose(s.ci95High, m + half, 1e-12);
  });

  it("n = 0: everything but n is NaN", () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.sd).toBeNaN();
    expect(s.ci95Low).toBeNaN();
    expect(s.ci95High).toBeNaN();
  });

  it("n = 1: mean only, sd and interval NaN", () => {
    const s = summarize([42]);
    expect(s).toMatchObject({ n: 1, mean: 42 });
    expect(s.sd).toBeNaN();
    expect(s.ci95Low).toBeNaN();
    expect(s.ci95High).toBeNaN();
  });

  it.each([[[0.1, 0.1, 0.1]], [[5, 5]], [Array(50).fill(-1.25e-9)]])(
    "constant sample %j collapses the interval onto the mean exactly",
    (xs) => {
      const s = summarize(xs);
      expect(s.mean).toBe(xs[0]);
      expect(s.sd).toBe(0);
      expect(s.ci95Low).toBe(xs[0]);
      expect(s.ci95High).toBe(xs[0]);
    },
  );
});
