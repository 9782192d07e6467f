import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fontkit from "fontkit";
import { compile, type TopLevelSpec } from "vega-lite";
import { csvCell } from "../src/results/csv.js";
import { font } from "../src/results/figures/fonts.js";
import { drawFigures, FIGURE_EXTENSIONS } from "../src/results/figures/index.js";
import { pairedCsv } from "../src/results/paired.js";
import { summarize } from "../src/results/stats.js";
import { summaryCsv } from "../src/results/summary.js";
import { METRICS, type MetricName, type Metrics } from "../src/contracts/record.js";
import type { TrialRecord } from "../src/contracts/record.js";

const POLICIES = ["local", "greedy"];
const SEEDS = [1, 2, 3];
/** paired.csv's references: every policy, as when a scenario names none; the difference figures take the first. */
const REFERENCES = POLICIES;
const REFERENCE = REFERENCES[0];

/**
 * Smooth synthetic metrics with seed noise. "local" never uploads (uploadRateBps null, as in
 * real runs) and no trial has an infeasibleRate, so that metric must get no figure.
 */
function metricsOf(x: number, policy: string, seed: number): Partial<Metrics> {
  const p = POLICIES.indexOf(policy);
  const noise = ((seed * 7919) % 13) / 13 - 0.5;
  return {
    latencyS: 0.2 + 0.01 * x * (1 + p) + 0.02 * noise,
    deadlineMissRate: Math.min(1, 0.005 * x * (2 - p) + 0.01 * (noise + 0.5)),
    offloadRatio: p === 0 ? 0 : 0.5 + 0.1 * noise,
    infeasibleRate: null,
    reward: 1 / (0.2 + 0.01 * x * (1 + p)) + 0.05 * noise,
    systemCostS: 5 + 0.3 * x * (1 + p) + noise,
    queueWaitS: 0.01 * x + 0.002 * noise,
    uploadRateBps: p === 0 ? null : 2e7 / (1 + 0.05 * x) + 1e5 * noise,
    tasks: 1000 + 10 * x + seed,
  };
}

function records(points: readonly Record<string, number | string | boolean>[], xOf: (pt: Record<string, number | string | boolean>) => number): TrialRecord[] {
  const out: TrialRecord[] = [];
  for (const point of points) {
    for (const policy of POLICIES) {
      for (const seed of SEEDS) {
        out.push({
          id: `${JSON.stringify(point)}-${policy}-${seed}`, scenario: "synthetic", point, policy, seed, backend: "js",
          codeHash: "test", wasmSha256: null,
          status: "ok", users: 10, sites: 1, slots: 10, metrics: metricsOf(xOf(point), policy, seed),
        } as TrialRecord);
      }
    }
  }
  // A failed trial must count nowhere (summary.csv leaves it out of n).
  out.push({
    id: "failed", scenario: "synthetic", point: points[0], policy: "greedy", seed: 99, backend: "js",
    codeHash: "test", wasmSha256: null, status: "failed", error: "boom",
  } as TrialRecord);
  return out;
}

// Metrics the synthetic records carry values for (infeasibleRate is all null: no figure).
const DRAWN_METRICS = METRICS.filter((m) => m in metricsOf(1, POLICIES[1], 1) && m !== "infeasibleRate");
// Metrics with a finite pair greedy − local: not uploadRateBps, which local never has.
const PAIRED_METRICS: MetricName[] = DRAWN_METRICS.filter((m) => m !== "uploadRateBps");

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const open = /<svg\b[^>]*>/.exec(svg)![0];
  return { width: Number(/\swidth="([\d.]+)"/.exec(open)![1]), height: Number(/\sheight="([\d.]+)"/.exec(open)![1]) };
}

/** Well-formed enough: one root <svg>, every tag closed in order. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (selfClose) continue;
    if (close) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

/** A tiny CSV reader for the data files (quoted cells do not occur in them). */
function readCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split("\n");
  const cols = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

interface Case {
  name: string;
  axes: string[];
  recs: TrialRecord[];
  /** Figure base names expected for one metric. */
  figures: (metric: MetricName) => string[];
  /** Text the SVG of each figure must show (besides the policy names). */
  texts: (metric: MetricName, figure: string) => string[];
}

const METRIC_TITLES: Partial<Record<MetricName, string>> = {
  latencyS: "Average task latency (s)",
  deadlineMissRate: "Deadline miss rate",
  uploadRateBps: "Uplink rate (Mbit/s)",
};

const usersPoints = [10, 20, 30].map((u) => ({ "users.perSite": u }));
const gridPoints = [10, 20, 30].flatMap((u) => ["grid", "random"].map((p) => ({ "users.perSite": u, "sites.placement": p })));

const CASES: Case[] = [
  {
    name: "one axis",
    axes: ["users.perSite"],
    recs: records(usersPoints, (p) => p["users.perSite"] as number),
    figures: (m) => [`${m}-vs-users.perSite`],
    texts: (m) => ["Users per site", ...(METRIC_TITLES[m] ? [METRIC_TITLES[m]] : [])],
  },
  {
    name: "two axes",
    axes: ["users.perSite", "sites.placement"],
    recs: records(gridPoints, (p) => (p["users.perSite"] as number) + (p["sites.placement"] === "random" ? 5 : 0)),
    figures: (m) => [`${m}-vs-users.perSite`, `${m}-vs-sites.placement`],
    texts: (_m, f) =>
      f.endsWith("users.perSite") ? ["Users per site", "Site placement: grid", "Site placement: random"] : ["Site placement", "Users per site: 20"],
  },
  {
    name: "no axes",
    axes: [],
    recs: records([{}], () => 20),
    figures: (m) => [`${m}-by-policy`],
    texts: (m) => ["Policy", ...(METRIC_TITLES[m] ? [METRIC_TITLES[m]] : [])],
  },
];

const root = mkdtempSync(join(tmpdir(), "twinedge-figures-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(CASES)("drawFigures, $name", (c) => {
  const dirA = join(root, `${c.name.replace(/ /g, "-")}-a`);
  const dirB = join(root, `${c.name.replace(/ /g, "-")}-b`);
  let written: string[] = [];
  let writtenB: string[] = [];
  const figDir = join(dirA, "figures");
  const read = (f: string): Buffer => readFileSync(join(figDir, f));

  beforeAll(async () => {
    written = await drawFigures(dirA, c.recs, c.axes, POLICIES, REFERENCES);
    writtenB = await drawFigures(dirB, c.recs, c.axes, POLICIES, REFERENCES);
  }, 300_000);

  // Each figure of means, and beside it (where the metric has pairs) its difference from the reference.
  const bases = DRAWN_METRICS.flatMap((m) => c.figures(m).flatMap((f) => [
    { metric: m, base: f, reference: null as string | null },
    ...(PAIRED_METRICS.includes(m) ? [{ metric: m, base: `${f}-diff-${REFERENCE}`, reference: REFERENCE as string | null }] : []),
  ]));
  const means = bases.filter((b) => b.reference === null);
  const diffs = bases.filter((b) => b.reference !== null);

  it("writes five files per figure and figures.json, and none for a metric without values", () => {
    const expected = bases.flatMap(({ base }) => FIGURE_EXTENSIONS.map((e) => join(figDir, base + e)));
    expect([...written].sort()).toEqual([...expected].sort());
    expect(readdirSync(figDir).sort()).toEqual([...expected.map((p) => p.slice(figDir.length + 1)), "figures.json"].sort());
    expect(readdirSync(figDir).some((f) => f.startsWith("infeasibleRate"))).toBe(false);
    expect(readdirSync(figDir).some((f) => f.startsWith("uploadRateBps") && f.includes("-diff-"))).toBe(false);
    expect(diffs.length).toBe(PAIRED_METRICS.length * c.figures("latencyS").length);
  });

  it("gives the same bytes when drawn twice", () => {
    expect(writtenB.map((p) => p.slice(dirB.length))).toEqual(written.map((p) => p.slice(dirA.length)));
    for (const p of [...written, join(figDir, "figures.json")]) {
      const other = join(dirB, p.slice(dirA.length));
      expect(readFileSync(other).equals(readFileSync(p)), p).toBe(true);
    }
  });

  it.each(bases)("$base: SVG with titles, policies and an embedded font", ({ metric, base, reference }) => {
    const svg = read(`${base}.svg`).toString("utf8");
    expectWellFormed(svg);
    const axisBase = reference === null ? base : base.slice(0, -`-diff-${reference}`.length);
    const texts = c.texts(metric, axisBase).map((t) => (reference !== null && t === METRIC_TITLES[metric] ? `${t} − ${reference} (paired)` : t));
    // A difference figure draws every policy but its reference, which only its y title names.
    const drawn = POLICIES.filter((p) => p !== reference);
    for (const t of [...texts, ...drawn]) expect(svg, t).toContain(`>${t}<`);
    if (reference !== null) expect(svg).not.toContain(`>${reference}<`);
    expect(svg).toMatch(/@font-face\{font-family:"DejaVu Sans";[^}]*src:url\(data:font\/ttf;base64,[A-Za-z0-9+/=]+\)/);
    expect(svg).toContain('font-family="DejaVu Sans"');
    // The embedded subset is a font a browser can use: it maps every character of the
    // figure's text to DejaVu's glyph, with DejaVu's advance width.
    const b64 = /base64,([A-Za-z0-9+/=]+)/.exec(svg)![1];
    const sub = fontkit.create(Buffer.from(b64, "base64"));
    const full = font("regular");
    const chars = new Set([...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].flatMap((m) => [...m[1].replace(/&[a-z]+;|&#\d+;/g, "")]));
    expect(chars.size).toBeGreaterThan(10);
    for (const ch of chars) {
      const cp = ch.codePointAt(0)!;
      expect(sub.hasGlyphForCodePoint(cp), ch).toBe(true);
      expect(sub.glyphForCodePoint(cp).advanceWidth, ch).toBe(full.glyphForCodePoint(cp).advanceWidth);
    }
    // The subset is small: the whole font would add a megabyte of base64.
    expect(svg.length).toBeLessThan(150_000);
  });

  it.each(bases)("$base: PNG at twice the SVG size", ({ base }) => {
    const { width, height } = svgSize(read(`${base}.svg`).toString("utf8"));
    expect(pngSize(read(`${base}.png`))).toEqual({ width: Math.round(2 * width), height: Math.round(2 * height) });
  });

  it.each(bases)("$base: PDF with DejaVu Sans embedded and fixed dates", ({ base }) => {
    const pdf = read(`${base}.pdf`).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(pdf).toContain("/FontFile2");
    expect(pdf).toContain("(D:20000101000000Z)");
  });

  it.each(bases)("$base: the spec is valid vega-lite and points at its data file", ({ base }) => {
    const spec = JSON.parse(read(`${base}.vl.json`).toString("utf8")) as TopLevelSpec & { data: { url: string } };
    expect(spec.data.url).toBe(`${base}.data.csv`);
    const warnings: unknown[] = [];
    const logger = {
      level: () => logger, error: (...a: unknown[]) => { warnings.push(a); return logger; },
      warn: (...a: unknown[]) => { warnings.push(a); return logger; },
      info: () => logger, debug: () => logger,
    };
    const vg = compile(spec, { logger: logger as never }).spec;
    expect(vg.data?.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
  });

  it.each(means)("$base: data are summarize() over each group, as in summary.csv", ({ metric, base }) => {
    const csv = read(`${base}.data.csv`).toString("utf8");
    const rows = readCsv(csv);
    const groups = new Set(c.recs.map((r) => JSON.stringify([c.axes.map((a) => r.point[a]), r.policy])));
    expect(rows.length).toBe(groups.size);
    for (const row of rows) {
      expect(row.metric).toBe(metric);
      const xs = c.recs
        .filter((r) => r.status === "ok" && r.policy === row.policy && c.axes.every((a) => String(r.point[a]) === row[a]))
        .map((r) => (r.status === "ok" ? r.metrics[metric] : null))
        .filter((v): v is number => v !== null);
      const s = summarize(xs);
      expect(row.n).toBe(String(s.n));
      expect(row.mean).toBe(csvCell(s.mean));
      expect(row.ci95Low).toBe(csvCell(s.ci95Low));
      expect(row.ci95High).toBe(csvCell(s.ci95High));
    }
    // Every data row is, character for character, a row of summary.csv.
    const summaryLines = new Set(summaryCsv(c.recs, c.axes).split("\n"));
    const [head, ...lines] = csv.trimEnd().split("\n");
    expect(head).toBe(summaryCsv([], c.axes).trimEnd());
    for (const l of lines) expect(summaryLines.has(l), l).toBe(true);
  });

  it.each(diffs)("$base: data are paired.csv's rows of its reference and metric", ({ metric, base, reference }) => {
    const csv = read(`${base}.data.csv`).toString("utf8");
    const paired = pairedCsv(c.recs, c.axes, REFERENCES).trimEnd().split("\n");
    const mine = paired.slice(1).filter((l) => {
      const cells = l.split(",");
      return cells[c.axes.length + 1] === reference && cells[c.axes.length + 2] === metric;
    });
    // Every point with the one other policy: as many rows as points.
    expect(mine.length).toBe(new Set(c.recs.map((r) => JSON.stringify(c.axes.map((a) => r.point[a])))).size);
    expect(csv).toBe(`${[paired[0], ...mine].join("\n")}\n`);
  });

  it.each(diffs)("$base: a rule at 0, the interval, and only the other policies' colours", ({ base, reference }) => {
    const spec = JSON.parse(read(`${base}.vl.json`).toString("utf8"));
    const layers: { mark: { type: string }; encoding: Record<string, { datum?: number; field?: string; scale?: { domain: string[]; range: string[] } }> }[] = spec.layer ?? spec.spec.layer;
    expect(layers[0].mark.type).toBe("rule");
    expect(layers[0].encoding.y).toEqual({ datum: 0 });
    const interval = layers.find((l) => l.mark.type === (c.axes.length > 0 && base.includes("users.perSite") ? "area" : "errorbar"))!;
    expect(interval.encoding.y.field).toMatch(/^ci95Low/);
    expect(interval.encoding.y2.field).toMatch(/^ci95High/);
    const meanLayer = layers.find((l) => l.mark.type === (c.axes.length > 0 ? "point" : "bar"))!;
    const color = meanLayer.encoding.color.scale!;
    expect(color.domain).toEqual(POLICIES.filter((p) => p !== reference));
    // A policy keeps the colour it has in the figure of means.
    const plain = JSON.parse(read(`${base.slice(0, -`-diff-${reference}`.length)}.vl.json`).toString("utf8"));
    const plainLayers: typeof layers = plain.layer ?? plain.spec.layer;
    const plainColor = plainLayers.find((l) => l.encoding.color?.scale)!.encoding.color.scale!;
    for (const p of color.domain) expect(color.range[color.domain.indexOf(p)]).toBe(plainColor.range[plainColor.domain.indexOf(p)]);
    expect(spec.usermeta.twinedge.pairedAgainst).toBe(reference);
  });
});
