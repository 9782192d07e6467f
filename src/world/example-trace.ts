// The shipped example trace: Gauss-Markov vehicles sampled into the trace CSV format.
import { GaussMarkov, type GaussMarkovOptions } from "./gauss-markov.js";
import { stream, uniform } from "./rng.js";

export const EXAMPLE_AREA_M = 500;
export const EXAMPLE_VEHICLES: GaussMarkovOptions = { meanSpeedMps: 15, speedSdMps: 3, directionSdRad: 0.4, alpha: 0.85 };

/** Rows for t = 0, stepS, 2 stepS, ... up to `seconds`, ordered by t then userId, positions to 0.01 m. */
export function exampleTraceCsv(opts: { users: number; seconds: number; stepS: number; seed: number }): string {
  const { users, seconds, stepS, seed } = opts;
  const v = EXAMPLE_VEHICLES;
  const A = EXAMPLE_AREA_M;
  const place = stream(seed, "placement");
  const pos = { xM: new Float64Array(users), yM: new Float64Array(users) };
  for (let i = 0; i < users; i++) {
    pos.xM[i] = uniform(place, 0, A);
    pos.yM[i] = uniform(place, 0, A);
  }
  const model = new GaussMarkov(users, A, A, v, stream(seed, "mobility"));
  const out = [
    `# Gauss-Markov vehicles: ${users} users, ${A} x ${A} m, mean ${v.meanSpeedMps} m/s (sd ${v.speedSdMps}), ` +
      `direction sd ${v.directionSdRad} rad, alpha ${v.alpha}, ${seconds} s at ${stepS} s steps, seed ${seed}; ` +
      `exampleTraceCsv in src/world/example-trace.ts`,
    "t,userId,xM,yM",
  ];
  // Multiplying, not summing, keeps the times exact decimals (0.1 steps would drift).
  const steps = Math.floor(seconds / stepS + 1e-9);
  for (let n = 0; n <= steps; n++) {
    if (n > 0) model.step(pos, stepS);
    const t = Number((n * stepS).toPrecision(12));
    for (let i = 0; i < users; i++) out.push(`${t},${i},${pos.xM[i].toFixed(2)},${pos.yM[i].toFixed(2)}`);
  }
  return out.join("\n") + "\n";
}
