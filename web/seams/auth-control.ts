// The browser's src/control/auth-control.ts (web/vite.config.ts maps the import here).
// Authentication signs and verifies Ed25519 synchronously through node:crypto, which the
// browser lacks (WebCrypto is asynchronous), so a scenario with auth.mode other than "off"
// is refused before it runs (web/worker.ts says why); this stand-in keeps the rest of the
// auth code out of the bundle and fails loudly if it is ever reached.
/** Why the browser view refuses authentication (web/worker.ts shows it, naming auth.mode). */
export const AUTH_REFUSAL = "authentication signs with Ed25519 through node:crypto, which the browser view does not have; run it with `twinedge run`, or set auth.mode to \"off\"";

/** Never constructed: src/run/build-simulation.ts builds it only for auth.mode other than "off". */
export class AuthControl {
  constructor() {
    throw new Error(`auth.mode: ${AUTH_REFUSAL}`);
  }
}

