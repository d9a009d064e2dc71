import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { PROFILE_JSON_SCHEMA_PATH, profileJsonSchema } from "./profileJsonSchema.ts";
import {
  folderReadmeProblems,
  GENERATED_TABLES,
  LISTED_FOLDERS,
  readmeTableProblems,
  withGeneratedTables,
} from "./readmeTables.ts";

/**
 * `pnpm lint:docs [--write]`: the README's generated tables and
 * docs/profile.schema.json against the code that owns them (rewritten with
 * --write), and each folder README against its files.
 */
const root = resolve(import.meta.dirname, "..");
let readme = await readFile(resolve(root, "README.md"), "utf8");
// `pnpm lint:docs --write` regenerates the tables in place, then checks as usual.
if (process.argv.includes("--write")) {
  readme = withGeneratedTables(readme);
  await writeFile(resolve(root, "README.md"), readme);
  await writeFile(resolve(root, PROFILE_JSON_SCHEMA_PATH), profileJsonSchema());
}
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);
const problems = readmeTableProblems(readme);
const committedSchema = await readFile(resolve(root, PROFILE_JSON_SCHEMA_PATH), "utf8").catch(
  () => undefined,
);
if (committedSchema !== profileJsonSchema())
  problems.push(
    `${PROFILE_JSON_SCHEMA_PATH} is ${committedSchema === undefined ? "missing" : "not what lib/config/schemas say"}: run pnpm lint:docs --write.`,
  );
for (const folder of LISTED_FOLDERS) {
  const own = await readFile(resolve(root, folder, "README.md"), "utf8").catch(() => undefined);
  problems.push(...folderReadmeProblems(folder, own, files));
}
for (const p of problems) console.log(p);
console.log(
  problems.length === 0
    ? `docs: ${GENERATED_TABLES.length} generated README table(s) and ${PROFILE_JSON_SCHEMA_PATH} up to date; ${LISTED_FOLDERS.join(", ")} READMEs name every file`
    : `docs: ${problems.length} finding${problems.length === 1 ? "" : "s"}`,
);
process.exitCode = exitCodeFor(problems.length === 0 ? "pass" : "checksFailed");
