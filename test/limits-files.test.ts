import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIB, readRegularFile } from "../src/input-file.js";
import { ROOT } from "../src/paths.js";
import { loadScenario } from "../src/sweep/load.js";
import { InputError, readJsonFile } from "../src/validation.js";
import { MAX_TRACE_BYTES } from "../src/world/trace.js";

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `twinedge-${what}-`));

function errorsOf(load: () => unknown, seconds = 5): string[] {
  const t0 = performance.now();
  try {
    load();
  } catch (e) {
    expect((performance.now() - t0) / 1000).toBeLessThan(seconds);
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

/** A scenario whose trace is `trace` (a path, relative to the scenario's folder). */
function traceScenario(dir: string, trace: string): string {
  const f = join(dir, "s.json");
  writeFileSync(f, JSON.stringify({ slots: 3, seeds: [1], policies: ["local"], users: { total: 20 }, mobility: { model: "trace", file: trace } }));
  return f;
}

const fifo = (path: string): string => {
  execFileSync("mkfifo", [path]);
  return path;
};

describe("trace files: regular files under a size cap", () => {
  // Before: /dev/zero was read until memory ran out, a FIFO blocked for ever.
  it("refuses a device, a FIFO and a folder, at once", () => {
    const dir = tmp("trace-kinds");
    expect(errorsOf(() => loadScenario(traceScenario(dir, "/dev/zero")))).toEqual(["mobility.file: /dev/zero: not a regular file (a character device)"]);
    const p = fifo(join(dir, "fifo.csv"));
    expect(errorsOf(() => loadScenario(traceScenario(dir, "fifo.csv")))).toEqual([`mobility.file: ${p}: not a regular file (a FIFO)`]);
    mkdirSync(join(dir, "folder.csv"));
    expect(errorsOf(() => loadScenario(traceScenario(dir, "folder.csv")))[0]).toMatch(/^mobility\.file: .*folder\.csv: (not a regular file \(a folder\)|cannot read the file \(EISDIR\))$/);
  });

  it("refuses a trace above the cap without reading it, and follows a link to a regular file", () => {
    const dir = tmp("trace-size");
    const big = join(dir, "big.csv");
    const fd = openSync(big, "w");
    ftruncateSync(fd, MAX_TRACE_BYTES + 1); // sparse: no disk, no time
    closeSync(fd);
    expect(errorsOf(() => loadScenario(traceScenario(dir, "big.csv")))).toEqual([`mobility.file: ${big}: 268435457 bytes, above the cap of 268435456 (256 MiB) on this input file`]);
    symlinkSync(join(ROOT, "scenarios", "traces", "gauss-markov-20users.csv"), join(dir, "link.csv"));
    expect(loadScenario(traceScenario(dir, "link.csv")).scenario.mobility).toMatchObject({ model: "trace" });
  });

  it("reads a regular file whole, and refuses one above the cap by a byte", () => {
    const dir = tmp("read");
    writeFileSync(join(dir, "a"), "x".repeat(1000));
    expect(readRegularFile(join(dir, "a"), 1000).length).toBe(1000);
    expect(() => readRegularFile(join(dir, "a"), 999)).toThrow(/^1000 bytes, above the cap of 999 \(0\.001 MiB\)/);
    expect(MIB).toBe(1048576);
  });
});

describe("scenario files", () => {
  it("refuses a device or a FIFO as the scenario, at once", () => {
    expect(errorsOf(() => readJsonFile("/dev/zero"))).toEqual(["not a regular file (a character device)"]);
    const p = fifo(join(tmp("scenario-fifo"), "s.json"));
    expect(errorsOf(() => loadScenario(p))).toEqual(["not a regular file (a FIFO)"]);
  });

  // Before: "not valid JSON: Unexpected token" although trace files with one are read.
  it("reads a scenario with a byte-order mark like a trace with one", () => {
    const dir = tmp("bom");
    const f = join(dir, "bom.json");
    writeFileSync(f, `\uFEFF${JSON.stringify({ slots: 3, seeds: [1], policies: ["local"] })}`);
    expect(readFileSync(f)[0]).toBe(0xef);
    expect(loadScenario(f).trials).toHaveLength(1);
  });
});
