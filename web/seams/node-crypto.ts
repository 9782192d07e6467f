// The browser bundle's node:crypto (web/vite.config.ts maps the import here): createHash
// for "sha256", synchronous, on a TypeScript SHA-256; nothing else. Authentication's
// signatures never reach the bundle (web/seams/auth-control.ts refuses auth first).
import { Sha256, toHex } from "./sha256.js";

const utf8 = new TextEncoder();

/** node:crypto's Hash as the simulator uses it: update(text | bytes), digest("hex"). */
class Hash {
  private readonly s = new Sha256();

  update(data: string | Uint8Array): this {
    this.s.update(typeof data === "string" ? utf8.encode(data) : data);
    return this;
  }

  digest(encoding: "hex"): string {
    if (encoding !== "hex") throw new Error(`twinedge view: digest("${String(encoding)}") is not available in the browser, only "hex"`);
    return toHex(this.s.digest());
  }
}

/** Called by src/sweep/hash.ts, src/world/trace.ts (through the bundle's alias). */
export function createHash(algorithm: string): Hash {
  if (algorithm !== "sha256") throw new Error(`twinedge view: createHash("${algorithm}") is not available in the browser, only sha256`);
  return new Hash();
}

/** Called by src/io/atomic.ts and src/results/lock.ts, which write files: never in the browser. */
export function randomBytes(): never {
  throw new Error("twinedge view: node:crypto randomBytes is not available in the browser");
}
