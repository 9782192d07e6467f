// The physical layer of one trial: sites, users, their movement, tasks and association, in
// kernel memory (src/world/motion.ts, src/world/task-queues.ts): a slot's advance is a few
// kernel calls, and `reset(seed)` starts a new episode in the same buffers. It knows nothing
// of policies; the twin layer reads it, the runner feeds the kernels from it.
import { createMachine, type Machine } from "../kernels/machine.js";
import type { TrialConfig } from "../scenario/schema.js";
import { userCount } from "../scenario/users.js";
import { loadTrace } from "./mobility.js";
import type { Positions } from "./mobility-model.js";
import { Motion } from "./motion.js";
import { stream } from "./rng.js";
import { TaskQueues } from "./task-queues.js";
import { placeSites, type Sites } from "./topology.js";
import { TraceMobility } from "./trace.js";

export class World {
  /** Site positions and CPUs (host arrays, re-placed in place by `reset` when the placement is random). */
  readonly sites: Sites;
  readonly users: number;
  readonly powerMw: Float64Array;
  readonly cpuHz: Float64Array;
  readonly motion: Motion;
  readonly traffic: TaskQueues;

  /**
   * `baseDir`: the scenario file's folder, where trace files are found. `machine`: the kernel
   * memory to live in (a trial's; a fresh JS one by default).
   */
  constructor(readonly config: TrialConfig, seed: number | string, baseDir: string | null = null, readonly machine: Machine = createMachine("js")) {
    this.sites = placeSites(config, stream(seed, "topology"));
    this.users = userCount(config);
    this.powerMw = new Float64Array(this.users).fill(config.users.powerMw);
    this.cpuHz = new Float64Array(this.users).fill(config.users.cpuHz);
    const trace = config.mobility.model === "trace" ? loadTrace(config, this.users, baseDir) : undefined;
    this.motion = new Motion(machine, config, this.users, this.sites, seed, trace ? { trace: () => new TraceMobility(trace) } : {});
    this.traffic = new TaskQueues(machine, this.users, config.tasks, seed);
  }

  /** Positions (m) of the users: views over kernel memory. */
  get pos(): Positions {
    return { xM: this.motion.xM, yM: this.motion.yM };
  }

  /** Serving site (cell) of each user, refreshed every slot. */
  get serving(): Int32Array {
    return this.motion.serving;
  }

  /** A new episode of seed `seed`: what a fresh World of that seed would be, in the same buffers. */
  reset(seed: number | string): void {
    const placed = placeSites(this.config, stream(seed, "topology"));
    this.sites.xM.set(placed.xM);
    this.sites.yM.set(placed.yM);
    this.motion.reset(seed, this.sites);
    this.traffic.reset(seed);
  }

  /** Moves users (from the second slot on), re-associates them and draws arrivals: three kernel calls. */
  advance(slot: number): void {
    this.motion.step(slot, this.config.slotS);
    this.traffic.arrive(slot);
  }
}
