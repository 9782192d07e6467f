// The topology data of a scenario (src/results/topology.ts says the files): the site layout
// of every world its trials run on, and a snapshot of the users of one world per layout. The
// sites are placed by the world's own function on the world's own stream (src/world/world.ts:
// placeSites on stream(seed, "topology")), and the snapshot's world is built by
// buildSimulation and prepared for slot 0 as a trial's evaluation episode is: nothing here
// draws a position of its own.
import type { Backend } from "../kernels/types.js";
import { buildSimulation } from "../run/build-simulation.js";
import type { LayoutUse, SiteLayout, TopologyData, UserSnapshot } from "../results/topology.js";
import { stream } from "../world/rng.js";
import { placeSites } from "../world/topology.js";
import type { LoadedScenario } from "./load.js";

/** The slot the users are shown at: the evaluation episode's first (positions before any move). */
const SNAPSHOT_SLOT = 0;

/**
 * Every (point, seed) world's layout, numbered L1, L2, ... in order of first appearance going
 * through the first seed's points first, then the other seeds'; the layouts of the first
 * seed's worlds get a snapshot (of the first point that uses each), so the drawn layouts are
 * L1..Lk. `run` calls it with the trials' backend and writes the result beside the records.
 */
export function topologyData(loaded: LoadedScenario, backend: Backend): TopologyData {
  const { scenario, points } = loaded;
  const seeds = scenario.seeds;
  const baseDir = loaded.trials[0]?.baseDir ?? null;
  const byKey = new Map<string, SiteLayout>();
  const layoutOf = new Map<string, string>();
  const snapshots: UserSnapshot[] = [];
  for (const [s, seed] of seeds.entries()) {
    points.forEach((p, pointIndex) => {
      const c = p.config;
      const sites = placeSites(c, stream(seed, "topology"));
      const l: SiteLayout = {
        id: "", widthM: c.area.widthM, heightM: c.area.heightM,
        xM: [...sites.xM], yM: [...sites.yM], cpuHz: [...sites.cpuHz],
      };
      const key = JSON.stringify([l.widthM, l.heightM, l.xM, l.yM, l.cpuHz]);
      let found = byKey.get(key);
      if (!found) {
        byKey.set(key, (found = { ...l, id: `L${byKey.size + 1}` }));
        if (s === 0) snapshots.push(snapshot(loaded, pointIndex, seed, found.id, backend, baseDir));
      }
      layoutOf.set(`${pointIndex}/${seed}`, found.id);
    });
  }
  const uses: LayoutUse[] = [];
  points.forEach((p, pointIndex) => {
    for (const seed of seeds) uses.push({ pointIndex, point: p.values, seed, layout: layoutOf.get(`${pointIndex}/${seed}`)! });
  });
  return { axes: Object.keys(scenario.sweep), layouts: [...byKey.values()], uses, snapshots };
}

/** The users of point `pointIndex`'s world of `seed` at SNAPSHOT_SLOT: positions and serving site, read from the simulation. */
function snapshot(loaded: LoadedScenario, pointIndex: number, seed: number, layout: string, backend: Backend, baseDir: string | null): UserSnapshot {
  const sim = buildSimulation(loaded.points[pointIndex].config, { seed, backend, baseDir, authSeed: seed });
  sim.prepare(SNAPSHOT_SLOT);
  const w = sim.world;
  return { layout, pointIndex, seed, slot: SNAPSHOT_SLOT, xM: [...w.pos.xM], yM: [...w.pos.yM], site: [...w.serving] };
}
