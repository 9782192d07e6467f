// The browser bundle's node:path (web/vite.config.ts maps the import here): the POSIX
// string functions the bundled modules import (src/sweep/load.ts, src/world/mobility.ts,
// src/results/*). They only ever see names, never a file system.

function normalize(parts: string[], absolute: boolean): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(p);
  }
  return (absolute ? "/" : "") + out.join("/") || (absolute ? "/" : ".");
}

/** path.join: the parts joined by "/" and normalised. */
export function join(...parts: string[]): string {
  const all = parts.filter((p) => p !== "").join("/");
  return normalize(all.split("/"), all.startsWith("/"));
}

/** path.resolve against the browser's only folder, "/". */
export function resolve(...parts: string[]): string {
  let path = "";
  for (const p of parts) path = p.startsWith("/") ? p : `${path}/${p}`;
  return normalize(path.split("/"), true);
}

/** path.dirname. */
export function dirname(path: string): string {
  const cut = path.replace(/\/+$/, "").lastIndexOf("/");
  return cut < 0 ? "." : cut === 0 ? "/" : path.slice(0, cut);
}

/** path.basename (without the extension argument, which the bundle never passes). */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** path.relative is used only for files on disk (src/run/build-info.ts): not in the browser. */
export function relative(): never {
  throw new Error("twinedge view: node:path relative is not available in the browser");
}
