// The browser's src/policy/plugin-load.ts (web/vite.config.ts maps the import here). Plug-in
// modules are files imported through Node's loader, which the browser view does not have, so
// a scenario naming one is refused before it runs; this stand-in keeps the loader (node:url,
// the typescript package) out of the bundle and fails loudly if it is ever reached.
const REFUSAL = "policies: plug-in modules load through Node's module loader, which the browser view does not have; run them with `twinedge run`";

/** Never reached in the browser: src/run/trial.ts asks for a module only for a plug-in policy. */
export function pluginPath(): string {
  throw new Error(REFUSAL);
}

/** Never reached in the browser (see pluginPath). */
export function loadPluginFactory(): Promise<never> {
  return Promise.reject(new Error(REFUSAL));
}

/** Never reached in the browser (see pluginPath). */
export function loadedPluginFactory(): never {
  throw new Error(REFUSAL);
}

/** As the original: a plug-in module that cannot be used (src/sweep/plugins.ts names the field). */
export class PluginLoadError extends Error {}

/** Never reached in the browser: a scenario naming a module is refused here, naming the field. */
export function readPluginFile(): never {
  throw new PluginLoadError(REFUSAL);
}
