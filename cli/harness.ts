import { pathToFileURL } from "node:url";
import {
  requireSweepTarget,
  sweepRuns,
  sweepSectionProblems,
  sweepSummary,
} from "../lib/cleanup/sweepRuns.ts";
import type { HarnessConfig } from "../lib/config/defineConfig.ts";
import { loadConfigFile } from "../lib/config/loadConfigFile.ts";
import { type OpenTarget, openTarget } from "../lib/config/openTarget.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { newRunId } from "../lib/drivers/runId.ts";
import { ConfigError, HarnessError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { interruptOnSignals } from "../lib/interruptOnSignals.ts";
import { redactSecrets } from "../lib/redact.ts";
import { consoleSummary } from "../lib/report/consoleSummary.ts";
import { runEnvironment } from "../lib/report/runEnvironment.ts";
import type { RunContext, SuiteName } from "../lib/report/runResult.ts";
import { findK6, k6Version } from "../load/k6/runK6.ts";
import { loadRunProblems, requireLoadTarget } from "../load/loadSection.ts";
import { type LoadEngine, resolveScenarios, runLoad } from "../load/runLoad.ts";
import { runSmoke } from "../smoke/runSmoke.ts";
import { requireSmokeTarget, smokeSectionProblems } from "../smoke/smokeSection.ts";
import { prometheusRules } from "../watch/prometheusRules.ts";
import { type WatchTarget, watchSectionProblems } from "../watch/watchSection.ts";
import {
  type CliOptions,
  COMMANDS,
  type CommandName,
  configPath,
  helpText,
  parseArgs,
  resolveOptions,
} from "./commandLine.ts";
import { livePrinter } from "./liveLine.ts";
import { signoffCommand } from "./signoffCommand.ts";
import { watchCommand } from "./watchCommand.ts";
import { writeReports } from "./writeReports.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The sections of a profile each command uses; each is validated by its user. */
const SECTION_PROBLEMS: Record<
  Exclude<CommandName, "signoff">,
  (profile: TargetProfile) => string[]
> = {
  smoke: smokeSectionProblems,
  load: loadRunProblems,
  sweep: sweepSectionProblems,
  watch: watchSectionProblems,
  "alerts:rules": (profile) => watchSectionProblems(profile, "rules"),
};

/** A run's context, minted here: its id names what it creates and its report folder. */
function newRun(suite: SuiteName, env: Env, signal: AbortSignal): RunContext {
  const startedAt = new Date();
  return {
    suite,
    runId: newRunId(suite, startedAt),
    startedAt,
    environment: runEnvironment(env),
    signal,
    onProgress: (message) => process.stderr.write(`${suite}: ${message}\n`),
  };
}

async function smoke(
  target: OpenTarget,
  options: CliOptions,
  env: Env,
  signal: AbortSignal,
): Promise<number> {
  const result = await runSmoke(requireSmokeTarget(target.profile), newRun("smoke", env, signal), {
    phase: options.phase,
    timeoutMs: options.timeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    keepData: options.keepData,
  });
  const reportDir = await writeReports(result, options.reportDir);
  process.stdout.write(
    consoleSummary(result, {
      color: process.stdout.isTTY === true && !env.NO_COLOR,
      reportDir,
    }),
  );
  return exitCodeFor(result.outcome);
}

async function load(
  target: OpenTarget,
  options: CliOptions,
  engine: LoadEngine,
  env: Env,
  signal: AbortSignal,
): Promise<number> {
  const loadTarget = requireLoadTarget(target.profile);
  const settings = {
    scenarios: options.scenarios,
    ...(options.durationSec ? { durationSec: options.durationSec } : {}),
    ...(options.connections ? { connections: options.connections } : {}),
    ...(options.ratePerSec ? { ratePerSec: options.ratePerSec } : {}),
    thresholds: options.thresholds,
    requestTimeoutMs: options.requestTimeoutMs,
    keepData: options.keepData,
  };
  const { scenarios, problems } = resolveScenarios(loadTarget, settings);
  if (problems.length > 0) throw new ConfigError(problems, "Bad thresholds");
  const live = livePrinter(process.stderr);
  const run = newRun("load", env, signal);
  const result = await runLoad(
    loadTarget,
    {
      ...run,
      onProgress: (message) => {
        live.end();
        run.onProgress?.(message);
      },
    },
    scenarios,
    { ...settings, engine, onLive: live.print },
  );
  live.end();
  const reportDir = await writeReports(result, options.reportDir);
  process.stdout.write(
    consoleSummary(result, { color: process.stdout.isTTY === true && !env.NO_COLOR, reportDir }),
  );
  return exitCodeFor(result.outcome);
}

/** --engine: k6 when asked (or, with auto, when installed), else the Node engine. */
async function chooseEngine(choice: CliOptions["engine"], env: Env): Promise<LoadEngine> {
  if (choice === "node") return { kind: "node" };
  const bin = findK6(env);
  if (bin) return { kind: "k6", bin, version: await k6Version(bin) };
  if (choice === "auto") return { kind: "node" };
  throw new ConfigError(
    [
      env.K6_BIN
        ? `--engine k6: K6_BIN="${env.K6_BIN}" is not an executable file.`
        : "--engine k6: no k6 on PATH. Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or set K6_BIN, or use --engine node.",
    ],
    "Usage error",
  );
}

async function sweep(target: OpenTarget, options: CliOptions): Promise<number> {
  const report = await sweepRuns(requireSweepTarget(target.profile), {
    olderThanMs: options.olderThanMs,
  });
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
      [...parsed.problems, `No command given: use ${Object.keys(COMMANDS).join(", ")}.`],
      "Usage error",
    );
  }
  // The sign-off reads run folders: no config file, no target, nothing to interrupt.
  if (command === "signoff") {
    const { options, problems } = resolveOptions(parsed, env, {});
    if (parsed.problems.length + problems.length > 0)
      throw new ConfigError([...parsed.problems, ...problems], "Usage error");
    return signoffCommand(options.signoff);
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

  // Before any target starts: a missing k6 is a usage error, not a stack to tear down.
  const engine: LoadEngine =
    command === "load" ? await chooseEngine(options.engine, env) : { kind: "node" };
  const interruption = interruptOnSignals({
    onInterrupt: () =>
      process.stderr.write(
        command === "watch" || command === "alerts:rules"
          ? "\nInterrupted: stopping after the current check…\n"
          : "\nInterrupted: cleaning up what this run created (Ctrl-C again to abandon)…\n",
      ),
    onRepeat: (signal) => {
      process.stderr.write(`Second ${signal}: exiting without cleanup.\n`);
      process.exit(exitCodeFor("interrupted"));
    },
  });
  let target: OpenTarget | undefined;
  try {
    target = await openTarget({
      config,
      targetName: options.target,
      env,
      keepData: options.keepData,
      confirmProduction: options.confirmProduction,
      // The watch only reads the target (its own alert keys aside): no production confirmation.
      mutating: command !== "watch" && command !== "alerts:rules",
      sectionProblems: SECTION_PROBLEMS[command],
      purpose: command === "alerts:rules" ? "watch" : command,
    });
    if (interruption.signal.aborted) return exitCodeFor("interrupted");
    if (command === "smoke") return await smoke(target, options, env, interruption.signal);
    if (command === "load") return await load(target, options, engine, env, interruption.signal);
    if (command === "watch") return await watchCommand(target, options, interruption.signal);
    if (command === "alerts:rules") {
      process.stdout.write(prometheusRules(target.profile as WatchTarget));
      return exitCodeFor("pass");
    }
    return await sweep(target, options);
  } catch (error) {
    // Secrets the target knows must not leak through an error message either.
    if (error instanceof Error && target)
      error.message = redactSecrets(error.message, target.profile.secrets);
    throw error;
  } finally {
    await target?.teardown();
    interruption.dispose();
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
        `harness: unexpected error (a bug in the harness, not a verdict on the target)\n${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(exitCodeFor("internalError"));
    },
  );
}
