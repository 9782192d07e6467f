// The physical layer of one trial: sites, users, their movement, tasks and association.
// It knows nothing of policies; the twin layer reads it, the runner feeds the kernels from it.
import type { TrialConfig } from "../../src/scenario/schema.js";
import { userCount } from "../../src/scenario/users.js";
import { associate } from "../../src/world/association.js";
import { Catalogue } from "../../src/world/catalogue.js";
import { createMobility } from "../../src/world/mobility.js";
import type { MobilityModel, Positions } from "../../src/world/mobility-model.js";
import { stream, uniform } from "../../src/world/rng.js";
import { placeSites, type Sites } from "../../src/world/topology.js";
import { Traffic } from "../../src/world/traffic.js";

// The TypeScript world before the slot moved into the kernels (src/world/world.ts at 7b5c312):
// the reference the kernel pipeline is tested against, on the same streams.
export class WorldTs {
  readonly sites: Sites;
  readonly users: number;
  readonly pos: Positions;
  readonly powerMw: Float64Array;
  readonly cpuHz: Float64Array;
  /** Serving site (cell) of each user, refreshed every slot. */
  readonly serving: Int32Array;
  readonly traffic: Traffic;
  readonly catalogue: Catalogue | undefined;
  private readonly mobility: MobilityModel;

  /** `baseDir`: the scenario file's folder, where trace files are found. */
  constructor(readonly config: TrialConfig, seed: number | string, baseDir: string | null = null) {
    this.sites = placeSites(config, stream(seed, "topology"));
    this.users = userCount(config);
    const place = stream(seed, "placement");
    this.pos = { xM: new Float64Array(this.users), yM: new Float64Array(this.users) };
    for (let i = 0; i < this.users; i++) {
      this.pos.xM[i] = uniform(place, 0, config.area.widthM);
      this.pos.yM[i] = uniform(place, 0, config.area.heightM);
    }
    this.powerMw = new Float64Array(this.users).fill(config.users.powerMw);
    this.cpuHz = new Float64Array(this.users).fill(config.users.cpuHz);
    this.serving = new Int32Array(this.users);
    this.mobility = createMobility(config, this.users, stream(seed, "mobility"), baseDir);
    this.mobility.initial?.(this.pos);
    const cat = config.tasks.catalogue;
    this.catalogue = cat ? new Catalogue(cat.types, cat.zipfExponent, config.tasks.bits, config.tasks.cyclesPerBit, stream(seed, "catalogue")) : undefined;
    this.traffic = new Traffic(this.users, config.tasks, stream(seed, "traffic"), this.catalogue);
  }

  /** Moves users (from the second slot on), re-associates them and draws arrivals. */
  advance(slot: number): void {
    if (slot > 0) this.mobility.step(this.pos, this.config.slotS);
    associate(this.config.association, this.sites, this.pos, this.serving);
    this.traffic.arrive(slot);
  }
}
