import seedrandom from "seedrandom";
import type { SlotLayout } from "../layout.js";

/** For parity tests and benchmarks. Fills a layout with a random but valid slot: positions, tasks, decisions (some migrating). */
export function fillRandomSlot(L: SlotLayout, m: number, n: number, seed: string): void {
  const r = seedrandom.alea(seed);
  for (let j = 0; j < n; j++) {
    L.siteX[j] = r() * 500;
    L.siteY[j] = r() * 500;
    L.siteCpuHz[j] = 1e9 + r() * 2e10;
  }
  for (let i = 0; i < m; i++) {
    const near = r() < 0.05; // within the 1 m clamp of a site
    const s = Math.floor(r() * n);
    L.userX[i] = near ? L.siteX[s] + r() * 0.5 : r() * 500;
    L.userY[i] = near ? L.siteY[s] : r() * 500;
    L.powerMw[i] = 10 + r() * 190;
    L.userCpuHz[i] = 1e8 + r() * 9e8;
    L.active[i] = r() < 0.9 ? 1 : 0;
    L.bits[i] = 1e4 + r() * 2e6;
    L.cyclesPerBit[i] = 100 + r() * 900;
    L.deadlineS[i] = 0.2 + r() * 2;
    const pick = r();
    L.theta[i] = pick < 0.2 ? 1 : pick < 0.4 ? 0 : pick < 0.6 ? 0.25 * Math.floor(r() * 4) : r();
    L.server[i] = s;
    const migrate = n > 1 && r() < 0.3;
    L.migrateTo[i] = migrate ? (s + 1 + Math.floor(r() * (n - 1))) % n : -1;
    L.beta[i] = migrate ? r() * (1 - L.theta[i]) : 0;
  }
}
