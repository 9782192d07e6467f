// The map: sites and their cells (the area split by nearest site, drawn once per world),
// each site's load, users as dots coloured by their decision and the upload links of the
// offloading ones. Users glide between their positions of the last two slots, so the map
// redraws every animation frame; one path per colour keeps 750 users cheap. As in the topology
// figure (src/results/figures/topology.ts), y points up (site coordinates as in sites.csv) and
// the drawn extent is the area widened to any site standing outside it.
import { CODE } from "./protocol.js";

/** Decision colours and names, in code order (main.ts draws the legend from them). */
export const DECISIONS: readonly { code: number; name: string; colour: string }[] = [
  { code: CODE.idle, name: "no task", colour: "#c9c9c9" },
  { code: CODE.local, name: "local", colour: "#4e79a7" },
  { code: CODE.partial, name: "partial", colour: "#f28e2b" },
  { code: CODE.offloaded, name: "offloaded", colour: "#59a14f" },
  { code: CODE.migrating, name: "migrating", colour: "#b07aa1" },
  { code: CODE.refused, name: "refused", colour: "#e15759" },
];

export interface MapWorld {
  widthM: number;
  heightM: number;
  siteX: Float64Array;
  siteY: Float64Array;
}

export interface MapUsers {
  x: Float32Array;
  y: Float32Array;
  code: Uint8Array;
  server: Int16Array;
  siteLoad: Int32Array;
}

interface Extent { x0: number; x1: number; y0: number; y1: number }

/** x and y ranges drawn, metres: the area, widened to any site standing outside it (as the topology figure's). */
function mapExtent(w: MapWorld): Extent {
  let x0 = 0, x1 = w.widthM, y0 = 0, y1 = w.heightM;
  for (let j = 0; j < w.siteX.length; j++) {
    x0 = Math.min(x0, w.siteX[j]); x1 = Math.max(x1, w.siteX[j]);
    y0 = Math.min(y0, w.siteY[j]); y1 = Math.max(y1, w.siteY[j]);
  }
  return { x0, x1, y0, y1 };
}

const CELL_TINTS = ["#eef3fa", "#fdf1e4", "#edf6ec", "#f6eef5", "#fcebec", "#eef7f7", "#f8f6e6", "#f2eeee"];

/** Draws one world's map on a canvas (web/main.ts owns one). */
export class MapView {
  private readonly ctx: CanvasRenderingContext2D;
  private background: HTMLCanvasElement | undefined;
  private world: MapWorld | undefined;
  private prev: MapUsers | undefined;
  private cur: MapUsers | undefined;
  private arrivedMs = 0;
  private intervalMs = 100;
  private scale = 1;
  /** Canvas x of world x = 0, and canvas y of world y = 0 (y grows upwards: canvas y = offY - y * scale). */
  private offX = 0;
  private offY = 0;
  private readonly px: Float32Array[] = [new Float32Array(0), new Float32Array(0)];

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext("2d", { alpha: false })!;
  }

  setWorld(w: MapWorld): void {
    this.world = w;
    this.prev = this.cur = undefined;
    const e = mapExtent(w);
    const pad = 12, W = this.canvas.width - 2 * pad, H = this.canvas.height - 2 * pad;
    const spanX = e.x1 - e.x0, spanY = e.y1 - e.y0;
    this.scale = Math.min(W / spanX, H / spanY);
    const left = pad + (W - spanX * this.scale) / 2, top = pad + (H - spanY * this.scale) / 2;
    this.offX = left - e.x0 * this.scale;
    this.offY = top + e.y1 * this.scale;
    // The static part (white, cells over the whole extent, the area's border) drawn once, copied 1:1 every frame.
    const cells = this.drawCells(w, e);
    const bg = (this.background = document.createElement("canvas"));
    bg.width = this.canvas.width;
    bg.height = this.canvas.height;
    const g = bg.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, bg.width, bg.height);
    g.imageSmoothingEnabled = false;
    g.drawImage(cells, left, top, spanX * this.scale, spanY * this.scale);
    g.strokeStyle = "#889";
    g.strokeRect(this.offX, this.offY - w.heightM * this.scale, w.widthM * this.scale, w.heightM * this.scale);
  }

  /** No world (a refused scenario): the map is blank until the next one is built. */
  clear(): void {
    this.world = this.background = undefined;
    this.prev = this.cur = undefined;
  }

  /** Canvas coordinates of a world point, metres (y up): for tests and the drawing. */
  toCanvas(xM: number, yM: number): [number, number] {
    return [this.offX + xM * this.scale, this.offY - yM * this.scale];
  }

  /** A new slot's users; `intervalMs` is how long until the next is expected (the glide's length). */
  setUsers(u: MapUsers, intervalMs: number): void {
    this.prev = this.cur && this.cur.x.length === u.x.length ? this.cur : u;
    this.cur = u;
    this.arrivedMs = performance.now();
    this.intervalMs = Math.max(16, intervalMs);
    if (this.px[0].length !== u.x.length) this.px.splice(0, 2, new Float32Array(u.x.length), new Float32Array(u.x.length));
  }

  /** The nearest-site partition over the drawn extent on a coarse grid (row 0 at the top: y up), tinted per site, with its borders darker. */
  private drawCells(w: MapWorld, e: Extent): HTMLCanvasElement {
    const gw = Math.max(1, Math.round(((e.x1 - e.x0) * this.scale) / 3)), gh = Math.max(1, Math.round(((e.y1 - e.y0) * this.scale) / 3));
    const owner = new Int32Array(gw * gh);
    for (let r = 0; r < gh; r++) {
      for (let c = 0; c < gw; c++) {
        const xm = e.x0 + ((c + 0.5) / gw) * (e.x1 - e.x0), ym = e.y1 - ((r + 0.5) / gh) * (e.y1 - e.y0);
        let best = 0, bestD = Infinity;
        for (let j = 0; j < w.siteX.length; j++) {
          const d = (w.siteX[j] - xm) ** 2 + (w.siteY[j] - ym) ** 2;
          if (d < bestD) { bestD = d; best = j; }
        }
        owner[r * gw + c] = best;
      }
    }
    const out = document.createElement("canvas");
    out.width = gw;
    out.height = gh;
    const g = out.getContext("2d")!;
    const img = g.createImageData(gw, gh);
    const rgb = CELL_TINTS.map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
    for (let k = 0; k < owner.length; k++) {
      const c = k % gw, r = (k - c) / gw, o = owner[k];
      const edge = (c + 1 < gw && owner[k + 1] !== o) || (r + 1 < gh && owner[k + gw] !== o);
      const [R, G, B] = rgb[o % rgb.length];
      img.data.set(edge ? [170, 178, 190, 255] : [R, G, B, 255], 4 * k);
    }
    g.putImageData(img, 0, 0);
    return out;
  }

  draw(): void {
    const { ctx, world } = this;
    if (!world || !this.background) {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    const s = this.scale, ox = this.offX, oy = this.offY;
    ctx.drawImage(this.background, 0, 0);
    const u = this.cur, p = this.prev;
    if (u && p) {
      const t = Math.min(1, (performance.now() - this.arrivedMs) / this.intervalMs);
      const [X, Y] = this.px, m = u.x.length;
      for (let i = 0; i < m; i++) {
        X[i] = ox + (p.x[i] + (u.x[i] - p.x[i]) * t) * s;
        Y[i] = oy - (p.y[i] + (u.y[i] - p.y[i]) * t) * s;
      }
      // Upload links: offloading users to the site that serves them.
      ctx.strokeStyle = "rgba(60, 120, 60, 0.35)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < m; i++) {
        const c = u.code[i];
        if (c !== CODE.partial && c !== CODE.offloaded && c !== CODE.migrating) continue;
        const j = u.server[i];
        if (j < 0 || j >= world.siteX.length) continue;
        ctx.moveTo(X[i], Y[i]);
        ctx.lineTo(ox + world.siteX[j] * s, oy - world.siteY[j] * s);
      }
      ctx.stroke();
      for (const d of DECISIONS) {
        ctx.fillStyle = d.colour;
        ctx.beginPath();
        const r = d.code === CODE.idle ? 1.5 : 2.5;
        for (let i = 0; i < m; i++) if (u.code[i] === d.code) ctx.rect(X[i] - r, Y[i] - r, 2 * r, 2 * r);
        ctx.fill();
      }
    }
    // Sites: a square, and a ring whose area grows with the tasks it serves this slot.
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    for (let j = 0; j < world.siteX.length; j++) {
      const x = ox + world.siteX[j] * s, y = oy - world.siteY[j] * s, load = u ? u.siteLoad[j] : 0;
      if (load > 0) {
        ctx.strokeStyle = "rgba(200, 80, 40, 0.8)";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, 6 + 3 * Math.sqrt(load), 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.fillStyle = "#223";
      ctx.fillRect(x - 5, y - 5, 10, 10);
      ctx.fillText(`${load}`, x, y - 9 - (load > 0 ? 3 * Math.sqrt(load) : 0));
    }
  }
}
