import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { GENERATED_TABLES, readmeTableProblems } from "./readmeTables.ts";

/** `pnpm lint:docs`: the README's generated tables against the code that owns them. */
const readme = await readFile(resolve(import.meta.dirname, "../README.md"), "utf8");
const problems = readmeTableProblems(readme);
for (const p of problems) console.log(p);
console.log(
  problems.length === 0
    ? `docs: ${GENERATED_TABLES.length} generated README table(s) up to date`
    : `docs: ${problems.length} finding${problems.length === 1 ? "" : "s"}`,
);
process.exitCode = exitCodeFor(problems.length === 0 ? "pass" : "checksFailed");
