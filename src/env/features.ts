// The agents' observation features beside the tabular state (src/policy/encoding.ts): what a
// neural policy gets, each a non-negative float32 read from the twin's observation (never the
// true state). Inactive agents' task features are 0.
import type { Observation } from "../twin/twin-layer.js";

/** Feature names, in column order (docs/python.md "Observations" says each one's meaning). */
export const FEATURES = ["active", "taskMbit", "localS", "deadlineS", "distCellScales", "cellOthers", "servingLoad", "servingCpuGHz"] as const;

/**
 * Writes row i of `out` (length users x FEATURES) for every user. `activeIn`: active users per
 * cell this slot (the encoder's count); `cellScaleM`: half the mean site spacing (the encoder's).
 */
export function writeFeatures(obs: Observation, activeIn: Int32Array, cellScaleM: number, out: Float32Array): void {
  const F = FEATURES.length, { xM, yM, cpuHz } = obs.sites;
  for (let i = 0; i < obs.users; i++) {
    const row = i * F, cell = obs.serving[i], on = obs.active[i] === 1;
    out[row] = on ? 1 : 0;
    out[row + 1] = on ? obs.bits[i] / 1e6 : 0;
    out[row + 2] = on ? (obs.bits[i] * obs.cyclesPerBit[i]) / obs.userCpuHz[i] : 0;
    out[row + 3] = on ? obs.deadlineS[i] : 0;
    const dx = obs.userX[i] - xM[cell], dy = obs.userY[i] - yM[cell];
    out[row + 4] = Math.sqrt(dx * dx + dy * dy) / cellScaleM;
    out[row + 5] = activeIn[cell] - (on ? 1 : 0);
    out[row + 6] = obs.siteLoad[cell];
    out[row + 7] = cpuHz[cell] / 1e9;
  }
}
