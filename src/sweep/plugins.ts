// A scenario's plug-in policies (docs/plugins.md) checked before any trial runs: each module
// read and hashed at load, its hash put in the entry (and so in the trial ids and
// scenario.json), then imported and its factory found. Every failure is an InputError naming
// the field (exit 2); nothing is written before.
import { FileRefused } from "../input-file.js";
import { loadPluginFactory, PluginLoadError, pluginPath, readPluginFile } from "../policy/plugin-load.js";
import { PLUGIN_EXTENSIONS, type PolicyEntry } from "../scenario/plugin-entry.js";
import { InputError } from "../validation.js";

/**
 * The raw scenario with each plug-in entry's `sha256` set to its module file's hash (a given
 * one must match), the module resolved against `baseDir` (the scenario loader calls it).
 * Entries the schema will refuse are left to it.
 */
export function hashPlugins(raw: Record<string, unknown>, baseDir: string, source: string): Record<string, unknown> {
  if (!Array.isArray(raw.policies)) return raw;
  const issues: string[] = [];
  const policies = raw.policies.map((p: unknown, k) => {
    if (!p || typeof p !== "object" || Array.isArray(p)) return p;
    const e = p as Record<string, unknown>;
    if (typeof e.module !== "string" || !PLUGIN_EXTENSIONS.some((x) => (e.module as string).toLowerCase().endsWith(x))) return p;
    let sha256: string;
    const path = pluginPath(baseDir, e.module);
    try {
      sha256 = readPluginFile(path).sha256;
    } catch (err) {
      const why = !(err instanceof FileRefused) ? (err as Error).message : err.code === "ENOENT" ? `no such file (${path})` : `${err.reason} (${path})`;
      issues.push(`policies[${k}].module: cannot load ${e.module}: ${why}`);
      return p;
    }
    if (e.sha256 !== undefined && e.sha256 !== sha256) issues.push(`policies[${k}].sha256: ${e.module} has changed since (its SHA-256 is ${sha256})`);
    return { ...e, sha256 };
  });
  if (issues.length) throw new InputError(source, issues);
  return { ...raw, policies };
}

/** Plug-in entries without a module hash, when the scenario was not read from its folder (the loader calls it). */
export function unhashedPlugins(policies: readonly PolicyEntry[], source: string): void {
  const issues = policies.flatMap((p, k) => (typeof p !== "string" && p.sha256 === undefined
    ? [`policies[${k}].module: a plug-in is read from the scenario file's folder: load the scenario from its file`] : []));
  if (issues.length) throw new InputError(source, issues);
}

/**
 * Imports every plug-in module of the scenario and finds its factory (`twinedge run` and
 * `validate` call it, and runSweep before it writes anything). The modules stay loaded in
 * this thread for --threads 1.
 */
export async function checkPlugins(policies: readonly PolicyEntry[], baseDir: string | null, source: string): Promise<void> {
  const issues: string[] = [];
  for (const [k, p] of policies.entries()) {
    if (typeof p === "string") continue;
    try {
      await loadPluginFactory(pluginPath(baseDir, p.module), p.sha256 ?? "");
    } catch (e) {
      if (!(e instanceof PluginLoadError)) throw e;
      issues.push(e.kind === "load" ? `policies[${k}].module: cannot load ${p.module}: ${e.message}` : `policies[${k}]: ${p.module}: ${e.message}`);
    }
  }
  if (issues.length) throw new InputError(source, issues);
}
