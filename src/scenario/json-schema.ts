import { z } from "zod";
import { scenarioSchema } from "./schema.js";

/** The scenario format as JSON Schema (input side: fields with defaults are optional). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }),
    title: "twinedge scenario",
    description: "A twinedge experiment: the simulated system, the policies, the seeds and the sweep axes. Defaults: Table I of the paper and the assumptions in docs/model.md.",
  };
}

export const schemaText = (): string => `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
