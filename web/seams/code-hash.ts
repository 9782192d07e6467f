// The browser's src/run/code-hash.ts (web/vite.config.ts maps the import here): the bundle is
// built from dist/src/**/*.js, the JavaScript the CLI runs, so its code hash is the CLI's,
// computed by the same function when the bundle was built and written into it.
import type * as NodeCodeHash from "../../src/run/code-hash.js";

declare const __TWINEDGE_CODE_HASH__: string;

/** The hash of dist/src/**\/*.js at bundle time (src/run/trial.ts puts it in the record). */
export const codeHash: typeof NodeCodeHash.codeHash = () => __TWINEDGE_CODE_HASH__;
