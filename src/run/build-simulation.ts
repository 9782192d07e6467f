// The one place a simulation is wired: world, twin, kernels, layout and the slot's control
// units from a trial config. The trial runner (evaluation and training episodes), the
// PettingZoo-style environment, the benchmarks and the tests all build through here, so they
// all simulate the same system.
import { AuthControl } from "../control/auth-control.js";
import { MigrationControl } from "../control/migration.js";
import { createKernels, type Backend, type Kernels } from "../kernels/index.js";
import type { SlotLayout } from "../layout.js";
import type { TrialConfig } from "../scenario/schema.js";
import { TwinLayer } from "../twin/twin-layer.js";
import { World } from "../world/world.js";
import { Simulation, type ControlUnits } from "./simulation.js";
import { userCount } from "../scenario/users.js";
import type { TaskLog } from "./task-log.js";

export interface BuildOptions {
  /** The world's seed: a trial's seed, or a training episode's (`<seed>/train<e>`). */
  seed: number | string;
  backend: Backend;
  /** Where a trace file is read from (the scenario's folder). */
  baseDir?: string | null;
  taskLog?: TaskLog;
  /** The trusted authority's seed (default `seed`): one authority across a trial's episodes. */
  authSeed?: number | string;
  /**
   * The kernels and layout to run on: a trial passes its own to every episode, so its
   * episodes and its learner's tables share one kernel memory. Absent: a fresh memory.
   */
  kernels?: { k: Kernels; L: SlotLayout };
}

/** Fresh kernels (a kernel memory of their own) and a layout sized for the simulation. */
export function kernelsFor(backend: Backend, users: number, sites: number): { k: Kernels; L: SlotLayout } {
  const k = createKernels(backend);
  return { k, L: k.createLayout(users, sites) };
}

/**
 * A simulation of `c` at seed `o.seed`, its world, twin and metric sums in the kernels' memory.
 * Later episodes reuse it: `sim.reset(seed)`.
 */
export function buildSimulation(c: TrialConfig, o: BuildOptions): Simulation {
  const users = userCount(c);
  const { k, L } = o.kernels ?? kernelsFor(o.backend, users, c.sites.count);
  if (k.backend !== o.backend) throw new TypeError(`buildSimulation: kernels of backend ${k.backend}, asked for ${o.backend}`);
  const world = new World(c, o.seed, o.baseDir ?? null, k.machine);
  // A reset to another seed builds the units a fresh simulation of that seed would have.
  const units = (seed: number | string): ControlUnits => ({
    migration: c.migration.mode === "off" ? undefined
      : new MigrationControl(c.migration, { channel: c.channel, slotS: c.slotS, backhaulRateBps: c.channel.backhaulRateBps }, users),
    auth: c.auth.mode === "off" ? undefined
      : new AuthControl(c.auth, { backhaulRateBps: c.channel.backhaulRateBps }, o.authSeed ?? seed, users, c.sites.count),
  });
  return new Simulation(world, new TwinLayer(world, c.twin, L), k, L, { params: c.channel, slotS: c.slotS, seed: o.seed, units, taskLog: o.taskLog });
}
