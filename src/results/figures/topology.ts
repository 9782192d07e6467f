// The topology figure: the sites of a layout (squares labelled with their index; sites too
// close to label apart share one label, "3,4"), their
// nearest-site cells clipped to the area (voronoi.ts), and the users of one world at one slot,
// each coloured as the cell of the site that serves it. One figure per snapshot in
// users-snapshot.csv, i.e. per drawn layout, from the folder's own data files (sites.csv,
// users-snapshot.csv), in the five files of every figure (spec, data, SVG, PNG, PDF).
import { csvLine } from "../csv.js";
import { readTopology, type SiteLayout, type UserSnapshot } from "../topology.js";
import { openFigureSet, writeFigures, type DrawOptions } from "./index.js";
import type { Layout } from "./size.js";
import { configFor, PALETTE } from "./style.js";
import { cellColours, voronoiCells } from "./voronoi.js";

type Json = Record<string, unknown>;

/** More users than this in a snapshot are thinned to every k-th for the figure (users-snapshot.csv keeps them all). */
const MAX_DRAWN_USERS = 5000;
/** Site labels beyond this many sites would cover the map. */
const MAX_LABELLED_SITES = 60;
/** Cells are tinted with their colour at this opacity; users are drawn in it at full strength. */
const CELL_OPACITY = 0.13;
const CELL_STROKE = "#555555";

/** The figure's name for the snapshot of `layout`: "topology" alone, else "topology-<layout>". */
function topologyFigureName(layout: string, figures: number): string {
  return figures === 1 ? "topology" : `topology-${layout}`;
}

/** x and y ranges drawn: the area, widened to any site standing outside it. */
function extent(l: SiteLayout): { x: [number, number]; y: [number, number] } {
  return {
    x: [Math.min(0, ...l.xM), Math.max(l.widthM, ...l.xM)],
    y: [Math.min(0, ...l.yM), Math.max(l.heightM, ...l.yM)],
  };
}

/**
 * Each site's label: its index, or, for the first of sites standing closer together than
 * `nearM` in both x and y (whose labels would print on top of each other), the indices of
 * them all ("3,4"), the others' labels then empty.
 */
function siteLabels(l: SiteLayout, nearXM: number, nearYM: number): string[] {
  const labels = l.xM.map(() => "");
  const owner = l.xM.map(() => -1);
  for (let j = 0; j < l.xM.length; j++) {
    if (owner[j] >= 0) continue;
    const group = [j];
    for (let i = j + 1; i < l.xM.length; i++) {
      if (owner[i] < 0 && Math.abs(l.xM[i] - l.xM[j]) < nearXM && Math.abs(l.yM[i] - l.yM[j]) < nearYM) {
        owner[i] = j;
        group.push(i);
      }
    }
    labels[j] = group.join(",");
  }
  return labels;
}

/** The figure's data file: one row per cell vertex, site (with its label) and drawn user, with the colour it is drawn in. */
function topologyCsv(l: SiteLayout, s: UserSnapshot, every: number, labels: readonly string[]): string {
  const cells = voronoiCells(l.xM, l.yM, l.widthM, l.heightM);
  const colours = cellColours(cells, PALETTE.length).map((c) => PALETTE[c]);
  let csv = csvLine(["kind", "site", "vertex", "user", "xM", "yM", "colour", "label"]);
  cells.forEach((cell, j) => cell.vertices.forEach((v, k) => { csv += csvLine(["cell", j, k, "", v.x, v.y, colours[j], ""]); }));
  for (let j = 0; j < l.xM.length; j++) csv += csvLine(["site", j, "", "", l.xM[j], l.yM[j], colours[j], labels[j]]);
  for (let i = 0; i < s.xM.length; i += every) csv += csvLine(["user", s.site[i], "", i, s.xM[i], s.yM[i], colours[s.site[i]] ?? "#000000", ""]);
  return csv;
}

/** "1 site", "2 sites". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const only = (kind: string): Json => ({ filter: `datum.kind === ${JSON.stringify(kind)}` });

function topologySpec(name: string, l: SiteLayout, s: UserSnapshot, every: number, layout: Layout): { spec: Json; aspect: number; labels: string[] } {
  const { x, y } = extent(l);
  const aspect = (y[1] - y[0]) / (x[1] - x[0]);
  // The longer side of the plot gets the layout's width; x and y have one scale (1 m is 1 m both ways).
  const side = layout.width;
  const width = Math.round(aspect > 1 ? side / aspect : side);
  const height = Math.round(aspect > 1 ? side : side * aspect);
  const small = layout.pageWidthPt !== null;
  const n = l.xM.length, m = s.xM.length;
  const users = every === 1 ? count(m, "user") : `1 in ${every} of ${m} users`;
  // Labels closer than a label's height (in the drawn plot) would overlap: they merge.
  const labelPx = layout.fonts.label * 1.2;
  const labels = siteLabels(l, (labelPx * (x[1] - x[0])) / width, (labelPx * (y[1] - y[0])) / height);
  const axis = (field: string, title: string, domain: [number, number]) => ({
    field, type: "quantitative", title, scale: { domain, nice: false, zero: false }, axis: { grid: false },
  });
  const spec: Json = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Layout ${l.id}: ${count(n, "site")} (white squares${n <= MAX_LABELLED_SITES ? ", labelled with their index in sites.csv; sites too close to label apart share one label, \"3,4\"" : ""}) in the ` +
      `${l.widthM} m x ${l.heightM} m area, each with its nearest-site cell clipped to the area (the cells of association.rule ` +
      `"nearest"; the colours only tell neighbouring cells apart), and ${users} of the world of seed ${s.seed} at sweep point ` +
      `${s.pointIndex} at slot ${s.slot}, each a dot in the colour of the site serving it. Data: sites.csv, users-snapshot.csv.`,
    title: { text: `Layout ${l.id}: ${count(n, "site")}, ${count(m, "user")}${every === 1 ? "" : ` (1 in ${every} drawn)`} at slot ${s.slot} (seed ${s.seed})`, anchor: "start" },
    usermeta: {
      twinedge: {
        figureSize: layout.size, ...(layout.pageWidthPt !== null ? { widthPt: layout.pageWidthPt } : {}),
        layout: l.id, pointIndex: s.pointIndex, seed: s.seed, slot: s.slot, users: m, usersDrawnEvery: every,
      },
    },
    width, height,
    data: { url: `${name}.data.csv`, format: { type: "csv", parse: { site: "number", vertex: "number", user: "number", xM: "number", yM: "number", label: "string" } } },
    encoding: { x: axis("xM", "x (m)", x), y: axis("yM", "y (m)", y) },
    layer: [
      {
        transform: [only("cell")],
        mark: { type: "line", interpolate: "linear-closed", fillOpacity: CELL_OPACITY, stroke: CELL_STROKE, strokeWidth: small ? 0.6 : 1 },
        encoding: { order: { field: "vertex", type: "quantitative" }, detail: { field: "site", type: "nominal" }, fill: { field: "colour", type: "nominal", scale: null } },
      },
      {
        transform: [only("user")],
        mark: { type: "point", filled: true, size: small ? 4 : 10, opacity: 0.9 },
        encoding: { color: { field: "colour", type: "nominal", scale: null } },
      },
      {
        transform: [only("site")],
        mark: { type: "point", shape: "square", filled: true, fill: "white", stroke: "#000000", strokeWidth: small ? 0.8 : 1.2, size: small ? 24 : 70, opacity: 1 },
      },
      ...(n <= MAX_LABELLED_SITES
        ? [{
          transform: [{ filter: `datum.kind === "site" && datum.label !== ""` }],
          mark: { type: "text", align: "left", baseline: "bottom", dx: small ? 3 : 5, dy: small ? -2 : -4, fontSize: layout.fonts.label, color: "#000000" },
          encoding: { text: { field: "label", type: "nominal" } },
        }]
        : []),
    ],
    config: configFor(layout),
  };
  return { spec, aspect, labels };
}

/**
 * Draws the topology figure of every snapshot in `dir`'s users-snapshot.csv into figures/
 * (run, merge and `twinedge plot` call it) and returns the paths written; none when the
 * folder has no sites.csv. The same files give byte-identical figures.
 */
export async function drawTopology(dir: string, options: DrawOptions = {}): Promise<string[]> {
  const data = readTopology(dir);
  if (data === null || data.snapshots.length === 0) return [];
  const set = openFigureSet(dir, options);
  const written: string[] = [];
  for (const s of data.snapshots) {
    const l = data.layouts.find((x) => x.id === s.layout)!;
    const name = topologyFigureName(s.layout, data.snapshots.length);
    const every = Math.ceil(s.xM.length / MAX_DRAWN_USERS) || 1;
    const { spec, aspect, labels } = topologySpec(name, l, s, every, set.layout);
    // Fitting to a column keeps the area's aspect: the plot's height follows its width.
    written.push(...(await writeFigures({ ...set, layout: { ...set.layout, aspect } }, [{ name, spec, csv: topologyCsv(l, s, every, labels) }])));
  }
  return written;
}
