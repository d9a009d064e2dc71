import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { RunResult } from "./runResult.ts";

/** The published schema of summary.json (RunResult v2), in the repository beside the model. */
export const RUN_RESULT_SCHEMA_FILE = new URL("./runResult.schema.json", import.meta.url);

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const validate = ajv.compile<RunResult>(
  JSON.parse(readFileSync(RUN_RESULT_SCHEMA_FILE, "utf8")) as object,
);

/** Every way `value` differs from the schema, each naming its field (empty when it conforms). */
export function runResultProblems(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = e.instancePath === "" ? "(the top level)" : e.instancePath;
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : e.keyword === "enum"
          ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
          : "";
    return `${field} ${e.message ?? "is invalid"}${extra}`;
  });
}
