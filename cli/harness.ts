import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HarnessConfig } from "../lib/config/defineConfig.ts";
import { loadConfigFile } from "../lib/config/loadConfigFile.ts";
import { type OpenTarget, openTarget } from "../lib/config/openTarget.ts";
import { ConfigError, HarnessError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { redactSecrets } from "../lib/redact.ts";
import { consoleSummary } from "../lib/report/consoleSummary.ts";
import { junitXml } from "../lib/report/junitXml.ts";
import { runSmoke } from "../smoke/runSmoke.ts";
import { sweepRuns, sweepSummary } from "../smoke/sweepRuns.ts";
import {
  configPath,
  helpText,
  parseArgs,
  resolveOptions,
  type SmokeCliOptions,
} from "./commandLine.ts";

type Env = Readonly<Record<string, string | undefined>>;

function defaultReportDir(target: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return join("reports", `${stamp}-smoke-${target}`);
}

/**
 * Ctrl-C (or CI's SIGTERM) aborts the run's waits so cleanup still happens;
 * a second signal gives up at once.
 */
function interruptOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(exitCodeFor("interrupted"));
    process.stderr.write(
      "\nInterrupted: cleaning up what this run created (Ctrl-C again to abandon)…\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

async function smoke(
  target: OpenTarget,
  options: SmokeCliOptions,
  signal: AbortSignal,
): Promise<number> {
  const result = await runSmoke(target.profile, {
    phase: options.phase,
    timeoutMs: options.timeoutMs,
    keepData: options.keepData,
    signal,
    onProgress: (message) => process.stderr.write(`smoke: ${message}\n`),
  });
  const reportDir = resolve(
    options.reportDir ?? defaultReportDir(target.profile.name, new Date(result.startedAt)),
  );
  await mkdir(reportDir, { recursive: true });
  await writeFile(join(reportDir, "summary.json"), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(reportDir, "junit.xml"), junitXml(result));
  process.stdout.write(
    consoleSummary(result, {
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
      reportDir,
    }),
  );
  return exitCodeFor(result.outcome);
}

async function sweep(target: OpenTarget, options: SmokeCliOptions): Promise<number> {
  const report = await sweepRuns(target.profile, { olderThanMs: options.olderThanMs });
  process.stdout.write(sweepSummary(report));
  return exitCodeFor(report.runs.some((r) => r.errors.length > 0) ? "checksFailed" : "pass");
}

export async function main(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.flags.get("help") === true) {
    process.stdout.write(helpText(parsed.command));
    return exitCodeFor("pass");
  }
  const { command } = parsed;
  if (!command) {
    process.stderr.write(helpText(undefined));
    throw new ConfigError(
      [...parsed.problems, "No command given: use smoke or sweep."],
      "Usage error",
    );
  }
  // Flags, config file and option values are checked together, so one run lists every problem.
  let config: HarnessConfig;
  try {
    config = await loadConfigFile(configPath(parsed, env));
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError([...parsed.problems, ...error.problems]);
    throw error;
  }
  const { options, problems } = resolveOptions(parsed, env, config.defaults ?? {});
  if (parsed.problems.length + problems.length > 0) {
    throw new ConfigError([...parsed.problems, ...problems], "Usage error");
  }

  const interrupt = interruptOnSignals();
  let target: OpenTarget | undefined;
  try {
    target = await openTarget({
      config,
      targetName: options.target,
      env,
      keepData: options.keepData,
      confirmProduction: options.confirmProduction,
    });
    if (interrupt.signal.aborted) return exitCodeFor("interrupted");
    return command === "smoke"
      ? await smoke(target, options, interrupt.signal)
      : await sweep(target, options);
  } catch (error) {
    // Secrets the target knows must not leak through an error message either.
    if (error instanceof Error && target)
      error.message = redactSecrets(error.message, target.profile.secrets);
    throw error;
  } finally {
    await target?.teardown();
    interrupt.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof HarnessError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(exitCodeFor(error.outcome));
      }
      // A bug in the harness, not a verdict on the target: show the stack, and never claim a pass.
      process.stderr.write(
        `harness: unexpected error\n${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(exitCodeFor("checksFailed"));
    },
  );
}
