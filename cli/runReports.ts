import { newRunId } from "../lib/drivers/runId.ts";
import { describeError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { consoleSummary } from "../lib/report/consoleSummary.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunContext, RunResult, SuiteName } from "../lib/result/runResult.ts";
import type { CliOptions } from "./commandLine.ts";
import type { RunWatch } from "./runSignals.ts";
import { writeReports } from "./writeReports.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** A run's context, minted here: its id names what it creates and its report folder. */
export function newRun(
  suite: SuiteName,
  env: Env,
  signal: AbortSignal,
  watch: RunWatch,
  sweepCommand: string,
): RunContext {
  const startedAt = new Date();
  return {
    suite,
    runId: newRunId(suite, startedAt),
    startedAt,
    environment: runEnvironment(env),
    signal,
    onProgress: (message) => process.stderr.write(`${suite}: ${message}\n`),
    onVerdict: (outcome) => {
      watch.verdict = outcome;
    },
    sweepCommand,
  };
}

/**
 * Writes the run's reports, then prints the console summary. A write that
 * fails after the run is named after the summary, and the verdict's exit
 * code stands: the verdict is never lost to a full disk.
 */
export async function report(result: RunResult, options: CliOptions, env: Env): Promise<number> {
  const written = await writeReports(result, options.reportDir).then(
    (dir) => ({ dir }),
    (error: unknown) => ({ error }),
  );
  process.stdout.write(
    consoleSummary(result, {
      color: process.stdout.isTTY === true && !env.NO_COLOR,
      ...("dir" in written ? { reportDir: written.dir } : {}),
    }),
  );
  if ("error" in written)
    process.stderr.write(
      `reports: could not be written (${describeError(written.error)}); the verdict above stands.\n`,
    );
  return exitCodeFor(result.outcome);
}
