// Replay of a recorded mobility trace (format: scenarios/traces/README.md).
import { createHash } from "node:crypto";
import { MIB, readRegularFile } from "../input-file.js";
import { InputError, MAX_ISSUES, quote } from "../validation.js";
import type { MobilityModel, Positions } from "./mobility-model.js";

/**
 * A parsed trace. User u's samples are the indices start[u] .. start[u + 1] - 1 of tS, xM and yM,
 * in strictly increasing time: a few flat arrays, not an object per user, so a million users fit.
 */
export interface Trace {
  readonly users: number;
  readonly start: Uint32Array;
  readonly tS: Float64Array;
  readonly xM: Float64Array;
  readonly yM: Float64Array;
}

const COLUMNS = ["t", "userId", "xM", "yM"] as const;
type Column = (typeof COLUMNS)[number];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;

export const traceSha256 = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex");

/** Cap on a trace file: about 7 million rows of 40 bytes; above it, split the trace or use fewer users. */
export const MAX_TRACE_BYTES = 256 * MIB;

/**
 * A trace file's text, as hashed into the config (a byte-order mark kept: parseTrace skips
 * it). Only a regular file of at most MAX_TRACE_BYTES is read: throws FileRefused otherwise.
 */
export const readTraceText = (path: string): string => readRegularFile(path, MAX_TRACE_BYTES).toString("utf8");

class Growable {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/**
 * Parses and checks a trace CSV for a scenario of `users` users; with `area`, positions must
 * also lie inside it. Throws an InputError listing every problem by line number (1-based).
 */
export function parseTrace(text: string, source: string, users: number, area?: { widthM: number; heightM: number }): Trace {
  const issues: string[] = [];
  let more = 0;
  const problem = (msg: string): void => {
    if (issues.length < MAX_ISSUES) issues.push(msg);
    else more++;
  };
  const fail = (): never => {
    throw new InputError(source, issues, more);
  };

  let col: Record<Column, number> | undefined;
  let width = 0, headerLine = 0, rows = 0;
  let prevT = -Infinity, prevLine = 0;
  const lastT = new Float64Array(users).fill(-Infinity);
  const lastLine = new Uint32Array(users);
  const t = new Growable(), u = new Growable(), x = new Growable(), y = new Growable();

  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; pos <= text.length; line++) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const raw = text.slice(pos, end).trim();
    pos = end + 1;
    if (raw === "" || raw.startsWith("#")) continue;
    const fields = raw.split(",").map((f) => f.trim());

    if (!col) {
      headerLine = line;
      const seen = new Map<string, number>();
      fields.forEach((f, k) => {
        if (!(COLUMNS as readonly string[]).includes(f)) problem(`line ${line}: unknown column ${quote(f)} (the columns are ${COLUMNS.join(", ")})`);
        else if (seen.has(f)) problem(`line ${line}: column ${f} appears twice`);
        else seen.set(f, k);
      });
      for (const c of COLUMNS) if (!seen.has(c)) problem(`line ${line}: missing column ${c}`);
      if (issues.length) fail();
      col = Object.fromEntries(seen) as Record<Column, number>;
      width = fields.length;
      continue;
    }

    rows++;
    if (fields.length !== width) {
      problem(`line ${line}: expected ${width} fields, got ${fields.length}`);
      continue;
    }
    const before = issues.length + more;
    const num = (c: Column): number => {
      const s = fields[col![c]];
      const v = DECIMAL.test(s) ? Number(s) : NaN;
      if (Number.isNaN(v)) problem(`line ${line}: ${c} is not a number (${quote(s)})`);
      else if (!Number.isFinite(v)) problem(`line ${line}: ${c} is not a finite number (${quote(s)})`);
      return v;
    };
    const tv = num("t");
    const xv = num("xM");
    const yv = num("yM");
    const us = fields[col.userId];
    const uv = INTEGER.test(us) ? Number(us) : NaN;
    if (Number.isNaN(uv)) problem(`line ${line}: userId is not a non-negative integer (${quote(us)})`);
    else if (uv >= users) problem(`line ${line}: unknown user ${uv} (the scenario has ${users} users)`);
    if (tv < 0) problem(`line ${line}: t is negative (${tv}); the clock starts at 0`);
    if (area && Number.isFinite(xv) && Number.isFinite(yv) && !(xv >= 0 && xv <= area.widthM && yv >= 0 && yv <= area.heightM)) {
      problem(`line ${line}: position (${xv}, ${yv}) is outside the ${area.widthM} x ${area.heightM} m area`);
    }
    if (!Number.isFinite(tv)) continue;
    if (tv < prevT) problem(`line ${line}: time ${tv} goes back from ${prevT} on line ${prevLine} (times must not decrease)`);
    else if (uv < users && tv === lastT[uv]) problem(`line ${line}: user ${uv} has two samples at time ${tv} (lines ${lastLine[uv]} and ${line})`);
    // Only reachable after a time-order problem, whose row was dropped: still keep each user sorted.
    else if (uv < users && tv < lastT[uv]) problem(`line ${line}: user ${uv}'s time ${tv} is before its sample at ${lastT[uv]} on line ${lastLine[uv]}`);
    prevT = tv;
    prevLine = line;
    if (issues.length + more !== before) continue;
    lastT[uv] = tv;
    lastLine[uv] = line;
    t.push(tv);
    u.push(uv);
    x.push(xv);
    y.push(yv);
  }

  if (!col) problem("no header: the file is empty or only comments (expected the header t,userId,xM,yM)");
  else if (rows === 0) problem(`line ${headerLine}: no data rows after the header`);
  if (issues.length) fail();

  // Counting sort by user; stable, so each user's samples stay in file (time) order.
  const start = new Uint32Array(users + 1);
  for (let k = 0; k < u.n; k++) start[u.a[k] + 1]++;
  for (let v = 0; v < users; ) {
    if (start[v + 1] > 0) { v++; continue; }
    let w = v;
    while (w + 1 < users && start[w + 2] === 0) w++;
    problem(w === v ? `user ${v} has no samples` : `users ${v}-${w} have no samples`);
    v = w + 1;
  }
  if (issues.length) fail();
  for (let v = 0; v < users; v++) start[v + 1] += start[v];
  const fill = start.slice(0, users);
  const tS = new Float64Array(u.n), xM = new Float64Array(u.n), yM = new Float64Array(u.n);
  for (let k = 0; k < u.n; k++) {
    const at = fill[u.a[k]]++;
    tS[at] = t.a[k];
    xM[at] = x.a[k];
    yM[at] = y.a[k];
  }
  return { users, start, tS, xM, yM };
}

/**
 * Replays a trace on its own clock: 0 at `initial`, plus dtS at every step. Between two samples
 * a user moves linearly; before its first sample it waits at the first position, after its last
 * it stays at the last. Time only moves forward, so each user keeps a cursor into its samples and
 * a slot costs O(users + samples passed).
 */
export class TraceMobility implements MobilityModel {
  private clockS = 0;
  private readonly cursor: Uint32Array;

  constructor(private readonly trace: Trace) {
    this.cursor = trace.start.slice(0, trace.users);
  }

  /** Sets the positions at t = 0. */
  initial(pos: Positions): void {
    this.place(pos);
  }

  step(pos: Positions, dtS: number): void {
    this.clockS += dtS;
    this.place(pos);
  }

  private place(pos: Positions): void {
    const { start, tS, xM, yM } = this.trace;
    const now = this.clockS;
    for (let i = 0; i < this.trace.users; i++) {
      const last = start[i + 1] - 1;
      let k = this.cursor[i];
      while (k < last && tS[k + 1] <= now) k++;
      this.cursor[i] = k;
      if (k === last || now <= tS[k]) {
        pos.xM[i] = xM[k];
        pos.yM[i] = yM[k];
      } else {
        const f = (now - tS[k]) / (tS[k + 1] - tS[k]);
        pos.xM[i] = xM[k] + f * (xM[k + 1] - xM[k]);
        pos.yM[i] = yM[k] + f * (yM[k + 1] - yM[k]);
      }
    }
  }
}
