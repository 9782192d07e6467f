// A .vl.json edited by hand survives a redraw: the figure is drawn from it (with the fresh
// data), the file keeps its bytes, and a note says so. A broken edit stops the drawing
// before anything is written.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawFigures } from "../src/results/figures/index.js";
import { InputError } from "../src/validation.js";
import { trialRecords } from "./figures-fixtures.js";

const POLICIES = ["local", "greedy"];
const AXES = ["users.perSite"];
const points = [10, 20, 30].map((u) => ({ "users.perSite": u }));
const recsWith = (offset: number) =>
  trialRecords(points, POLICIES, [1, 2, 3], (pt, policy, seed) => ({
    latencyS: offset + 0.01 * (pt["users.perSite"] as number) + 0.001 * seed + POLICIES.indexOf(policy),
    deadlineMissRate: 0.01 * (pt["users.perSite"] as number) + 0.01 * seed,
  }));

const root = mkdtempSync(join(tmpdir(), "twinedge-figedit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EDITED_TITLE = "Latency as the reviewer asked";

describe("a .vl.json edited by hand", () => {
  const dir = join(root, "edited");
  const fig = (f: string) => join(dir, "figures", f);
  const notes: string[] = [];
  let editedText = "";
  let firstOther = "";

  beforeAll(async () => {
    await drawFigures(dir, recsWith(0), AXES, POLICIES, []);
    firstOther = readFileSync(fig("deadlineMissRate-vs-users.perSite.vl.json"), "utf8");
    const spec = JSON.parse(readFileSync(fig("latencyS-vs-users.perSite.vl.json"), "utf8"));
    spec.encoding.y.title = EDITED_TITLE;
    // Hand edits rarely keep the tool's formatting.
    editedText = JSON.stringify(spec);
    writeFileSync(fig("latencyS-vs-users.perSite.vl.json"), editedText);
    // Redrawn with new data, at another size: what `twinedge plot --figure-size single` does.
    await drawFigures(dir, recsWith(5), AXES, POLICIES, [], { size: "single", notify: (m) => notes.push(m) });
  }, 300_000);

  it("keeps its bytes", () => {
    expect(readFileSync(fig("latencyS-vs-users.perSite.vl.json"), "utf8")).toBe(editedText);
  });

  it("is what the figure is drawn from, with the fresh data", () => {
    const svg = readFileSync(fig("latencyS-vs-users.perSite.svg"), "utf8");
    expect(svg).toContain(`>${EDITED_TITLE}<`);
    expect(svg).not.toContain(">Average task latency (s)<");
    // The new data: latencies now start at 5 s.
    expect(readFileSync(fig("latencyS-vs-users.perSite.data.csv"), "utf8")).toMatch(/\n10,local,latencyS,3,5\.1/);
    const pdf = readFileSync(fig("latencyS-vs-users.perSite.pdf")).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
  });

  it("is named in a note, and in figures.json", () => {
    expect(notes.filter((n) => n.includes("latencyS-vs-users.perSite.vl.json"))).toHaveLength(1);
    expect(notes.join("\n")).toMatch(/edited by hand.*not overwritten/);
    const book = JSON.parse(readFileSync(fig("figures.json"), "utf8"));
    expect(book.figures["latencyS-vs-users.perSite"].drawnFrom).toBe("edited");
    expect(book.figures["deadlineMissRate-vs-users.perSite"]).toMatchObject({ drawnFrom: "tool", figureSize: "single", widthPt: 252 });
  });

  it("does not stop the tool's other specs from being redrawn", () => {
    const other = readFileSync(fig("deadlineMissRate-vs-users.perSite.vl.json"), "utf8");
    expect(other).not.toBe(firstOther);
    expect(JSON.parse(other).usermeta.twinedge.figureSize).toBe("single");
  });

  it("stays the user's on every later redraw", async () => {
    const more: string[] = [];
    await drawFigures(dir, recsWith(5), AXES, POLICIES, [], { notify: (m) => more.push(m) });
    expect(readFileSync(fig("latencyS-vs-users.perSite.vl.json"), "utf8")).toBe(editedText);
    expect(more).toHaveLength(1);
  }, 300_000);

  it("is the tool's again once deleted", async () => {
    rmSync(fig("latencyS-vs-users.perSite.vl.json"));
    await drawFigures(dir, recsWith(5), AXES, POLICIES, [], { notify: () => {} });
    expect(readFileSync(fig("latencyS-vs-users.perSite.svg"), "utf8")).toContain(">Average task latency (s)<");
    const book = JSON.parse(readFileSync(fig("figures.json"), "utf8"));
    expect(book.figures["latencyS-vs-users.perSite"].drawnFrom).toBe("tool");
  }, 300_000);
});

describe("a broken edit", () => {
  it("is an InputError naming the file, and nothing is written", async () => {
    const dir = join(root, "broken");
    const fig = (f: string) => join(dir, "figures", f);
    await drawFigures(dir, recsWith(0), AXES, POLICIES, []);
    // The figure drawn first keeps its files: the check runs before any drawing.
    const first = fig("latencyS-vs-users.perSite.svg");
    const before = readFileSync(first);
    const mtime = statSync(first).mtimeMs;
    writeFileSync(fig("deadlineMissRate-vs-users.perSite.vl.json"), "{ \"mark\": ");
    const err = await drawFigures(dir, recsWith(5), AXES, POLICIES, [], { notify: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain("deadlineMissRate-vs-users.perSite.vl.json");
    expect((err as InputError).message).toMatch(/not valid JSON/);
    expect(readFileSync(first).equals(before)).toBe(true);
    expect(statSync(first).mtimeMs).toBe(mtime);
    expect(existsSync(fig("figures.json"))).toBe(true);
  }, 300_000);
});

describe("a folder without figures.json (drawn before it existed)", () => {
  it("keeps a spec that differs from the tool's, and redraws one that matches", async () => {
    const dir = join(root, "no-book");
    const fig = (f: string) => join(dir, "figures", f);
    await drawFigures(dir, recsWith(0), AXES, POLICIES, []);
    rmSync(fig("figures.json"));
    const spec = JSON.parse(readFileSync(fig("latencyS-vs-users.perSite.vl.json"), "utf8"));
    spec.encoding.y.title = EDITED_TITLE;
    const edited = `${JSON.stringify(spec, null, 2)}\n`;
    writeFileSync(fig("latencyS-vs-users.perSite.vl.json"), edited);
    const notes: string[] = [];
    await drawFigures(dir, recsWith(0), AXES, POLICIES, [], { notify: (m) => notes.push(m) });
    expect(readFileSync(fig("latencyS-vs-users.perSite.vl.json"), "utf8")).toBe(edited);
    expect(readFileSync(fig("latencyS-vs-users.perSite.svg"), "utf8")).toContain(`>${EDITED_TITLE}<`);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("latencyS-vs-users.perSite.vl.json");
    const book = JSON.parse(readFileSync(fig("figures.json"), "utf8"));
    expect(book.figures["latencyS-vs-users.perSite"].drawnFrom).toBe("edited");
    expect(book.figures["deadlineMissRate-vs-users.perSite"].drawnFrom).toBe("tool");
  }, 300_000);
});
