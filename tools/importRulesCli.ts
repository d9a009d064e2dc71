import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { IMPORT_RULES, importProblems, readSources } from "./importRules.ts";
import { unusedExports } from "./unusedExports.ts";

/** `pnpm lint:imports`: every tracked source against the import rules, and exports nothing imports; file:line findings, exit 1 when any. */
const root = resolve(import.meta.dirname, "..");
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean);
const sources = await readSources(root, tracked);
const problems = [
  ...importProblems(sources),
  ...unusedExports(sources).map((u) => ({
    ...u,
    message: `${u.name} is exported and nothing imports it: drop the export (or the code, if nothing uses it).`,
  })),
];
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
console.log(
  problems.length === 0
    ? `imports: ${sources.length} files, no findings (${Object.keys(IMPORT_RULES).length} folders' rules, the stack's face, runtime-neutral k6 scripts, no export nothing imports)`
    : `imports: ${problems.length} finding${problems.length === 1 ? "" : "s"} in ${sources.length} files`,
);
process.exitCode = exitCodeFor(problems.length === 0 ? "pass" : "checksFailed");
