// Provenance that tells the truth: a record carries the hash of the code that really ran (the
// built JavaScript, for the CLI), and the CLI refuses to run a build older than its sources.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceHash, staleBuild, treeHash, writeBuildInfo } from "../src/run/build-info.js";
import { builtCodeHash, codeHash } from "../src/run/code-hash.js";
import { ROOT } from "../src/paths.js";
import { provenance } from "../src/results/manifest.js";

const TINY = { name: "tiny", slots: 3, seeds: 1, policies: ["local"], users: { total: 5 }, sites: { count: 2 } };

/** A copy of the built package (bin, dist, sources, package.json) in a temporary folder. */
function copyOfPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), "prov-"));
  for (const p of ["bin", "dist", "build", "src", "assembly", "package.json"]) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "s.json"), JSON.stringify(TINY));
  return dir;
}

const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [join(cwd, "bin", "twinedge.js"), ...args], { cwd, encoding: "utf8" });

describe("the code hash", () => {
  it("changes with any byte of any module, and with a module's name", () => {
    const dir = mkdtempSync(join(tmpdir(), "hash-"));
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "x.js"), "export const x = 1;\n");
    writeFileSync(join(dir, "y.js"), "export const y = 2;\n");
    writeFileSync(join(dir, "notes.txt"), "not code");
    const h0 = treeHash([{ dir, ext: ".js" }]);
    writeFileSync(join(dir, "notes.txt"), "other text");
    expect(treeHash([{ dir, ext: ".js" }])).toBe(h0);
    appendFileSync(join(dir, "a", "x.js"), " ");
    const h1 = treeHash([{ dir, ext: ".js" }]);
    expect(h1).not.toBe(h0);
    cpSync(join(dir, "y.js"), join(dir, "z.js"));
    expect(treeHash([{ dir, ext: ".js" }])).not.toBe(h1);
  });

  it("stamps the CLI's records with the hash of the built JavaScript that ran", () => {
    const dir = copyOfPackage();
    const r = cli(dir, "run", "s.json", "--out", "out", "--threads", "1", "--quiet", "--no-figures");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = readdirSync(join(dir, "out", "trials")).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(dir, "out", "trials", files[0]), "utf8"));
    expect(record.codeHash).toBe(builtCodeHash(dir));
    expect(record.codeHash).not.toBe(treeHash([{ dir: join(dir, "src"), ext: ".ts" }]));
  });

  it("is the built code's hash in-process too (tests run the sources the build was checked to be of)", () => {
    expect(codeHash()).toBe(builtCodeHash(ROOT));
  });
});

describe("a build older than its sources", () => {
  it("is refused by the CLI, naming npm run build, before anything is written", () => {
    const dir = copyOfPackage();
    expect(staleBuild(dir)).toBeNull();
    appendFileSync(join(dir, "src", "run", "episode.ts"), "\n// edited after the build\n");
    expect(staleBuild(dir)).toMatch(/npm run build/);
    const r = cli(dir, "run", "s.json", "--out", "out", "--threads", "1", "--quiet");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/older than the sources.*npm run build/);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("covers the kernels' sources too, and a missing build record", () => {
    const dir = copyOfPackage();
    appendFileSync(join(dir, "assembly", "latency.ts"), "\n// edited\n");
    expect(staleBuild(dir)).toMatch(/older than the sources/);
    writeBuildInfo(dir);
    expect(staleBuild(dir)).toBeNull();
    expect(JSON.parse(readFileSync(join(dir, "dist", "build-info.json"), "utf8")).sourceHash).toBe(sourceHash(dir));
    writeFileSync(join(dir, "dist", "build-info.json"), "{");
    expect(staleBuild(dir)).toMatch(/missing or unreadable.*npm run build/);
  });
});

describe("the manifest's provenance", () => {
  it("names the versions of the packages that compute and draw the results, as installed", () => {
    const { versions } = provenance("wasm", null);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const name of ["vega", "vega-lite", "@resvg/resvg-js", "pdfkit", "piscina", "zod", "assemblyscript"]) {
      expect(versions[name], name).toBe(pkg.dependencies[name]);
    }
    expect(versions.twinedge).toBe(pkg.version);
  });
});
