// `npm run bench` in quick mode (TWINEDGE_BENCH_QUICK=1): every benchmark of the bench script
// runs to the end and writes well-formed records, both backends for every WASM-against-JS
// measure. No timing is asserted; the figures at these sizes mean nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchRecord } from "../bench/record.js";
import { ROOT } from "../src/paths.js";

/** The compiled benchmark files the `bench` script runs, in its order. */
function benchScripts(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.bench;
  return [...script.matchAll(/node (dist\/bench\/\S+\.js)/g)].map((m) => m[1]);
}

/** Measures that run on one backend only (the sweep-small scaling runs on WASM). */
const ONE_BACKEND = new Set(["sweep-small"]);
const WHOLE = ["whole-trial-process", "whole-trial-inprocess", "eval-jal-massive", "slot-million-nearest", "sweep-learner"];

describe("npm run bench, quick mode", () => {
  const out = join(mkdtempSync(join(tmpdir(), "twinedge-bench-smoke-")), "bench.json");

  it("runs every benchmark of the bench script, the whole-run one included", () => {
    const scripts = benchScripts();
    expect(scripts).toContain("dist/bench/whole.bench.js");
    const t0 = performance.now();
    for (const s of scripts) {
      execFileSync(process.execPath, [join(ROOT, s)], { cwd: ROOT, env: { ...process.env, TWINEDGE_BENCH_QUICK: "1", TWINEDGE_BENCH_OUT: out }, stdio: ["ignore", "pipe", "pipe"], timeout: 200_000 });
    }
    console.log(`bench smoke: ${scripts.length} benchmarks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 240_000);

  it("writes well-formed quick records with both backends for every WASM-against-JS measure", () => {
    const records: BenchRecord[] = JSON.parse(readFileSync(out, "utf8"));
    expect(Array.isArray(records)).toBe(true);
    for (const r of records) {
      const where = `${r.name}/${r.backend}/${r.threads ?? ""}`;
      expect(["wasm", "js"], where).toContain(r.backend);
      expect(Number.isSafeInteger(r.users) && r.users > 0, where).toBe(true);
      expect(Number.isSafeInteger(r.sites) && r.sites > 0, where).toBe(true);
      expect(Number.isFinite(r.usersPerSecond) && r.usersPerSecond > 0, where).toBe(true);
      expect(r.quick, where).toBe(true);
      expect(Number.isNaN(Date.parse(r.recordedAt ?? "")), where).toBe(false);
      for (const k of ["secondsPerRun", "slotsPerSecond", "secondsPerSlot", "trialsPerSecond", "wasmOverJs"] as const) {
        if (r[k] !== undefined) expect(Number.isFinite(r[k]) && r[k]! > 0, `${where} ${k}`).toBe(true);
      }
    }
    const names = new Set(records.map((r) => r.name));
    for (const name of [...WHOLE, "train-il", "train-jal", "slot-paper", "slot-million"]) expect(names, name).toContain(name);
    for (const name of names) {
      if (ONE_BACKEND.has(name)) continue;
      const of = records.filter((r) => r.name === name);
      for (const threads of new Set(of.map((r) => r.threads))) {
        const backends = of.filter((r) => r.threads === threads).map((r) => r.backend).sort();
        expect(backends, `${name} threads ${threads}`).toEqual(["js", "wasm"]);
      }
    }
    // The whole-run measures carry their ratio, one the inverse of the other.
    for (const name of WHOLE) {
      const [w, j] = (["wasm", "js"] as const).map((b) => records.find((r) => r.name === name && r.backend === b)!);
      expect(w.wasmOverJs! * j.wasmOverJs!, name).toBeCloseTo(1, 9);
      expect(w.measure, name).toBeTruthy();
    }
    expect(records.filter((r) => r.name === "sweep-learner").map((r) => r.threads).sort()).toEqual([1, 1, 2, 2]);
  });
});
