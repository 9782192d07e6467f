// `npm run schema`: regenerates scenarios/schema.json (a test keeps it in step with the code).
// Written to a temporary file and renamed, so a reader never sees half a schema; done here
// with node:fs rather than src/results/atomic.ts, a room above this one.
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../paths.js";
import { schemaText } from "./json-schema.js";

const path = join(ROOT, "scenarios", "schema.json");
const tmp = `${path}.${process.pid}.tmp`;
writeFileSync(tmp, schemaText());
renameSync(tmp, path);
console.log(`wrote ${path}`);
