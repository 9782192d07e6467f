// What the browser tests share: Debian's Chromium (never playwright's own download) and the
// folder their screenshots go to.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../src/paths.js";

/** Screenshots and measurements of the browser tests (git ignores it). */
export const OUT = join(ROOT, "test-output", "browser");

/** The system's Chromium: $CHROMIUM, else `which chromium`, else Debian's path. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  const which = spawnSync("which", ["chromium"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : "/usr/bin/chromium";
}
