// Progress of a sweep on stderr: a redrawn bar on a terminal, plain periodic lines
// otherwise (cluster logs), and a closing line either way.

export interface ProgressOptions {
  total: number;
  /** Already done before this run started (reused from an earlier run). */
  reused: number;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not on a terminal. */
  everyS?: number;
  now?: () => number;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class Progress {
  private done = 0;
  private failed = 0;
  private lastLine = -Infinity;
  private readonly t0: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.now = o.now ?? (() => performance.now() / 1000);
    this.t0 = this.now();
  }

  /** Counts one finished trial and redraws (terminal) or prints a line if one is due. */
  tick(failed: boolean): void {
    this.done++;
    if (failed) this.failed++;
    if (this.tty) this.stream.write(`\r${this.line(true)}\x1b[K`);
    else if (this.now() - this.lastLine >= (this.o.everyS ?? 10)) this.print();
  }

  finish(): void {
    if (this.tty) this.stream.write(`\r${this.line(false)}\x1b[K\n`);
    else this.print();
  }

  private print(): void {
    this.lastLine = this.now();
    this.stream.write(`${this.line(false)}\n`);
  }

  line(bar: boolean): string {
    const { total, reused } = this.o;
    const todo = total - reused;
    const elapsed = this.now() - this.t0;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const eta = rate > 0 ? (todo - this.done) / rate : Infinity;
    const finished = reused + this.done;
    const width = 24;
    const filled = total > 0 ? Math.round((finished / total) * width) : width;
    const head = bar ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
    return `${head}${finished}/${total} trials${reused ? ` (${reused} reused)` : ""}, ${this.failed} failed, `
      + `${rate.toFixed(2)}/s, elapsed ${duration(elapsed)}, ETA ${this.done === todo ? "0s" : duration(eta)}`;
  }
}
