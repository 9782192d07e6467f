// Loading a plug-in policy's module (docs/plugins.md): the file read and hashed (the hash is
// part of its trials' ids), imported once per thread under a URL that carries the hash (so a
// changed file is a new module, never the cached old one), and its factory checked. A .ts
// module is transpiled with the `typescript` package (no type check) and imported from a
// data: URL, so it must be self-contained. The scenario loader checks every plug-in before a
// trial runs; each worker thread loads it again before its first trial of it.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FileRefused, MIB, readRegularFile } from "../input-file.js";
import type { CreatePolicy } from "../contracts/plugin.js";

/** A plug-in module larger than this is refused (a bundle of a few MiB is fine). */
const PLUGIN_MAX_BYTES = 16 * MIB;

/** Why a module did not give a factory: `load` (unreadable, changed, syntax error, threw) or `export` (no function exported). */
export class PluginLoadError extends Error {
  constructor(readonly kind: "load" | "export", message: string) {
    super(message);
    this.name = "PluginLoadError";
  }
}

/** The module file's bytes and their SHA-256 (the scenario loader and importFactory call it); throws FileRefused. */
export function readPluginFile(path: string): { bytes: Buffer; sha256: string } {
  const bytes = readRegularFile(path, PLUGIN_MAX_BYTES);
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** The module's absolute path: `module` against the scenario's folder (trial runners call it). */
export function pluginPath(baseDir: string | null, module: string): string {
  if (baseDir === null) throw new PluginLoadError("load", `${module}: the scenario's folder is unknown (load the scenario from its file)`);
  return resolve(baseDir, module);
}

const pending = new Map<string, Promise<CreatePolicy>>();
const loaded = new Map<string, CreatePolicy>();
const keyOf = (path: string, sha256: string): string => `${sha256}:${path}`;

/**
 * The factory of the module at `path`, whose bytes must hash to `sha256`: imported once per
 * thread (the scenario check and the trial runners call it). Rejects with a PluginLoadError.
 */
export function loadPluginFactory(path: string, sha256: string): Promise<CreatePolicy> {
  const key = keyOf(path, sha256);
  let p = pending.get(key);
  if (!p) {
    p = importFactory(path, sha256);
    pending.set(key, p);
    p.then((f) => loaded.set(key, f), () => pending.delete(key));
  }
  return p;
}

/** The factory loadPluginFactory has loaded in this thread (the synchronous trial runner calls it). */
export function loadedPluginFactory(path: string, sha256: string): CreatePolicy {
  const f = loaded.get(keyOf(path, sha256));
  if (!f) throw new Error(`plug-in ${path} is not loaded in this thread (loadPluginFactory first)`);
  return f;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function importFactory(path: string, sha256: string): Promise<CreatePolicy> {
  let file: { bytes: Buffer; sha256: string };
  try {
    file = readPluginFile(path);
  } catch (e) {
    throw new PluginLoadError("load", e instanceof FileRefused ? e.reason : message(e));
  }
  if (file.sha256 !== sha256) throw new PluginLoadError("load", `the file has changed since the scenario was loaded (its SHA-256 is now ${file.sha256})`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(path, file);
  } catch (e) {
    if (e instanceof PluginLoadError) throw e;
    const syntax = await syntaxError(path, file.bytes.toString("utf8"));
    if (syntax) throw new PluginLoadError("load", `SyntaxError: ${e instanceof SyntaxError ? e.message : syntax.message} (line ${syntax.line})`);
    throw new PluginLoadError("load", `${e instanceof Error ? e.name : "Error"}: ${message(e)}`);
  }
  // A CommonJS module's exports object is its default export (Node does not always see its names).
  const def = mod.default as Record<string, unknown> | undefined;
  const named = mod.createPolicy ?? (def && typeof def === "object" && "createPolicy" in def ? def.createPolicy : undefined);
  const f = named ?? def;
  if (f === undefined) throw new PluginLoadError("export", "the module exports no createPolicy (a named export, or the default export)");
  if (typeof f !== "function") throw new PluginLoadError("export", `the module's ${named !== undefined ? "createPolicy" : "default"} export is not a function (it is ${f === null ? "null" : typeof f})`);
  return f as CreatePolicy;
}

/**
 * A module's first syntax error and its line, which Node's ESM loader does not say: found
 * with the typescript package's parser when it is installed, else undefined.
 */
async function syntaxError(path: string, source: string): Promise<{ message: string; line: number } | undefined> {
  try {
    const ts = (await import("typescript")).default;
    const d = ts.transpileModule(source, { fileName: path, reportDiagnostics: true, compilerOptions: { allowJs: true } }).diagnostics?.[0];
    if (!d?.file || d.start === undefined) return undefined;
    return { message: ts.flattenDiagnosticMessageText(d.messageText, " "), line: d.file.getLineAndCharacterOfPosition(d.start).line + 1 };
  } catch {
    return undefined;
  }
}

async function importModule(path: string, file: { bytes: Buffer; sha256: string }): Promise<Record<string, unknown>> {
  if (!/\.m?ts$/i.test(path)) return (await import(`${pathToFileURL(path).href}?sha256=${file.sha256}`)) as Record<string, unknown>;
  const js = await transpile(path, file.bytes.toString("utf8"));
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`)) as Record<string, unknown>;
}

/** A .ts module as JavaScript (types erased, not checked), or a PluginLoadError naming its first syntax error. */
async function transpile(path: string, source: string): Promise<string> {
  let ts: typeof import("typescript");
  try {
    ts = (await import("typescript")).default;
  } catch {
    throw new PluginLoadError("load", "a .ts plug-in needs the typescript package, which is not installed: compile it to .js (tsc) and name the .js");
  }
  const out = ts.transpileModule(source, {
    fileName: path, reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  const d = out.diagnostics?.[0];
  if (d) {
    const line = d.file && d.start !== undefined ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : "";
    throw new PluginLoadError("load", `TypeScript: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}${line}`);
  }
  return out.outputText;
}
