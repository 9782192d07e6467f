// Provenance written beside every result set: enough to rerun it and to know what ran.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { ROOT } from "../paths.js";

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function packageVersion(name: string): string | null {
  try {
    const dir = name === "twinedge" ? ROOT : join(ROOT, "node_modules", name);
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

export interface Provenance {
  gitCommit: string | null;
  gitDirty: boolean | null;
  versions: Record<string, string | null>;
  backend: string;
  wasmSha256: string | null;
  cpu: string;
  cores: number;
}

/**
 * `wasmSha256` is the hash of the WASM build the run came with (null if none), passed in by
 * the caller so results depends on no kernel code.
 */
export function provenance(backend: string, wasmSha256: string | null): Provenance {
  const status = git(["status", "--porcelain", "--untracked-files=no"]);
  return {
    gitCommit: git(["rev-parse", "HEAD"]),
    gitDirty: status === null ? null : status.length > 0,
    versions: {
      node: process.version,
      twinedge: packageVersion("twinedge"),
      assemblyscript: packageVersion("assemblyscript"),
      zod: packageVersion("zod"),
      seedrandom: packageVersion("seedrandom"),
      piscina: packageVersion("piscina"),
      // What draws the figures: the same data through other versions may draw other bytes.
      vega: packageVersion("vega"),
      "vega-lite": packageVersion("vega-lite"),
      "@resvg/resvg-js": packageVersion("@resvg/resvg-js"),
      pdfkit: packageVersion("pdfkit"),
      "@peculiar/x509": packageVersion("@peculiar/x509"),
    },
    backend,
    // The JS backend does not run it, but the build it came with is still worth naming.
    wasmSha256,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
  };
}
