// The pure-TS twin of assembly/site-lookup.ts's query (the lookup is built by src/kernels/site-lookup.ts).

/** Twin of lookupNearest in assembly/site-lookup.ts: the nearest site to (x, y), or -1 outside the lookup. */
export function lookupNearest(
  f: Float64Array, I: Int32Array, x: number, y: number, siteX: number, siteY: number,
  gx: number, gy: number, x0M: number, y0M: number, invCellM: number, start: number, cand: number,
): number {
  const fx = (x - x0M) * invCellM, fy = (y - y0M) * invCellM;
  if (!(fx >= 0 && fy >= 0 && fx < gx && fy < gy)) return -1;
  const c = (start >>> 2) + Math.trunc(fy) * gx + Math.trunc(fx), end = I[c + 1], sx = siteX >>> 3, sy = siteY >>> 3, cd = cand >>> 2;
  let best = -1, bestD2 = Infinity;
  for (let s = I[c]; s < end; s++) {
    const j = I[cd + s];
    const dx = f[sx + j] - x, dy = f[sy + j] - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) { bestD2 = d2; best = j; }
  }
  return best;
}
