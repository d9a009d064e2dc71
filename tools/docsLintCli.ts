import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { PROFILE_JSON_SCHEMA_PATH, profileJsonSchema } from "./profileJsonSchema.ts";
import { keyProblems, PROFILE_KEYS_PATH, profileKeys, profileKeysPage } from "./profileKeys.ts";
import {
  folderReadmeProblems,
  GENERATED_TABLES,
  LISTED_FOLDERS,
  linkProblems,
  README_MAX_LINES,
  readmeTableProblems,
  TABLE_FILES,
  withGeneratedTables,
} from "./readmeTables.ts";

/**
 * `pnpm lint:docs [--write]`: the generated tables and
 * docs/profile.schema.json against the code that owns them (rewritten with
 * --write), each folder README against its files, every relative link of
 * the docs, and the README's length (a front door, not the reference).
 */
const root = resolve(import.meta.dirname, "..");
const write = process.argv.includes("--write");
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);
const problems: string[] = [];
for (const file of TABLE_FILES) {
  let text = await readFile(resolve(root, file), "utf8");
  // `pnpm lint:docs --write` regenerates the tables in place, then checks as usual.
  if (write) {
    text = withGeneratedTables(text, file);
    await writeFile(resolve(root, file), text);
  }
  problems.push(...readmeTableProblems(text, file));
}
const keys = profileKeys(JSON.parse(profileJsonSchema()));
// Both are generated from lib/config/schemas: the JSON Schema for editors, the key reference for readers.
for (const [file, generated] of [
  [PROFILE_JSON_SCHEMA_PATH, profileJsonSchema()],
  [PROFILE_KEYS_PATH, profileKeysPage(keys)],
] as const) {
  if (write) await writeFile(resolve(root, file), generated);
  const committed = await readFile(resolve(root, file), "utf8").catch(() => undefined);
  if (committed !== generated)
    problems.push(
      `${file} is ${committed === undefined ? "missing" : "not what lib/config/schemas say"}: run pnpm lint:docs --write.`,
    );
}
for (const folder of LISTED_FOLDERS) {
  const own = await readFile(resolve(root, folder, "README.md"), "utf8").catch(() => undefined);
  problems.push(...folderReadmeProblems(folder, own, files));
}
const known = new Set(files);
const folders = new Set(
  files.flatMap((f) =>
    f
      .split("/")
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
  ),
);
const pages: { file: string; text: string }[] = [];
for (const file of files.filter((f) => f.endsWith(".md") && !f.startsWith("node_modules/"))) {
  const text = await readFile(resolve(root, file), "utf8");
  pages.push({ file, text });
  problems.push(...linkProblems(file, text, (path) => known.has(path) || folders.has(path)));
}
problems.push(...keyProblems(keys, pages));
const readmeLines = (await readFile(resolve(root, "README.md"), "utf8")).split("\n").length;
if (readmeLines > README_MAX_LINES)
  problems.push(
    `README.md is ${readmeLines} lines, over ${README_MAX_LINES}: it is the front door; move a suite's reference to its folder's README.`,
  );
for (const p of problems) console.log(p);
console.log(
  problems.length === 0
    ? `docs: ${GENERATED_TABLES.length} generated table(s), ${PROFILE_JSON_SCHEMA_PATH} and ${PROFILE_KEYS_PATH} up to date; ${keys.length} profile keys, each documented once; ${LISTED_FOLDERS.join(", ")} READMEs name every file; every relative link resolves; README.md ${readmeLines} lines`
    : `docs: ${problems.length} finding${problems.length === 1 ? "" : "s"}`,
);
process.exitCode = exitCodeFor(problems.length === 0 ? "pass" : "checksFailed");
