// Live line charts: one line per policy of a per-slot metric, over the last slots shown,
// each point the mean of the last SMOOTH slots that had tasks (single slots are noisy).
const WINDOW = 300;
const SMOOTH = 10;

/** Policy colours (web/main.ts names the lines with them). */
export const POLICY_COLOURS: Record<string, string> = {
  local: "#4e79a7", random: "#9c755f", nearest: "#f28e2b", greedy: "#59a14f", il: "#b07aa1", jal: "#e15759", mfq: "#76b7b2", optimum: "#222222",
};

/** One chart (latency, deadline misses or offload ratio), fed a value per policy per slot. */
export class LineChart {
  private readonly ctx: CanvasRenderingContext2D;
  private series: { name: string; raw: (number | null)[]; smooth: (number | null)[] }[] = [];
  private firstSlot = 0;
  private dirty = true;

  /** `ceiling`: the axis never reads above it (a share's 100 %), however high the 10 % headroom would take it. */
  constructor(private readonly canvas: HTMLCanvasElement, private readonly title: string, private readonly format: (v: number) => string, private readonly ceiling = Infinity) {
    this.ctx = canvas.getContext("2d")!;
  }

  reset(names: string[]): void {
    this.series = names.map((name) => ({ name, raw: [], smooth: [] }));
    this.firstSlot = 0;
    this.dirty = true;
  }

  push(slot: number, values: (number | null)[]): void {
    this.series.forEach((s, k) => {
      s.raw.push(values[k]);
      const last = s.raw.slice(-SMOOTH).filter((v): v is number => v !== null);
      s.smooth.push(last.length ? last.reduce((a, b) => a + b, 0) / last.length : null);
      if (s.raw.length > WINDOW) {
        s.raw.shift();
        s.smooth.shift();
      }
    });
    this.firstSlot = slot + 1 - (this.series[0]?.smooth.length ?? 0);
    this.dirty = true;
  }

  /** The shown value of each line at the last slot (the test reads them through the page's state). */
  latest(): (number | null)[] {
    return this.series.map((s) => s.smooth[s.smooth.length - 1] ?? null);
  }

  draw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { ctx, canvas } = this, W = canvas.width, H = canvas.height, L = 52, R = 8, T = 22, B = 22;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    let max = 0;
    for (const s of this.series) for (const v of s.smooth) if (v !== null && v > max) max = v;
    max = max > 0 ? Math.min(max * 1.1, Math.max(max, this.ceiling)) : Math.min(1, this.ceiling);
    ctx.fillStyle = "#222";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "left";
    const last = this.firstSlot + (this.series[0]?.smooth.length ?? 0) - 1;
    ctx.fillText(`${this.title} (mean of last ${SMOOTH} slots)${last >= this.firstSlot ? ` · slots ${this.firstSlot}–${last}` : ""}`, L, 14);
    ctx.strokeStyle = "#ccc";
    ctx.beginPath();
    ctx.moveTo(L, T);
    ctx.lineTo(L, H - B);
    ctx.lineTo(W - R, H - B);
    ctx.stroke();
    ctx.textAlign = "right";
    ctx.fillText(this.format(max), L - 4, T + 8);
    ctx.fillText(this.format(0), L - 4, H - B);
    const x = (k: number) => L + (k / (WINDOW - 1)) * (W - L - R), y = (v: number) => H - B - (v / max) * (H - T - B);
    let legendX = W - R;
    ctx.textAlign = "right";
    for (const s of [...this.series].reverse()) {
      ctx.fillStyle = POLICY_COLOURS[s.name] ?? "#000";
      ctx.fillText(s.name, legendX, H - 6);
      legendX -= ctx.measureText(s.name).width + 10;
    }
    ctx.lineWidth = 1.5;
    for (const s of this.series) {
      ctx.strokeStyle = POLICY_COLOURS[s.name] ?? "#000";
      ctx.beginPath();
      let pen = false;
      s.smooth.forEach((v, k) => {
        if (v === null) { pen = false; return; }
        if (pen) ctx.lineTo(x(k), y(v));
        else ctx.moveTo(x(k), y(v));
        pen = true;
      });
      ctx.stroke();
    }
  }
}
