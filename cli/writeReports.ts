import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { REPORT_FILES } from "../lib/report/reportFiles.ts";
import type { RunResult } from "../lib/report/runResult.ts";

/** Where a run's reports go unless --report-dir says otherwise: a folder named after its run id. */
export function defaultReportDir(result: RunResult, root = "reports"): string {
  return join(root, result.runId);
}

/** Writes every report file into the run's folder; returns the folder's absolute path. */
export async function writeReports(
  result: RunResult,
  reportDir: string | undefined,
): Promise<string> {
  const dir = resolve(reportDir ?? defaultReportDir(result));
  await mkdir(dir, { recursive: true });
  for (const file of REPORT_FILES) await writeFile(join(dir, file.name), file.render(result));
  return dir;
}
