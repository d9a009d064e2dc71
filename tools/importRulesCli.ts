import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { IMPORT_RULES, importProblems, readSources } from "./importRules.ts";

/** `pnpm lint:imports`: every tracked source against the import rules; file:line findings, exit 1 when any. */
const root = resolve(import.meta.dirname, "..");
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);
const sources = await readSources(root, tracked);
const problems = importProblems(sources);
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
console.log(
  problems.length === 0
    ? `imports: ${sources.length} files, no findings (${Object.keys(IMPORT_RULES).length} folders' rules, the stack's face, runtime-neutral k6 scripts)`
    : `imports: ${problems.length} finding${problems.length === 1 ? "" : "s"} in ${sources.length} files`,
);
process.exitCode = exitCodeFor(problems.length === 0 ? "pass" : "checksFailed");
