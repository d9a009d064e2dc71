import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { packageFile } from "../packageFile.ts";
import type { RunResult } from "./runResult.ts";

/** The published schema of summary.json (RunResult v2), in the repository beside the model. */
export const RUN_RESULT_SCHEMA_FILE = packageFile("lib/result/runResult.schema.json");

let compiled: ValidateFunction<RunResult> | undefined;

/** The schema, read and compiled on first use (not at every start of the CLI). */
function validator(): ValidateFunction<RunResult> {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    compiled = ajv.compile<RunResult>(
      JSON.parse(readFileSync(RUN_RESULT_SCHEMA_FILE, "utf8")) as object,
    );
  }
  return compiled;
}

/** Every way `value` differs from the schema, each naming its field (empty when it conforms). */
export function runResultProblems(value: unknown): string[] {
  const validate = validator();
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
