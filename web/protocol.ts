// Messages between the page (web/main.ts) and the simulator's worker (web/worker.ts).
import type { PolicyName } from "../src/scenario/schema.js";

/** What the page asks: a world to simulate live (or none: unload), a pace, one step, or a whole trial. */
export type Request =
  | { type: "load"; raw: unknown; source: string; name: string; controls: Controls }
  | { type: "run"; slotsPerSecond: number }
  | { type: "pause" }
  | { type: "step" }
  | { type: "unload" }
  | { type: "show"; lane: number }
  | { type: "trial"; raw: unknown; source: string; name: string; controls: Controls; policy: PolicyName };

/** The page's controls, applied to the raw scenario before it is validated (so errors name the scenario's fields). */
export interface Controls {
  /** Policies run side by side on the same world (one lane each). */
  policies: PolicyName[];
  seed: number;
  /** users.perSite, or null to keep the scenario's. */
  usersPerSite: number | null;
  /** Mean task size in bits (tasks.bits becomes "centred" on it, spread 2/3), or null to keep the scenario's. */
  taskMeanBits: number | null;
  /** Which sweep point to run (0 without a sweep). */
  pointIndex: number;
}

/** Decision codes of a user in the shown lane. */
export const CODE = { idle: 0, local: 1, partial: 2, offloaded: 3, migrating: 4, refused: 5 } as const;

export interface LaneSlot {
  policy: PolicyName;
  /** Means over the slot's tasks (null: no task this slot). */
  latencyS: number | null;
  deadlineMissRate: number | null;
  offloadRatio: number | null;
  tasks: number;
}

/** What the worker says ("ended": the live episode reached the scenario's slots; "episode": Run or Step started the next one). */
export type Reply =
  | { type: "ready"; wasmSha256: string; codeHash: string }
  | { type: "world"; name: string; points: string[]; users: number; sites: number; widthM: number; heightM: number; siteX: Float64Array; siteY: Float64Array; policies: PolicyName[]; slots: number; seeds: number[]; effective: unknown }
  | { type: "frame"; steps: { slot: number; lanes: LaneSlot[] }[]; shown: number; x: Float32Array; y: Float32Array; code: Uint8Array; server: Int16Array; siteLoad: Int32Array; slotsPerSecond: number }
  | { type: "ended"; slots: number; episode: number }
  | { type: "episode"; episode: number; seed: string }
  | { type: "trial"; id: string; json: string; ms: number; name: string; effective: unknown }
  | { type: "error"; context: "load" | "trial" | "run"; message: string };
