// The cells of a site layout: each site's nearest-site (Voronoi) cell, clipped to the area,
// computed exactly by clipping the area's rectangle with the half-plane "closer to site i than
// to site j" for every other site j (Sutherland-Hodgman; each cell is convex). This is the
// cell of docs/model.md's `nearest` association: ties go to the lower site index, so of two
// sites at one point the higher one has an empty cell. A cell edge remembers which bisector
// cut it, which gives the cells' neighbours, and from them colours no two neighbours share.

export interface Point2 {
  x: number;
  y: number;
}

/** One cell: its vertices counter-clockwise (no repeat of the first), and the sites it shares an edge with. */
export interface Cell {
  vertices: Point2[];
  neighbours: number[];
}

/** A vertex and the bisector (a site index) or rectangle side (-1) of the edge from it to the next. */
interface TaggedVertex extends Point2 {
  edge: number;
}

/** Shorter edges than this share of the area's diagonal are rounding, not a border. */
const MIN_EDGE_SHARE = 1e-9;

/** Keeps the part of `poly` where `f` ≤ 0 (f affine); a new edge along f = 0 is tagged `tag`. */
function clip(poly: TaggedVertex[], f: (p: Point2) => number, tag: number): TaggedVertex[] {
  const out: TaggedVertex[] = [];
  const n = poly.length;
  for (let k = 0; k < n; k++) {
    const a = poly[k], b = poly[(k + 1) % n];
    const fa = f(a), fb = f(b);
    const aIn = fa <= 0, bIn = fb <= 0;
    if (aIn) out.push(a);
    if (aIn !== bIn) {
      const t = fa / (fa - fb);
      const p = { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
      // Leaving: the next edge runs along the cut; entering: it is the rest of a -> b.
      out.push({ ...p, edge: aIn ? tag : a.edge });
    }
  }
  return out;
}

/** Drops a vertex equal to the one after it (a cut through a vertex gives one twice). */
function dedupe(poly: TaggedVertex[]): TaggedVertex[] {
  return poly.filter((v, k) => {
    const w = poly[(k + 1) % poly.length];
    return poly.length === 1 || v.x !== w.x || v.y !== w.y;
  });
}

/**
 * The cell of every site in the rectangle [0, widthM] x [0, heightM] (the topology figure and
 * its tests call it). O(n² x vertices): exact for the few hundred sites a figure shows.
 */
export function voronoiCells(xM: ArrayLike<number>, yM: ArrayLike<number>, widthM: number, heightM: number): Cell[] {
  const n = xM.length;
  const minEdge = MIN_EDGE_SHARE * Math.hypot(widthM, heightM);
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    let poly: TaggedVertex[] = [
      { x: 0, y: 0, edge: -1 }, { x: widthM, y: 0, edge: -1 }, { x: widthM, y: heightM, edge: -1 }, { x: 0, y: heightM, edge: -1 },
    ];
    const xi = xM[i], yi = yM[i];
    for (let j = 0; j < n && poly.length > 0; j++) {
      if (j === i) continue;
      const dx = xM[j] - xi, dy = yM[j] - yi;
      if (dx === 0 && dy === 0) {
        // Two sites at one point: the lower index serves it all.
        if (j < i) poly = [];
        continue;
      }
      const mx = (xM[j] + xi) / 2, my = (yM[j] + yi) / 2;
      // Closer to j than to i exactly where (s_j - s_i) . (p - midpoint) > 0.
      poly = dedupe(clip(poly, (p) => dx * (p.x - mx) + dy * (p.y - my), j));
    }
    if (poly.length < 3) poly = [];
    const neighbours = new Set<number>();
    poly.forEach((v, k) => {
      const w = poly[(k + 1) % poly.length];
      if (v.edge >= 0 && Math.hypot(w.x - v.x, w.y - v.y) > minEdge) neighbours.add(v.edge);
    });
    cells.push({ vertices: poly.map(({ x, y }) => ({ x, y })), neighbours: [...neighbours] });
  }
  // Symmetric, whatever rounding kept on one side of a border only.
  cells.forEach((c, i) => c.neighbours.forEach((j) => { if (!cells[j].neighbours.includes(i)) cells[j].neighbours.push(i); }));
  for (const c of cells) c.neighbours.sort((a, b) => a - b);
  return cells;
}

/** The area of a polygon (shoelace formula); positive for counter-clockwise vertices. The tests check cells with it. */
export function polygonArea(vertices: readonly Point2[]): number {
  let twice = 0;
  for (let k = 0; k < vertices.length; k++) {
    const a = vertices[k], b = vertices[(k + 1) % vertices.length];
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

/**
 * A colour index per cell (the topology figure tints cells with it) such that no two neighbours share one: greedy in the order of the
 * fewest neighbours last removed (smallest-last), which needs at most 6 colours on a planar
 * map such as this one; with `count` colours fewer than needed, colours wrap round.
 */
export function cellColours(cells: readonly Cell[], count: number): number[] {
  const n = cells.length;
  const degree = cells.map((c) => c.neighbours.length);
  const removed = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  for (let step = 0; step < n; step++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!removed[i] && (best < 0 || degree[i] < degree[best])) best = i;
    removed[best] = true;
    order.push(best);
    for (const j of cells[best].neighbours) if (!removed[j]) degree[j]--;
  }
  const colour = new Array<number>(n).fill(-1);
  for (const i of order.reverse()) {
    const taken = new Set(cells[i].neighbours.map((j) => colour[j]));
    let c = 0;
    while (taken.has(c)) c++;
    colour[i] = c % count;
  }
  return colour;
}
