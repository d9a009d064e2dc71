import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../lib/result/runResult.ts";
import { runResultProblems } from "../lib/result/validateRunResult.ts";

/** Test support: a real run's result, checked against the published schema first. */
export function conforming(result: unknown, where: string): RunResult {
  const problems = runResultProblems(result);
  if (problems.length > 0)
    throw new Error(`${where} does not match the RunResult v2 schema:\n${problems.join("\n")}`);
  return result as RunResult;
}

/** Test support: `summary.json` of a run folder, checked against the published schema. */
export async function readSummary(dir: string): Promise<RunResult> {
  const file = join(dir, "summary.json");
  return conforming(JSON.parse(await readFile(file, "utf8")), file);
}
