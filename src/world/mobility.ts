// Mobility models over struct-of-arrays positions. A model owns its own per-user state and
// draws only from the mobility stream. New models implement MobilityModel and join
// `createMobility` (and the scenario schema's `mobility` union).
import { resolve } from "node:path";
import type { TrialConfig } from "../scenario/schema.js";
import { GaussMarkov } from "./gauss-markov.js";
import { uniform, type Rng } from "./rng.js";
import { parseTrace, readTraceText, TraceMobility, traceSha256, type Trace } from "./trace.js";
import type { MobilityModel, Positions } from "./mobility-model.js";

class StaticMobility implements MobilityModel {
  step(): void {}
}

/**
 * Random waypoint: walk in a straight line to a uniform point of the area at a uniform speed
 * in [speedMps.min, speedMps.max], pause a uniform time in [pauseS.min, pauseS.max], repeat.
 */
export class RandomWaypoint implements MobilityModel {
  private readonly destX: Float64Array;
  private readonly destY: Float64Array;
  private readonly speed: Float64Array;
  private readonly pauseLeft: Float64Array;

  constructor(
    users: number,
    private readonly widthM: number,
    private readonly heightM: number,
    private readonly speedMps: { min: number; max: number },
    private readonly pauseS: { min: number; max: number },
    private readonly r: Rng,
  ) {
    this.destX = new Float64Array(users);
    this.destY = new Float64Array(users);
    this.speed = new Float64Array(users);
    this.pauseLeft = new Float64Array(users);
    for (let i = 0; i < users; i++) this.pickWaypoint(i);
  }

  private pickWaypoint(i: number): void {
    this.destX[i] = uniform(this.r, 0, this.widthM);
    this.destY[i] = uniform(this.r, 0, this.heightM);
    this.speed[i] = uniform(this.r, this.speedMps.min, this.speedMps.max);
  }

  step(pos: Positions, dtS: number): void {
    for (let i = 0; i < pos.xM.length; i++) {
      let t = dtS;
      // A user may reach its waypoint, pause and set off again within one step.
      while (t > 0) {
        if (this.pauseLeft[i] > 0) {
          const p = Math.min(this.pauseLeft[i], t);
          this.pauseLeft[i] -= p;
          t -= p;
          continue;
        }
        const dx = this.destX[i] - pos.xM[i];
        const dy = this.destY[i] - pos.yM[i];
        const dist = Math.hypot(dx, dy);
        const v = this.speed[i];
        if (v <= 0) break;
        if (dist <= v * t) {
          pos.xM[i] = this.destX[i];
          pos.yM[i] = this.destY[i];
          t -= dist / v;
          this.pauseLeft[i] = uniform(this.r, this.pauseS.min, this.pauseS.max);
          this.pickWaypoint(i);
          if (this.pauseLeft[i] === 0 && dist === 0) break; // degenerate: zero-length leg and no pause
        } else {
          pos.xM[i] += (dx / dist) * v * t;
          pos.yM[i] += (dy / dist) * v * t;
          t = 0;
        }
      }
    }
  }
}

/**
 * The scenario's trace, read from `baseDir` (the scenario file's folder) and parsed once: it
 * must still have the content hash recorded when the scenario was loaded.
 */
export function loadTrace(c: TrialConfig, users: number, baseDir: string | null): Trace {
  const m = c.mobility;
  if (m.model !== "trace") throw new Error(`mobility: ${m.model} has no trace`);
  if (baseDir === null) throw new Error("mobility.trace: no scenario folder to read the trace from");
  const path = resolve(baseDir, m.file);
  const text = readTraceText(path);
  if (m.sha256 !== undefined && traceSha256(text) !== m.sha256) throw new Error(`${path}: changed since the scenario was loaded (SHA-256 differs)`);
  return parseTrace(text, path, users, c.area);
}

/**
 * The scenario's mobility model as a TypeScript object: the reference the kernels
 * (assembly/mobility.ts, driven by src/world/motion.ts) are tested against.
 */
export function createMobility(c: TrialConfig, users: number, r: Rng, baseDir: string | null): MobilityModel {
  const m = c.mobility;
  switch (m.model) {
    case "static":
      return new StaticMobility();
    case "randomWaypoint":
      return new RandomWaypoint(users, c.area.widthM, c.area.heightM, m.speedMps, m.pauseS, r);
    case "gaussMarkov":
      return new GaussMarkov(users, c.area.widthM, c.area.heightM, m, r);
    case "trace":
      return new TraceMobility(loadTrace(c, users, baseDir));
  }
}
