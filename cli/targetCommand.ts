import { sweepSectionProblems } from "../lib/cleanup/sweepRuns.ts";
import type { HarnessConfig } from "../lib/config/defineConfig.ts";
import { loadConfigFile } from "../lib/config/loadConfigFile.ts";
import { type OpenTarget, openTarget } from "../lib/config/openTarget.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { withinBound } from "../lib/drivers/withinBound.ts";
import { ConfigError, describeError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { redactSecrets } from "../lib/redact.ts";
import type { RunContext } from "../lib/result/runResult.ts";
import type { EngineChoice } from "../load/loadPlan.ts";
import { loadRunProblems } from "../load/scenarios/loadSection.ts";
import { probeSectionProblems, requireProbeTarget } from "../probe/probeSection.ts";
import { requireSmokeTarget, smokeSectionProblems } from "../smoke/smokeSection.ts";
import { type WatchTarget, watchSectionProblems } from "../watch/watchSection.ts";
import {
  type CliOptions,
  type CommandName,
  configPath,
  type parseArgs,
  resolveOptions,
} from "./commandLine.ts";
import { newRun, report } from "./runReports.ts";
import { interruptRun, type RunWatch, sweepCommandFor } from "./runSignals.ts";
import { assertWritableDir, REPORTS_ROOT } from "./writeReports.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The sections of a profile each command uses; each is validated by its user. */
const SECTION_PROBLEMS: Record<
  Exclude<CommandName, "signoff" | "merge" | "init">,
  (profile: TargetProfile) => string[]
> = {
  smoke: smokeSectionProblems,
  load: loadRunProblems,
  "k6-operator": loadRunProblems,
  "k8s-job": loadRunProblems,
  probe: probeSectionProblems,
  sweep: sweepSectionProblems,
  watch: watchSectionProblems,
  "alerts:rules": (profile) => watchSectionProblems(profile, "rules"),
};

/** The module a command runs, loaded ahead (a second import of it is the same module). */
function preload(command: Exclude<CommandName, "signoff" | "merge" | "init">): Promise<unknown> {
  switch (command) {
    case "smoke":
      return import("../smoke/runSmoke.ts");
    case "probe":
      return import("../probe/runProbe.ts");
    case "load":
      return import("./loadCommand.ts");
    case "watch":
      return import("./watchCommand.ts");
    default:
      return Promise.resolve();
  }
}

/** How long the target's teardown (the local stack stopping and dropping its data) may take. */
const TEARDOWN_BOUND_MS = 20_000;

async function smoke(
  target: OpenTarget,
  options: CliOptions,
  env: Env,
  run: RunContext,
): Promise<number> {
  const { runSmoke } = await import("../smoke/runSmoke.ts");
  const result = await runSmoke(requireSmokeTarget(target.profile), run, {
    phase: options.phase,
    timeoutMs: options.timeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    keepData: options.keepData,
    cleanupTimeoutMs: options.cleanupTimeoutMs,
  });
  return report(result, options, env);
}

async function probe(
  target: OpenTarget,
  options: CliOptions,
  env: Env,
  run: RunContext,
): Promise<number> {
  const { runProbe } = await import("../probe/runProbe.ts");
  const result = await runProbe(requireProbeTarget(target.profile), run, {
    ...(options.only ? { only: options.only } : {}),
    requestTimeoutMs: options.requestTimeoutMs,
    timeoutMs: options.timeoutMs,
    keepData: options.keepData,
    confirmProduction: options.confirmProduction,
    cleanupTimeoutMs: options.cleanupTimeoutMs,
  });
  return report(result, options, env);
}

async function sweep(target: OpenTarget, options: CliOptions): Promise<number> {
  const { requireSweepTarget, sweepRuns, sweepSummary } = await import(
    "../lib/cleanup/sweepRuns.ts"
  );
  const report = await sweepRuns(requireSweepTarget(target.profile), {
    olderThanMs: options.olderThanMs,
  });
  process.stdout.write(sweepSummary(report));
  return exitCodeFor(report.runs.some((r) => r.errors.length > 0) ? "checksFailed" : "pass");
}

/**
 * A command that acts on a target (smoke, load, probe, sweep, watch,
 * alerts:rules, k6-operator, k8s-job): the config loaded, flags and option
 * values checked together, the target opened, the command run, the target
 * torn down. Loaded by cli/harness.ts only for these commands, so --help,
 * init, signoff and merge never pay for the drivers.
 */
export async function runTargetCommand(
  parsed: ReturnType<typeof parseArgs>,
  command: Exclude<CommandName, "signoff" | "merge" | "init">,
  env: Env,
): Promise<number> {
  // Flags, config file and option values are checked together, so one run lists every problem.
  let config: HarnessConfig;
  const configFile = configPath(parsed, env);
  try {
    config = await loadConfigFile(configFile);
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
  const engine: EngineChoice =
    command === "load"
      ? await (await import("./loadCommand.ts")).chooseEngine(options.engine, env)
      : { kind: "node" };
  // Before anything touches the target: a run whose reports cannot be written is not started.
  if (command === "load" && options.split.shardDir !== undefined)
    await (await import("../load/distribute/shard.ts")).assertEmptyShardDir(options.split.shardDir);
  else if (command === "smoke" || command === "load" || command === "probe") {
    await assertWritableDir(
      options.reportDir ?? REPORTS_ROOT,
      options.reportDir ? "--report-dir" : "The reports folder",
    );
  }
  const definition = Object.hasOwn(config.targets, options.target)
    ? config.targets[options.target]
    : undefined;
  // A target set up fresh by each run (the local stack) is N targets to N runners: say so.
  const segments = (options.split.segment?.sequence.length ?? 2) - 1;
  if (command === "load" && segments > 1 && definition?.freshEachRun)
    process.stderr.write(
      `load: target ${options.target} is set up fresh for each run: each of the ${segments} runners loads its own, so their merge measures ${segments} targets, not one. Split a run against a shared target (staging).\n`,
    );
  // Manifests outlive the command; a stack set up for this command does not: the pods would find nothing.
  if ((command === "k6-operator" || command === "k8s-job") && definition?.freshEachRun)
    throw new ConfigError(
      [
        `${command} --target ${options.target}: that target is set up fresh for each run and stops when this command exits, so the manifests would point the runner pods at a stack that is gone. Write manifests for a shared target (staging), or start a stack that stays up (\`pnpm stack\`) and give a target its URLs.`,
      ],
      "Usage error",
    );
  if (command === "sweep" && definition?.freshEachRun) {
    process.stdout.write(`sweep · target ${options.target}: ${definition.freshEachRun}\n`);
    return exitCodeFor("pass");
  }
  const watch: RunWatch = { verdict: undefined };
  const sweepCommand = sweepCommandFor(options.target, definition, configFile);
  const interruption = interruptRun({
    readOnly: command === "watch" || command === "alerts:rules",
    cleanupTimeoutMs: options.cleanupTimeoutMs,
    watch,
    sweepCommand,
  });
  // Each command loads only its own suite, and starts loading it while the target opens
  // (the local stack starts): the imports fill the target's waits instead of following them.
  void preload(command).catch(() => {});
  let target: OpenTarget | undefined;
  try {
    target = await openTarget({
      config,
      targetName: options.target,
      env,
      keepData: options.keepData,
      confirmProduction: options.confirmProduction,
      // The watch only reads the target (its own alert keys aside): no production confirmation.
      // The probes decide per probe: read-only ones run on production, write ones need an opt-in.
      mutating: command !== "watch" && command !== "alerts:rules" && command !== "probe",
      sectionProblems: SECTION_PROBLEMS[command],
      // The generators prepare a load run: the target is set up as a load run's would be.
      purpose:
        command === "alerts:rules"
          ? "watch"
          : command === "k6-operator" || command === "k8s-job"
            ? "load"
            : command,
      configFile,
      setupTimeoutMs: options.setupTimeoutMs,
      signal: interruption.signal,
    });
    if (interruption.signal.aborted) return exitCodeFor("interrupted");
    if (command === "smoke" || command === "load" || command === "probe") {
      const run = newRun(command, env, interruption.signal, watch, sweepCommand);
      if (command === "probe") return await probe(target, options, env, run);
      return command === "smoke"
        ? await smoke(target, options, env, run)
        : await (await import("./loadCommand.ts")).loadCommand(target, options, engine, env, run);
    }
    if (command === "k6-operator" || command === "k8s-job") {
      const { k6OperatorCommand, k8sJobCommand } = await import("./distributeCommand.ts");
      return command === "k6-operator"
        ? await k6OperatorCommand(target, options)
        : await k8sJobCommand(target, options, configFile);
    }
    if (command === "watch") {
      const { watchCommand } = await import("./watchCommand.ts");
      return await watchCommand(target, options, interruption.signal);
    }
    if (command === "alerts:rules") {
      const { prometheusRules } = await import("../watch/prometheusRules.ts");
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
    // What setup() started (the local stack) stops within a bound too: a stack whose own
    // stores went silent must not keep a finished run from exiting.
    await withinBound(
      () => target?.teardown() ?? Promise.resolve(),
      TEARDOWN_BOUND_MS,
      "teardown",
    ).catch((error: unknown) => {
      process.stderr.write(
        `The target's teardown did not finish (${describeError(error)}); exiting anyway: ${sweepCommand} removes what it left.\n`,
      );
    });
    interruption.dispose();
  }
}
