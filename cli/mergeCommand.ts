import { newRunId } from "../lib/drivers/runId.ts";
import { ConfigError } from "../lib/errors.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunContext } from "../lib/result/runResult.ts";
import { mergeShards } from "../load/distribute/mergeShards.ts";
import type { CliOptions } from "./commandLine.ts";
import { report } from "./runReports.ts";
import { assertWritableDir, REPORTS_ROOT } from "./writeReports.ts";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `harness merge <shard dir>…`: the whole of a split run, judged once, in
 * the reports of a single run (a load run the sign-off reads like any
 * other); exit 5 when the shards do not make the whole.
 */
export async function mergeCommand(options: CliOptions, env: Env): Promise<number> {
  if (options.shards.length === 0)
    throw new ConfigError(
      [
        "merge needs the shard folders of a split run: harness merge <dir>… (one per runner, each written by harness load --segment i/N --shard-dir <dir>).",
      ],
      "Usage error",
    );
  await assertWritableDir(
    options.reportDir ?? REPORTS_ROOT,
    options.reportDir ? "--report-dir" : "The reports folder",
  );
  const startedAt = new Date();
  const context: RunContext = {
    suite: "load",
    runId: newRunId("load", startedAt),
    startedAt,
    environment: runEnvironment(env),
    onProgress: (message) => process.stderr.write(`merge: ${message}\n`),
  };
  const n = options.shards.length;
  context.onProgress?.(
    options.k6Plan
      ? `a k6-operator run's results in ${n === 1 ? options.shards[0] : `${n} places`}, by ${options.k6Plan}`
      : `${n} shard folder${n === 1 ? "" : "s"}`,
  );
  return report(
    await mergeShards(options.shards, context, options.k6Plan ? { k6Plan: options.k6Plan } : {}),
    options,
    env,
  );
}
