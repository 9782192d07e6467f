#!/usr/bin/env node
// Entry point of the `twinedge` command; the code lives in dist/ (built by `npm run build`).
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("twinedge: not built yet; run 'npm run build' first");
  process.exit(2);
}
const { main } = await import(cli.href);
await main(process.argv);
