// `npm run schema`: regenerates scenarios/schema.json (a test keeps it in step with the code).
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { ROOT } from "../paths.js";
import { schemaText } from "./json-schema.js";

const path = join(ROOT, "scenarios", "schema.json");
writeFileAtomic(path, schemaText());
console.log(`wrote ${path}`);
