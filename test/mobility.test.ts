import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/paths.js";
import { InputError } from "../src/validation.js";
import { exampleTraceCsv } from "./fixtures/example-trace.js";
import { GaussMarkov, type GaussMarkovOptions } from "../src/world/gauss-markov.js";
import type { Positions } from "../src/world/mobility-model.js";
import { stream } from "../src/world/rng.js";
import { parseTrace, TraceMobility, traceSha256 } from "../src/world/trace.js";

const at = (n: number, x: number, y: number): Positions => ({ xM: new Float64Array(n).fill(x), yM: new Float64Array(n).fill(y) });
const vehicles: GaussMarkovOptions = { meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 };

function run(seed: number, steps: number): Positions {
  const pos = at(50, 250, 250);
  const m = new GaussMarkov(50, 500, 500, vehicles, stream(seed, "mobility"));
  for (let s = 0; s < steps; s++) m.step(pos, 1);
  return pos;
}

/** Billiard in [0, L]: the reflected coordinate of an unbounded straight line. */
function fold(v: number, L: number): number {
  const p = ((v % (2 * L)) + 2 * L) % (2 * L);
  return p <= L ? p : 2 * L - p;
}

describe("Gauss-Markov mobility", () => {
  it("keeps users inside the area for 1000 steps, even when a step crosses it several times", () => {
    const n = 500, W = 100, H = 40;
    const pos = at(n, 50, 20);
    const m = new GaussMarkov(n, W, H, { meanSpeedMps: 60, speedSdMps: 40, directionSdRad: 1, alpha: 0.5 }, stream(7, "mobility"));
    for (let s = 0; s < 1000; s++) {
      m.step(pos, 1);
      for (let i = 0; i < n; i++) {
        if (!(pos.xM[i] >= 0 && pos.xM[i] <= W && pos.yM[i] >= 0 && pos.yM[i] <= H)) throw new Error(`step ${s} user ${i}: (${pos.xM[i]}, ${pos.yM[i]}) is outside`);
      }
    }
  });

  it("moves at the configured mean speed on average", () => {
    // An area far larger than a step, so a reflection rarely shortens a displacement.
    const n = 200, L = 1e6;
    const pos = at(n, L / 2, L / 2);
    const m = new GaussMarkov(n, L, L, vehicles, stream(2, "mobility"));
    let sum = 0;
    for (let s = 0; s < 1000; s++) {
      const x = pos.xM.slice(), y = pos.yM.slice();
      m.step(pos, 1);
      for (let i = 0; i < n; i++) sum += Math.hypot(pos.xM[i] - x[i], pos.yM[i] - y[i]);
    }
    expect(sum / (n * 1000)).toBeCloseTo(15, 0);
    expect(Math.abs(sum / (n * 1000) - 15)).toBeLessThan(0.2);
  });

  it("with alpha = 1 and no noise moves in straight lines, reflected at the edges", () => {
    const n = 100, W = 1000, H = 600, v = 10;
    const pos = at(n, W / 2, H / 2);
    const m = new GaussMarkov(n, W, H, { meanSpeedMps: v, speedSdMps: 0, directionSdRad: 0, alpha: 1 }, stream(4, "mobility"));
    m.step(pos, 1);
    const vx = Array.from(pos.xM, (x) => x - W / 2), vy = Array.from(pos.yM, (y) => y - H / 2);
    for (let i = 0; i < n; i++) expect(Math.hypot(vx[i], vy[i])).toBeCloseTo(v, 9);
    let worst = 0;
    for (let s = 2; s <= 1000; s++) {
      m.step(pos, 1);
      for (let i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(pos.xM[i] - fold(W / 2 + s * vx[i], W)), Math.abs(pos.yM[i] - fold(H / 2 + s * vy[i], H)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("is deterministic in its seed", () => {
    expect(run(1, 200)).toEqual(run(1, 200));
    expect(run(2, 200).xM).not.toEqual(run(1, 200).xM);
  });

  it("refuses alpha outside [0, 1]", () => {
    expect(() => new GaussMarkov(1, 10, 10, { ...vehicles, alpha: 1.5 }, stream(1, "mobility"))).toThrow(/alpha/);
  });
});

const lines = (...l: string[]) => l.join("\n") + "\n";
/** A valid body: users 0..n-1 at times 0 and 1. */
const rows = (n: number, from = 0) => Array.from({ length: 2 * n }, (_, k) => `${Math.floor(k / n) + from},${k % n},1,2`);

function issuesOf(text: string, users: number, area?: { widthM: number; heightM: number }): string[] {
  try {
    parseTrace(text, "x.csv", users, area);
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("accepted");
}

describe("trace parsing", () => {
  const text = readFileSync(join(ROOT, "scenarios/traces/gauss-markov-20users.csv"), "utf8");

  it("accepts the shipped example, which its generator reproduces byte for byte", () => {
    const tr = parseTrace(text, "example", 20, { widthM: 500, heightM: 500 });
    expect(tr.users).toBe(20);
    expect(tr.tS.length).toBe(20 * 121);
    expect(Array.from(tr.start.slice(0, 3))).toEqual([0, 121, 242]);
    expect(tr.tS[120]).toBe(120);
    expect(text).toBe(exampleTraceCsv({ users: 20, seconds: 120, stepS: 1, seed: 1 }));
    expect(Buffer.byteLength(text)).toBeLessThan(100_000);
  });

  it("accepts columns in any order, CRLF, blank lines, comments and no trailing newline", () => {
    const tr = parseTrace("# c\r\n\r\nyM,xM,userId,t\r\n  # indented comment\n2,1,0,0\n\n4,3,0,1", "x", 1);
    expect([...tr.tS, ...tr.xM, ...tr.yM]).toEqual([0, 1, 1, 3, 2, 4]);
  });

  it("hashes the text", () => {
    expect(traceSha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  const bad: [string, string, number, RegExp][] = [
    ["missing column", lines("t,userId,yM", "0,0,1"), 1, /^line 1: missing column xM$/],
    ["header after comments", lines("# x", "", "userId,t,xM"), 1, /^line 3: missing column yM$/],
    ["unknown column", lines("t,userId,xM,yM,speed", "0,0,1,2,3"), 1, /^line 1: unknown column "speed" \(the columns are t, userId, xM, yM\)$/],
    ["repeated column", lines("t,userId,xM,yM,t"), 1, /^line 1: column t appears twice$/],
    ["t not a number", lines("t,userId,xM,yM", ...rows(2).slice(0, 3), "", "# gap", "abc,1,1,2"), 2, /^line 7: t is not a number \("abc"\)$/],
    ["x not a number", lines("t,userId,xM,yM", "0,0,,2"), 1, /^line 2: xM is not a number \(""\)$/],
    ["y is Infinity", lines("t,userId,xM,yM", "0,0,1,Infinity"), 1, /^line 2: yM is not a number \("Infinity"\)$/],
    ["y overflows", lines("t,userId,xM,yM", "0,0,1,1e999"), 1, /^line 2: yM is not a finite number \("1e999"\)$/],
    ["time goes back", lines("t,userId,xM,yM", ...rows(3), ...rows(3, 2).slice(0, 3), "5,0,1,2", "3,1,1,2"), 3, /^line 12: time 3 goes back from 5 on line 11 \(times must not decrease\)$/],
    ["unknown user", lines("t,userId,xM,yM", ...rows(40).slice(0, 7), "0,57,1,2"), 40, /^line 9: unknown user 57 \(the scenario has 40 users\)$/],
    ["user not an integer", lines("t,userId,xM,yM", "0,1.5,1,2"), 2, /^line 2: userId is not a non-negative integer \("1.5"\)$/],
    ["negative user", lines("t,userId,xM,yM", "0,-1,1,2"), 2, /^line 2: userId is not a non-negative integer \("-1"\)$/],
    ["too few fields", lines("t,userId,xM,yM", "0,0,1,2", "0,1,1,2", "1,0,1"), 2, /^line 4: expected 4 fields, got 3$/],
    ["too many fields", lines("t,userId,xM,yM", "0,0,1,2,"), 1, /^line 2: expected 4 fields, got 5$/],
    ["repeated time for a user", lines("t,userId,xM,yM", "0,0,1,2", "1,0,1,2", "1,0,3,4"), 1, /^line 4: user 0 has two samples at time 1 \(lines 3 and 4\)$/],
    ["negative time", lines("t,userId,xM,yM", "-1,0,1,2"), 1, /^line 2: t is negative \(-1\); the clock starts at 0$/],
    ["outside the area", lines("t,userId,xM,yM", "0,0,501,2"), 1, /^line 2: position \(501, 2\) is outside the 500 x 500 m area$/],
    ["empty file", "", 1, /^no header: the file is empty or only comments/],
    ["only comments", lines("# nothing", ""), 1, /^no header: the file is empty or only comments/],
    ["no data rows", lines("# c", "t,userId,xM,yM", ""), 1, /^line 2: no data rows after the header$/],
    ["a user without samples", lines("t,userId,xM,yM", ...rows(12), ...Array.from({ length: 27 }, (_, k) => `2,${13 + k},1,2`)), 40, /^user 12 has no samples$/],
    ["several users without samples", lines("t,userId,xM,yM", ...rows(20)), 40, /^users 20-39 have no samples$/],
  ];

  it.each(bad)("refuses %s", (_, text, users, want) => {
    const issues = issuesOf(text, users, { widthM: 500, heightM: 500 });
    expect(issues.some((m) => want.test(m)), issues.join("\n")).toBe(true);
  });

  it("prefixes the source and lists every problem, up to a limit", () => {
    try {
      parseTrace(lines("t,userId,xM,yM", "x,0,1,2", "0,9,1,2"), "traces/a.csv", 2);
      throw new Error("accepted");
    } catch (e) {
      expect((e as Error).message).toBe('traces/a.csv: line 2: t is not a number ("x")\ntraces/a.csv: line 3: unknown user 9 (the scenario has 2 users)');
    }
    const many = issuesOf(lines("t,userId,xM,yM", ...Array.from({ length: 30 }, () => "a,0,1,2")), 1);
    expect(many.length).toBe(21);
    expect(many[20]).toBe("… and 10 more");
  });
});

describe("trace replay", () => {
  // User 0: (0,0) at 2 s, (10,20) at 4 s, (10,0) at 5 s. User 1: one sample.
  const trace = parseTrace(lines("t,userId,xM,yM", "1,1,7,8", "2,0,0,0", "4,0,10,20", "5,0,10,0"), "x", 2);
  const where = (p: Positions) => [p.xM[0], p.yM[0], p.xM[1], p.yM[1]];

  it("holds the first position before the first sample, interpolates linearly, holds the last after", () => {
    const m = new TraceMobility(trace);
    const p = at(2, NaN, NaN);
    m.initial(p);
    const seen = [where(p)];
    for (const dt of [1, 1, 1, 1, 0.5, 0.25, 0.25, 10]) {
      m.step(p, dt);
      seen.push(where(p));
    }
    expect(seen).toEqual([
      [0, 0, 7, 8], // t = 0
      [0, 0, 7, 8], // 1
      [0, 0, 7, 8], // 2: exact at the first sample
      [5, 10, 7, 8], // 3: halfway
      [10, 20, 7, 8], // 4: exact
      [10, 10, 7, 8], // 4.5
      [10, 5, 7, 8], // 4.75
      [10, 0, 7, 8], // 5: the last sample
      [10, 0, 7, 8], // 15: after the last
    ]);
  });

  it("passes several samples in one step", () => {
    const m = new TraceMobility(trace);
    const p = at(2, NaN, NaN);
    m.initial(p);
    m.step(p, 4.5);
    expect(where(p)).toEqual([10, 10, 7, 8]);
  });

  it("reproduces every sample of the example at its time", () => {
    const text = readFileSync(join(ROOT, "scenarios/traces/gauss-markov-20users.csv"), "utf8");
    const tr = parseTrace(text, "example", 20);
    const m = new TraceMobility(tr);
    const p = at(20, NaN, NaN);
    m.initial(p);
    for (let s = 0; s <= 120; s++) {
      if (s > 0) m.step(p, 1);
      for (let i = 0; i < 20; i++) {
        const k = tr.start[i] + s;
        expect([p.xM[i], p.yM[i]]).toEqual([tr.xM[k], tr.yM[k]]);
      }
    }
  });
});
