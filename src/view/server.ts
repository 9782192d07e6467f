// `twinedge view`: serves the prebuilt page (dist/web, `npm run build:web`) on 127.0.0.1, and
// the scenario given on the command line (already validated by the CLI) for the page to open.
// The simulation runs in the browser (web/worker.ts); this server only hands out files.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";
import { ROOT } from "../paths.js";
import { builtCodeHash } from "../run/code-hash.js";
import { InputError } from "../validation.js";

const WEB = join(ROOT, "dist", "web");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png",
};

/** The scenario the page opens first: its raw JSON, the path it came from, the name it runs under. */
export interface GivenScenario {
  raw: unknown;
  source: string;
  name: string;
}

/** Refuses a missing page, or one bundled from other JavaScript than dist/src (its records would carry the wrong code hash). */
function checkPage(): void {
  const info = join(WEB, "build.json");
  if (!existsSync(info) || !existsSync(join(WEB, "index.html"))) throw new InputError(WEB, ["the browser view is not built: run `npm run build`"]);
  const built = (JSON.parse(readFileSync(info, "utf8")) as { codeHash?: string }).codeHash;
  const now = builtCodeHash(ROOT);
  if (built !== now) throw new InputError(WEB, [`the page was bundled from other JavaScript (code ${String(built)}) than dist/src now holds (${now}): run \`npm run build\``]);
}

/** A file of dist/web for a request path, or null (outside it, or not a file). */
function fileFor(urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  const file = resolve(WEB, `.${path.endsWith("/") ? `${path}index.html` : path}`);
  const rel = relative(WEB, file);
  if (rel.startsWith("..") || rel.startsWith(sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** The Host header the view answers to: 127.0.0.1:<port> or localhost:<port> (any other name may be a rebound DNS name). */
function allowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && (host.toLowerCase() === `127.0.0.1:${port}` || host.toLowerCase() === `localhost:${port}`);
}

/** Called by the `view` command: listens on 127.0.0.1:`port` (0: any free port) until the process ends. */
export function serveView(port: number, given?: GivenScenario): Promise<{ url: string; server: Server }> {
  checkPage();
  const initial = given ? `${JSON.stringify(given)}\n` : undefined;
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "GET only\n");
    // DNS rebinding: a page of another name that resolves to 127.0.0.1 is refused.
    const address = server.address();
    const bound = typeof address === "object" && address ? address.port : port;
    if (!allowedHost(req.headers.host, bound)) return send(403, "text/plain", `forbidden: the view answers only to 127.0.0.1:${bound} and localhost:${bound}\n`);
    const url = req.url ?? "/";
    // null when none was given (a 404 would be a console error on the page).
    if (url.split("?")[0] === "/initial-scenario.json") return send(200, TYPES[".json"], initial ?? "null\n");
    const file = fileFor(url);
    if (!file) return send(404, "text/plain", "not found\n");
    send(200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      fail(e.code === "EADDRINUSE" ? new InputError("--port", [`port ${port} on 127.0.0.1 is taken; choose another with --port P (0: any free port)`])
        : e.code === "EACCES" ? new InputError("--port", [`port ${port} on 127.0.0.1 is not allowed to this user; choose another with --port P`]) : e);
    });
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      done({ url: `http://127.0.0.1:${bound}/`, server });
    });
  });
}
