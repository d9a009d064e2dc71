import { randomBytes } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError, describeError } from "../lib/errors.ts";
import { REPORT_FILES } from "../lib/report/reportFiles.ts";
import type { RunResult } from "../lib/result/runResult.ts";

/** Where run folders go unless --report-dir names the run's own folder. */
export const REPORTS_ROOT = "reports";

/** Where a run's reports go unless --report-dir says otherwise: a folder named after its run id. */
export function defaultReportDir(result: RunResult, root = REPORTS_ROOT): string {
  return join(root, result.runId);
}

/**
 * Before a run touches its target: the folder its reports will go to (the
 * --report-dir, or the reports root its run folder goes under) exists or is
 * created, is a directory, and takes a file. Otherwise a ConfigError (exit 2)
 * naming the folder and why, so no run's result is lost after the fact.
 * `flag` names where the folder came from, for the message.
 */
export async function assertWritableDir(dir: string, flag: string): Promise<void> {
  const path = resolve(dir);
  const fail = (why: string) =>
    new ConfigError(
      [`${flag} ${dir}: ${why}. Give a folder this user may write to.`],
      "Reports could not be written",
    );
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw fail("is not a directory");
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw fail(`cannot be created (${describeError(error)})`);
  }
  // A real write: permissions alone say nothing to root, nor of a read-only mount.
  const probe = join(path, `.harness-write-check-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(probe, "");
  } catch (error) {
    throw fail(`is not writable (${describeError(error)})`);
  } finally {
    await rm(probe, { force: true });
  }
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
