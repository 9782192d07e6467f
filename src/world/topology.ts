// Where the sites stand and what CPU they have.
import type { TrialConfig } from "../scenario/schema.js";
import { uniform, type Rng } from "./rng.js";

export interface Sites {
  count: number;
  xM: Float64Array;
  yM: Float64Array;
  cpuHz: Float64Array;
}

/**
 * Rows x columns for `count` grid sites: few empty cells and cells close to the area's
 * aspect (15 sites in a square -> 3 x 5). Sites stand at the centres of the first cells.
 */
export function gridShape(count: number, widthM: number, heightM: number): { rows: number; cols: number } {
  let best = { rows: 1, cols: count, score: Infinity };
  for (let rows = 1; rows <= count; rows++) {
    const cols = Math.ceil(count / rows);
    const score = 1.5 * (rows * cols - count) + 2 * Math.abs(Math.log(cols / rows / (widthM / heightM)));
    if (score < best.score) best = { rows, cols, score };
  }
  return { rows: best.rows, cols: best.cols };
}

export function placeSites(c: TrialConfig, r: Rng): Sites {
  const n = c.sites.count;
  const s: Sites = { count: n, xM: new Float64Array(n), yM: new Float64Array(n), cpuHz: new Float64Array(n) };
  const { widthM, heightM } = c.area;
  if (c.sites.placement === "grid") {
    const { cols, rows } = gridShape(n, widthM, heightM);
    for (let j = 0; j < n; j++) {
      s.xM[j] = ((j % cols) + 0.5) * (widthM / cols);
      s.yM[j] = (Math.floor(j / cols) + 0.5) * (heightM / rows);
    }
  } else if (c.sites.placement === "random") {
    for (let j = 0; j < n; j++) {
      s.xM[j] = uniform(r, 0, widthM);
      s.yM[j] = uniform(r, 0, heightM);
    }
  } else {
    c.sites.positions!.forEach((p, j) => {
      s.xM[j] = p.xM;
      s.yM[j] = p.yM;
    });
  }
  const cpu = c.sites.cpuHz;
  for (let j = 0; j < n; j++) s.cpuHz[j] = Array.isArray(cpu) ? cpu[j] : cpu;
  return s;
}
