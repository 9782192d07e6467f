// Figure sizes: at an IEEE column width the PDF page is that wide and no text prints below 7 pt.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../src/cli.js";
import { drawFigures, FIGURE_EXTENSIONS } from "../src/results/figures/index.js";
import { MIN_PRINT_FONT_PT, type FigureSize } from "../src/results/figures/size.js";
import { trialRecords } from "./figures-fixtures.js";

const POLICIES = ["local", "greedy", "twin-ddpg"];
const points = [10, 20, 30].flatMap((u) => ["grid", "random"].map((p) => ({ "users.perSite": u, "sites.placement": p })));
const recs = trialRecords(points, POLICIES, [1, 2, 3], (pt, policy, seed) => ({
  latencyS: 0.05 * (pt["users.perSite"] as number) * (1 + POLICIES.indexOf(policy)) + 0.01 * seed,
  deadlineMissRate: 0.01 * (pt["users.perSite"] as number) + 0.02 * seed,
}));

const root = mkdtempSync(join(tmpdir(), "twinedge-figsize-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The page size a PDF declares, read from its bytes. */
function mediaBox(pdf: Buffer): number[] {
  const m = /\/MediaBox \[([^\]]*)\]/.exec(pdf.toString("latin1"));
  expect(m, "no /MediaBox").not.toBeNull();
  return m![1].trim().split(/\s+/).map(Number);
}

/** Every font size the SVG sets, in px (= pt in the PDF). */
function svgFontSizes(svg: string): number[] {
  return [...svg.matchAll(/font-size[=:]\s*"?([\d.]+)(px)?/g)].map((m) => Number(m[1]));
}

/** Every *FontSize / fontSize value anywhere in a spec. */
function specFontSizes(spec: unknown): number[] {
  if (Array.isArray(spec)) return spec.flatMap(specFontSizes);
  if (spec === null || typeof spec !== "object") return [];
  return Object.entries(spec).flatMap(([k, v]) => (/fontsize$/i.test(k) && typeof v === "number" ? [v] : specFontSizes(v)));
}

const WIDTH_PT: Record<Exclude<FigureSize, "screen">, number> = { single: 252, double: 515.52 };

describe.each(["single", "double"] as const)("figures at %s column width", (size) => {
  const dir = join(root, size);
  const figDir = join(dir, "figures");
  // One figure with a line per policy, one faceted (two axes: the other one makes panels),
  // and the paired differences from local of both kinds.
  const bases = [
    "latencyS-vs-users.perSite", "deadlineMissRate-vs-users.perSite", "latencyS-vs-sites.placement",
    "latencyS-vs-users.perSite-diff-local", "latencyS-vs-sites.placement-diff-local",
  ];
  beforeAll(async () => {
    await drawFigures(dir, recs, ["users.perSite", "sites.placement"], POLICIES, ["local"], { size, notify: () => {} });
  }, 300_000);

  it.each(bases)("%s: the PDF page and the SVG are the column wide", (base) => {
    const box = mediaBox(readFileSync(join(figDir, `${base}.pdf`)));
    expect(box[0]).toBe(0);
    expect(box[2]).toBeCloseTo(WIDTH_PT[size], 2);
    const svg = readFileSync(join(figDir, `${base}.svg`), "utf8");
    expect(Number(/<svg\b[^>]*\swidth="([\d.]+)"/.exec(svg)![1])).toBeCloseTo(WIDTH_PT[size], 2);
    const book = JSON.parse(readFileSync(join(figDir, "figures.json"), "utf8"));
    expect(book.figures[base]).toMatchObject({ figureSize: size, widthPt: WIDTH_PT[size], drawnFrom: "tool" });
    expect(box[3]).toBeCloseTo(book.figures[base].heightPt, 2);
  });

  it.each(bases)("%s: no text below 7 pt, in the SVG or the spec", (base) => {
    const svg = readFileSync(join(figDir, `${base}.svg`), "utf8");
    const sizes = svgFontSizes(svg);
    // Ticks, axis titles and legend entries at least.
    expect(sizes.length).toBeGreaterThan(8);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_PRINT_FONT_PT);
    const spec = JSON.parse(readFileSync(join(figDir, `${base}.vl.json`), "utf8"));
    const specSizes = specFontSizes(spec);
    expect(specSizes.length).toBeGreaterThan(4);
    expect(Math.min(...specSizes)).toBeGreaterThanOrEqual(MIN_PRINT_FONT_PT);
    expect(spec.usermeta.twinedge).toMatchObject({ figureSize: size, widthPt: WIDTH_PT[size] });
  });

  it("draws PNGs at 300 dpi", () => {
    const png = readFileSync(join(figDir, `${bases[0]}.png`));
    expect(png.readUInt32BE(16)).toBe(Math.round((WIDTH_PT[size] * 300) / 72));
  });

  it("writes the five files of every figure", () => {
    for (const base of bases) for (const ext of FIGURE_EXTENSIONS) expect(() => readFileSync(join(figDir, base + ext))).not.toThrow();
  });
});

describe("--figure-size", () => {
  it("is refused unless screen, single or double", async () => {
    const cli = buildCli();
    cli.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    for (const c of cli.commands) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    await expect(cli.parseAsync(["plot", root, "--figure-size", "column"], { from: "user" })).rejects.toMatchObject({ code: "commander.invalidArgument" });
    await expect(cli.parseAsync(["run", "x.json", "--figure-size", "a4"], { from: "user" })).rejects.toMatchObject({ code: "commander.invalidArgument" });
  });
});
