// The browser view's bundle (`npm run build:web`, after build:ts): web/ bundled with the
// simulator's JavaScript as the CLI runs it. Imports of src/**/*.ts resolve to the tsc output
// dist/src/**/*.js, so the page runs the same modules (and the record's codeHash, the hash of
// dist/src, is the CLI's). The few Node-only modules on that path are swapped for the seams in
// web/seams/ (listed below); everything else is bundled as is. Output: dist/web/, served by
// `twinedge view` (src/view/server.ts), no CDN.
import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineConfig, type Plugin, type UserConfig } from "vite";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const seam = (file: string): string => join(ROOT, "web", "seams", file);

/** Node builtins the bundled modules import, and their browser stand-ins. */
const BUILTINS: Record<string, string> = {
  "node:crypto": seam("node-crypto.ts"),
  "node:fs": seam("node-fs.ts"),
  "node:path": seam("node-path.ts"),
};

/** Modules of dist/src replaced whole: each seam exports what the module's importers in the bundle use, typed as the original's. */
const SEAMS: Record<string, string> = {
  "paths.js": seam("paths.ts"),
  "kernels/module.js": seam("kernel-module.ts"),
  "run/code-hash.js": seam("code-hash.ts"),
  "control/auth-control.js": seam("auth-control.ts"),
  "policy/plugin-load.js": seam("plugin-load.ts"),
};

const inside = (dir: string, file: string): string | null => {
  const rel = relative(dir, file);
  return rel.startsWith("..") || rel.startsWith(sep) ? null : rel.split(sep).join("/");
};

/** Resolves src/*.ts to dist/src/*.js, then the seams; refuses any other Node builtin (a new Node-only import on the browser's path). */
function seams(): Plugin {
  return {
    name: "twinedge-seams",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (BUILTINS[source]) return BUILTINS[source];
      if (source.startsWith("node:")) this.error(`${importer ?? "?"} imports ${source}, which the browser does not have: add a seam in web/seams/ and web/vite.config.ts`);
      if (!importer) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!r || r.external) return r;
      let id = r.id;
      const src = inside(join(ROOT, "src"), id);
      if (src !== null && src.endsWith(".ts")) id = join(ROOT, "dist", "src", src.replace(/\.ts$/, ".js"));
      const dist = inside(join(ROOT, "dist", "src"), id);
      if (dist !== null && SEAMS[dist]) return SEAMS[dist];
      if (dist !== null && !existsSync(id)) this.error(`${id} is missing: run \`npm run build:ts\` before the web bundle`);
      return id;
    },
  };
}

export default defineConfig(async (): Promise<UserConfig> => {
  // The code hash of the JavaScript bundled, by the function the CLI uses.
  const { builtCodeHash } = await import(pathToFileURL(join(ROOT, "dist", "src", "run", "code-hash.js")).href) as { builtCodeHash(root: string): string };
  const codeHash = builtCodeHash(ROOT);
  return {
    root: join(ROOT, "web"),
    base: "./",
    publicDir: false,
    logLevel: "warn",
    define: { __TWINEDGE_CODE_HASH__: JSON.stringify(codeHash) },
    plugins: [seams(), {
      name: "twinedge-build-json",
      generateBundle() {
        // `twinedge view` serves the page only if this matches the JavaScript beside it.
        this.emitFile({ type: "asset", fileName: "build.json", source: `${JSON.stringify({ codeHash })}\n` });
      },
    } satisfies Plugin],
    worker: { format: "es", plugins: () => [seams()] },
    build: {
      outDir: join(ROOT, "dist", "web"),
      emptyOutDir: true,
      // Readable output: the simulator's modules as tsc wrote them, not minified.
      minify: false,
      target: "es2022",
      chunkSizeWarningLimit: 4096,
      assetsInlineLimit: 0,
    },
    server: { fs: { allow: [ROOT] } },
  };
});

