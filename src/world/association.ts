// Which site serves each user (the cell it is in): the site a user reaches first.
import type { TrialConfig } from "../scenario/schema.js";
import type { Positions } from "./mobility-model.js";
import type { Sites } from "./topology.js";

/** Index of the `k` closest sites to (x, y), closest first; ties go to the lower index. */
export function closestSites(sites: Sites, x: number, y: number, k: number, out: Int32Array, dist2: Float64Array): number {
  const n = Math.min(k, sites.count);
  let filled = 0;
  for (let j = 0; j < sites.count; j++) {
    const dx = sites.xM[j] - x, dy = sites.yM[j] - y;
    const d2 = dx * dx + dy * dy;
    if (filled === n && d2 >= dist2[n - 1]) continue;
    let p = filled < n ? filled++ : n - 1;
    while (p > 0 && dist2[p - 1] > d2) {
      dist2[p] = dist2[p - 1];
      out[p] = out[p - 1];
      p--;
    }
    dist2[p] = d2;
    out[p] = j;
  }
  return n;
}

/**
 * nearest: every user to its closest site. leastLoaded: users in index order join the
 * least-loaded of their `candidates` closest sites (ties to the closer one).
 */
export function associate(c: TrialConfig["association"], sites: Sites, pos: Positions, serving: Int32Array): void {
  const k = c.rule === "nearest" ? 1 : c.candidates;
  const idx = new Int32Array(k);
  const d2 = new Float64Array(k);
  const load = new Int32Array(sites.count);
  for (let i = 0; i < serving.length; i++) {
    const n = closestSites(sites, pos.xM[i], pos.yM[i], k, idx, d2);
    let best = idx[0];
    for (let a = 1; a < n; a++) if (load[idx[a]] < load[best]) best = idx[a];
    serving[i] = best;
    load[best]++;
  }
}
