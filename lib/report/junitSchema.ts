import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { packageFile } from "../packageFile.ts";

/**
 * The Jenkins xUnit JUnit schema (MIT, jenkinsci/xunit-plugin), a copy of
 * `../shared/schemas/junit-10.xsd` kept in the repo so any clone can validate.
 */
const JUNIT_XSD = fileURLToPath(packageFile("lib/report/junit-10.xsd"));

export interface SchemaCheck {
  valid: boolean;
  /** What xmllint printed: "<file> validates", or the schema errors. */
  output: string;
}

/** Validates a JUnit file against junit-10.xsd with xmllint (Debian: libxml2-utils). */
export function validateJunit(file: string): Promise<SchemaCheck> {
  return new Promise((done, fail) =>
    execFile("xmllint", ["--noout", "--schema", JUNIT_XSD, file], (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        fail(
          new Error(
            "xmllint is not installed: install libxml2-utils (apt-get install libxml2-utils; macOS has it).",
          ),
        );
        return;
      }
      done({ valid: !error, output: stderr.trim() });
    }),
  );
}
