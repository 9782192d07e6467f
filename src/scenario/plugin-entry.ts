// A scenario's policy entries: a built-in's name, or a plug-in {name, module, options}
// (docs/plugins.md). The schema (schema.ts) parses them; everyone else reads names through
// policyNames, so a plug-in appears in summary.csv, paired.csv and the figures by its name.
import { z } from "zod";

export const POLICY_NAMES = ["local", "random", "nearest", "greedy", "il", "jal", "mfq", "optimum"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** File extensions a plug-in module may have: JavaScript modules, or TypeScript transpiled at load. */
export const PLUGIN_EXTENSIONS = [".js", ".mjs", ".ts", ".mts"] as const;

const BUILT_IN = new Set<string>(POLICY_NAMES);

/** Names an object already has (constructor, toString, __proto__, ...): the figures' spec (vega) keys data by policy name and breaks on them. */
const OBJECT_KEYS = new Set<string>([...Object.getOwnPropertyNames(Object.prototype), "__proto__"]);

/**
 * A plug-in: `module` relative to the scenario file's folder; `sha256`, the module file's
 * hash, is filled in at load (a given one must match the file) and is part of the trial id.
 */
const pluginEntry = z.strictObject({
  name: z.string({ error: "expected a name" })
    .regex(/^[A-Za-z0-9._-]+$/, { error: "expected letters, digits, '.', '_' or '-'" })
    .refine((n) => !BUILT_IN.has(n), { error: (iss) => `${JSON.stringify(iss.input)} is a built-in policy: give the plug-in another name` })
    .refine((n) => !OBJECT_KEYS.has(n), { error: (iss) => `${JSON.stringify(iss.input)} is the name of a JavaScript object property (reserved: the figures cannot take it): give the plug-in another name` }),
  module: z.string({ error: "expected a module path" })
    .min(1, { error: "expected a module path" })
    .refine((m) => PLUGIN_EXTENSIONS.some((e) => m.toLowerCase().endsWith(e)), { error: `expected a module file ending in ${PLUGIN_EXTENSIONS.join(", ")}` })
    .describe("The plug-in's module (.js, .mjs, or .ts transpiled at load), relative to the scenario file's folder: docs/plugins.md."),
  /** Handed to the factory as ctx.options; part of the trial id. */
  options: z.record(z.string(), z.unknown(), { error: "expected an object" }).default({}).describe("Handed to the plug-in's createPolicy as ctx.options; part of the trial id."),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a hex SHA-256" }).optional()
    .describe("The module file's SHA-256, filled in at load (part of the trial id); a given one must match the file."),
});
type PluginEntry = z.output<typeof pluginEntry>;
export type PolicyEntry = PolicyName | PluginEntry;

/** Why an entry is neither a built-in's name nor a plug-in: for an object, the plug-in field at fault. */
function badEntry(input: unknown): string {
  if (input && typeof input === "object" && !Array.isArray(input)) {
    const r = pluginEntry.safeParse(input);
    const iss = r.success ? undefined : r.error.issues[0];
    if (iss) {
      const field = iss.code === "unrecognized_keys" ? `${iss.keys[0]}: unknown field` : `${iss.path.join(".")}: ${iss.message}`;
      return `expected a plug-in {"name", "module", "options"}: ${field}`;
    }
  }
  return `expected one of ${POLICY_NAMES.join(", ")}, or a plug-in {"name", "module", "options"}`;
}

/** One entry of `policies`: a built-in name or a plug-in object (told apart by their JSON type). */
export const policyEntry = z.union([z.enum(POLICY_NAMES), pluginEntry], { error: (iss) => badEntry(iss.input) });

/** The entry's name: the built-in's, or the plug-in's `name`. */
export const policyNameOf = (p: PolicyEntry): string => (typeof p === "string" ? p : p.name);

/** The names of a scenario's policies, in its order (what records, summary.csv and figures carry). */
export const policyNames = (policies: readonly PolicyEntry[]): string[] => policies.map(policyNameOf);
