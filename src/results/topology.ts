// Where the sites stood and where the users were, as data in the result folder:
//   sites.csv          layout, widthM, heightM, site, xM, yM, cpuHz: one row per site of each
//                      distinct layout (the area and every site's position and CPU);
//   layouts.csv        pointIndex, <sweep axes>, seed, layout: the layout of every world a
//                      trial of the folder ran on (the world is the seed's, whatever the policy);
//   users-snapshot.csv layout, pointIndex, seed, slot, user, xM, yM, site: the users of one
//                      world per drawn layout at slot 0, with their serving site.
// src/sweep/topology.ts computes them from the simulation's own world; the topology figure
// (figures/topology.ts) and the report read them back from here.
import { join } from "node:path";
import { readRegularFile } from "../io/safe-read.js";
import { InputError } from "../validation.js";
import { csvLine, readCsvTable } from "./csv.js";

type AxisValue = number | string | boolean;

export const TOPOLOGY_FILES = { sites: "sites.csv", layouts: "layouts.csv", users: "users-snapshot.csv" } as const;

/** sites.csv's header (topologyCsvs writes it; readTopology and the report check the file against it). */
export const SITES_HEADER = ["layout", "widthM", "heightM", "site", "xM", "yM", "cpuHz"] as const;
const USERS_HEADER = ["layout", "pointIndex", "seed", "slot", "user", "xM", "yM", "site"] as const;

/** One distinct site layout: the area and its sites. */
export interface SiteLayout {
  /** "L1", "L2", ...: numbered in order of first use, the snapshot seed's worlds first. */
  id: string;
  widthM: number;
  heightM: number;
  xM: number[];
  yM: number[];
  cpuHz: number[];
}

/** The layout the world of one sweep point and seed stood on. */
export interface LayoutUse {
  pointIndex: number;
  point: Record<string, AxisValue>;
  seed: number;
  layout: string;
}

/** The users of one world at one slot: positions (m) and serving site. */
export interface UserSnapshot {
  layout: string;
  pointIndex: number;
  seed: number;
  slot: number;
  xM: number[];
  yM: number[];
  site: number[];
}

export interface TopologyData {
  /** The sweep axes: the point columns of layouts.csv. */
  axes: string[];
  layouts: SiteLayout[];
  /** In expansion order: point, then seed. */
  uses: LayoutUse[];
  /** One per drawn layout, in layout order. */
  snapshots: UserSnapshot[];
}

/** The three files' texts (run writes them through ResultSet.write; merge copies a shard's). */
export function topologyCsvs(d: TopologyData): Record<keyof typeof TOPOLOGY_FILES, string> {
  let sites = csvLine(SITES_HEADER);
  for (const l of d.layouts) for (let j = 0; j < l.xM.length; j++) sites += csvLine([l.id, l.widthM, l.heightM, j, l.xM[j], l.yM[j], l.cpuHz[j]]);
  let layouts = csvLine(["pointIndex", ...d.axes, "seed", "layout"]);
  for (const u of d.uses) layouts += csvLine([u.pointIndex, ...d.axes.map((a) => u.point[a]), u.seed, u.layout]);
  let users = csvLine(USERS_HEADER);
  for (const s of d.snapshots) for (let i = 0; i < s.xM.length; i++) users += csvLine([s.layout, s.pointIndex, s.seed, s.slot, i, s.xM[i], s.yM[i], s.site[i]]);
  return { sites, layouts, users };
}

/** The most a topology file may hold: bounds what a planted file can take. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

function readTable(dir: string, file: string): { path: string; header: string[]; rows: string[][] } | null {
  const path = join(dir, file);
  const r = readRegularFile(path, MAX_FILE_BYTES);
  if ("missing" in r) return null;
  if ("problem" in r) throw new InputError(path, [r.problem]);
  const t = readCsvTable(r.text);
  if ("problem" in t) throw new InputError(path, [t.problem]);
  return { path, ...t };
}

/** The columns `names` of a table, each as a function of a row; a missing column is an InputError. */
function columns(t: { path: string; header: string[] }, names: readonly string[]): ((row: string[]) => string)[] {
  return names.map((name) => {
    const k = t.header.indexOf(name);
    if (k < 0) throw new InputError(t.path, [`${name}: no such column (the header is ${t.header.join(",")})`]);
    return (row: string[]) => row[k] ?? "";
  });
}

function num(path: string, line: number, field: string, text: string): number {
  const v = Number(text);
  if (text === "" || !Number.isFinite(v)) throw new InputError(path, [`line ${line}: ${field}: expected a number, got ${JSON.stringify(text.slice(0, 40))}`]);
  return v;
}

/**
 * sites.csv and users-snapshot.csv of `dir`, for the topology figure (layouts.csv is for readers; the figure needs
 * only the layouts and the snapshots); null when the folder has no sites.csv (written before
 * it existed). A malformed file is an InputError naming it, its line and column.
 */
export function readTopology(dir: string): Pick<TopologyData, "layouts" | "snapshots"> | null {
  const s = readTable(dir, TOPOLOGY_FILES.sites);
  if (s === null) return null;
  const [id, w, h, site, x, y, cpu] = columns(s, SITES_HEADER);
  const layouts = new Map<string, SiteLayout>();
  s.rows.forEach((row, k) => {
    const line = k + 2;
    let l = layouts.get(id(row));
    if (!l) layouts.set(id(row), (l = { id: id(row), widthM: num(s.path, line, "widthM", w(row)), heightM: num(s.path, line, "heightM", h(row)), xM: [], yM: [], cpuHz: [] }));
    if (num(s.path, line, "site", site(row)) !== l.xM.length) throw new InputError(s.path, [`line ${line}: site: expected ${l.xM.length} (sites of a layout in index order)`]);
    l.xM.push(num(s.path, line, "xM", x(row)));
    l.yM.push(num(s.path, line, "yM", y(row)));
    l.cpuHz.push(num(s.path, line, "cpuHz", cpu(row)));
  });
  const snapshots: UserSnapshot[] = [];
  const u = readTable(dir, TOPOLOGY_FILES.users);
  if (u !== null) {
    const [lay, point, seed, slot, user, ux, uy, serving] = columns(u, USERS_HEADER);
    let current: UserSnapshot | undefined;
    u.rows.forEach((row, k) => {
      const line = k + 2;
      if (!current || current.layout !== lay(row)) {
        if (!layouts.has(lay(row))) throw new InputError(u.path, [`line ${line}: layout: ${JSON.stringify(lay(row).slice(0, 40))} is not in ${TOPOLOGY_FILES.sites}`]);
        current = { layout: lay(row), pointIndex: num(u.path, line, "pointIndex", point(row)), seed: num(u.path, line, "seed", seed(row)), slot: num(u.path, line, "slot", slot(row)), xM: [], yM: [], site: [] };
        snapshots.push(current);
      }
      if (num(u.path, line, "user", user(row)) !== current.xM.length) throw new InputError(u.path, [`line ${line}: user: expected ${current.xM.length} (users of a snapshot in index order)`]);
      current.xM.push(num(u.path, line, "xM", ux(row)));
      current.yM.push(num(u.path, line, "yM", uy(row)));
      current.site.push(num(u.path, line, "site", serving(row)));
    });
  }
  return { layouts: [...layouts.values()], snapshots };
}
