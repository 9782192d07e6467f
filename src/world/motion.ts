// The users' placement, movement and association, in kernel memory: the slot's mobility and
// association stages as one or two kernel calls (assembly/mobility.ts, assembly/association.ts),
// replacing World's per-user loops over src/world/mobility.ts, gauss-markov.ts and
// association.ts. Everything is allocated once on the Machine; `reset(seed)` re-seeds the
// streams and re-places the users in place, so a training episode reuses the buffers.
//
// Semantics are today's, with one change: draws come from the kernels' xoshiro128** streams
// "placement" and "mobility" (src/kernels/rng-seed.ts), not from seedrandom's alea, so the
// same seed gives other (equally distributed) positions than before the port.
import { gridGeometry, maxGridCells } from "../kernels/association-js.js";
import { SiteLookup } from "../kernels/site-lookup.js";
import type { Heap } from "../kernels/heap.js";
import type { Machine } from "../kernels/machine.js";
import { streamState } from "../kernels/rng-seed.js";
import type { TrialConfig } from "../scenario/schema.js";
import type { MobilityModel } from "./mobility-model.js";
import type { Sites } from "./topology.js";

/** The edge margin of Gauss-Markov, as a fraction of the area's smaller side (as src/world/gauss-markov.ts). */
const EDGE_MARGIN_FRACTION = 0.1;

/** Per-user f64 arrays of each model's state: random waypoint destX, destY, speed, pauseLeft; Gauss-Markov speed, dir, meanDir. */
const STATE_ARRAYS = { static: 0, randomWaypoint: 4, gaussMarkov: 3, trace: 0 } as const;

export interface MotionOptions {
  /**
   * Trace mobility: a fresh replayer of the parsed trace for each episode (e.g. a
   * TraceMobility); it writes the users' positions into the views at reset and every step.
   */
  trace?: () => MobilityModel;
}

export class Motion {
  /** Positions (m) and serving site of each user: views over kernel memory, re-created when it grows. */
  xM!: Float64Array;
  yM!: Float64Array;
  serving!: Int32Array;
  /** Users per site after a least-loaded association (zeros under "nearest"). */
  load!: Int32Array;
  readonly siteCount: number;
  private readonly k: number;
  private readonly rngPlace: number;
  private readonly rngMove: number;
  private readonly x: number;
  private readonly y: number;
  private readonly state: number[];
  private readonly servingP: number;
  private readonly loadP: number;
  private readonly siteX: number;
  private readonly siteY: number;
  private readonly cellStart: number;
  private readonly cellSites: number;
  private readonly idx: number;
  private readonly d2: number;
  private grid = { gx: 1, gy: 1, x0M: 0, y0M: 0, cellM: 1 };
  /** The nearest-site lookup (rule "nearest"; off for "leastLoaded"). */
  private readonly lookup: SiteLookup;
  private replay: MobilityModel | undefined;
  private heap!: Heap;

  constructor(
    private readonly machine: Machine,
    private readonly config: Pick<TrialConfig, "area" | "mobility" | "association">,
    readonly users: number,
    sites: Sites,
    seed: number | string,
    private readonly options: MotionOptions = {},
  ) {
    const mob = config.mobility;
    if (!Object.hasOwn(STATE_ARRAYS, mob.model)) throw new Error(`mobility.model: unknown model ${JSON.stringify(mob.model)}`);
    if (mob.model === "gaussMarkov" && !(mob.alpha >= 0 && mob.alpha <= 1)) throw new RangeError(`GaussMarkov: alpha must be in [0, 1], got ${mob.alpha}`);
    if (mob.model === "trace" && !options.trace) throw new Error("Motion: trace mobility needs options.trace");
    const m = machine, n = sites.count;
    this.siteCount = n;
    this.k = config.association.rule === "nearest" ? 1 : config.association.candidates;
    this.rngPlace = m.alloc(16);
    this.rngMove = m.alloc(16);
    this.x = m.alloc(8 * users);
    this.y = m.alloc(8 * users);
    this.state = Array.from({ length: STATE_ARRAYS[mob.model] }, () => m.alloc(8 * users));
    this.servingP = m.alloc(4 * users);
    this.loadP = m.alloc(4 * n);
    this.siteX = m.alloc(8 * n);
    this.siteY = m.alloc(8 * n);
    this.cellStart = m.alloc(4 * (maxGridCells(n) + 1));
    this.cellSites = m.alloc(4 * n);
    this.idx = m.alloc(4 * this.k);
    this.d2 = m.alloc(8 * this.k);
    this.lookup = new SiteLookup(m, config.association.rule === "nearest" ? n : 0);
    m.bind((h) => {
      this.heap = h;
      this.xM = h.f64.subarray(this.x >>> 3, (this.x >>> 3) + users);
      this.yM = h.f64.subarray(this.y >>> 3, (this.y >>> 3) + users);
      this.serving = h.i32.subarray(this.servingP >>> 2, (this.servingP >>> 2) + users);
      this.load = h.i32.subarray(this.loadP >>> 2, (this.loadP >>> 2) + n);
    });
    this.reset(seed, sites);
  }

  /**
   * A new episode: re-seeds the "placement" and "mobility" streams of `seed`, places the users
   * uniformly (or at the trace's first positions) and draws the model's initial state; with
   * `sites` (same count), moves the sites and rebuilds their grid. Allocates nothing.
   */
  reset(seed: number | string, sites?: Sites): void {
    if (sites) this.setSites(sites);
    const h = this.heap, f = this.machine.fns, m = this.users, c = this.config, W = c.area.widthM, H = c.area.heightM;
    h.u32.set(streamState(seed, "placement"), this.rngPlace >>> 2);
    h.u32.set(streamState(seed, "mobility"), this.rngMove >>> 2);
    f.placeUniform(m, this.rngPlace, this.x, this.y, W, H);
    const mob = c.mobility, s = this.state;
    if (mob.model === "randomWaypoint") f.rwpInit(m, this.rngMove, s[0], s[1], s[2], s[3], W, H, mob.speedMps.min, mob.speedMps.max);
    else if (mob.model === "gaussMarkov") f.gmInit(m, this.rngMove, s[0], s[1], s[2], mob.meanSpeedMps);
    else if (mob.model === "trace") {
      this.replay = this.options.trace!();
      this.replay.initial?.({ xM: this.xM, yM: this.yM });
    }
  }

  /** Moves the sites (same count) and rebuilds the grid (one kernel call) and the nearest-site lookup over them. */
  setSites(sites: Sites): void {
    if (sites.count !== this.siteCount) throw new RangeError(`Motion: ${sites.count} sites, allocated for ${this.siteCount}`);
    const n = sites.count;
    this.heap.f64.set(sites.xM.subarray(0, n), this.siteX >>> 3);
    this.heap.f64.set(sites.yM.subarray(0, n), this.siteY >>> 3);
    this.grid = gridGeometry(n, sites.xM, sites.yM);
    const g = this.grid;
    this.machine.fns.gridBuild(n, this.siteX, this.siteY, g.gx, g.gy, g.x0M, g.y0M, g.cellM, this.cellStart, this.cellSites);
    this.lookup.build(sites.xM, sites.yM, this.config.area);
  }

  /** One slot: moves the users by dtS seconds (from the second slot on), then associates them. */
  step(slot: number, dtS: number): void {
    if (slot > 0) this.move(dtS);
    this.associate();
  }

  /** Moves every user by dtS seconds: one kernel call (none for static; the replayer for a trace). */
  move(dtS: number): void {
    const f = this.machine.fns, m = this.users, c = this.config, W = c.area.widthM, H = c.area.heightM, mob = c.mobility, s = this.state;
    switch (mob.model) {
      case "static":
        return;
      case "randomWaypoint":
        return f.rwpStep(m, this.rngMove, this.x, this.y, s[0], s[1], s[2], s[3], dtS, W, H, mob.speedMps.min, mob.speedMps.max, mob.pauseS.min, mob.pauseS.max);
      case "gaussMarkov":
        return f.gmStep(m, this.rngMove, this.x, this.y, s[0], s[1], s[2], dtS, W, H, EDGE_MARGIN_FRACTION * Math.min(W, H), mob.alpha, mob.meanSpeedMps, mob.speedSdMps, mob.directionSdRad);
      case "trace":
        return this.replay!.step({ xM: this.xM, yM: this.yM }, dtS);
    }
  }

  /** The association rule of the config over the current positions: one kernel call. */
  associate(): void {
    const f = this.machine.fns, g = this.grid, n = this.siteCount, L = this.lookup;
    if (this.config.association.rule === "nearest") {
      f.associateNearest(this.users, this.x, this.y, n, this.siteX, this.siteY, g.gx, g.gy, g.x0M, g.y0M, g.cellM, this.cellStart, this.cellSites, this.servingP, this.idx, this.d2,
        L.gx, L.gy, L.x0M, L.y0M, L.invCellM, L.start, L.cand);
    } else {
      f.associateLeastLoaded(this.users, this.x, this.y, this.k, n, this.siteX, this.siteY, g.gx, g.gy, g.x0M, g.y0M, g.cellM, this.cellStart, this.cellSites, this.servingP, this.loadP, this.idx, this.d2);
    }
  }

  /**
   * The k nearest sites of m query points (f64 [m] at byte offsets qx, qy) into out (i32 [m·k]),
   * closest first, ties to the lower index, -1 past the site count; d2Scratch: f64 [k]. For the
   * twin's velocity predictor and the learners' encoding: one kernel call.
   */
  nearestSites(m: number, qx: number, qy: number, k: number, out: number, d2Scratch: number): void {
    const g = this.grid;
    this.machine.fns.nearestSites(m, qx, qy, k, this.siteCount, this.siteX, this.siteY, g.gx, g.gy, g.x0M, g.y0M, g.cellM, this.cellStart, this.cellSites, out, d2Scratch);
  }
}
