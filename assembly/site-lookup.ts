// The nearest site of a point through the site lookup the host builds (src/kernels/site-lookup.ts):
// a uniform grid of square cells over the sites and the area, each cell listing, in index
// order, every site that can be the nearest to some point of the cell (its Voronoi region meets
// the cell, conservatively). A query is the point's cell and a scan of its few candidates, in
// index order with a strict "<", so ties go to the lower index: exactly the brute-force scan's
// result. Points outside the grid (and every point when the lookup is off, gx = 0) get -1, and
// the caller scans or searches as before.
//
// The lookup arguments, in this order: gx, gy, x0M, y0M, invCellM (1 / the cell side),
// start (i32 [gx·gy + 1]), cand (i32: cell c's candidates at [start[c], start[c + 1])).

/** Called by associateNearest and twinSync (inlined): the nearest site to (x, y), or -1 outside the lookup. */
// @ts-ignore: decorator
@inline
export function lookupNearest(
  x: f64, y: f64, siteX: usize, siteY: usize,
  gx: i32, gy: i32, x0M: f64, y0M: f64, invCellM: f64, start: usize, cand: usize,
): i32 {
  const fx = (x - x0M) * invCellM, fy = (y - y0M) * invCellM;
  if (!(fx >= 0.0 && fy >= 0.0 && fx < <f64>gx && fy < <f64>gy)) return -1;
  const c = <usize>(<i32>fy * gx + <i32>fx) << 2;
  const end = load<i32>(start + c, 4);
  let best = -1, bestD2 = Infinity;
  for (let s = load<i32>(start + c); s < end; s++) {
    const j = load<i32>(cand + (<usize>s << 2));
    const dx = load<f64>(siteX + (<usize>j << 3)) - x, dy = load<f64>(siteY + (<usize>j << 3)) - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) { bestD2 = d2; best = j; }
  }
  return best;
}
