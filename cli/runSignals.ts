import type { TargetDefinition } from "../lib/config/defineConfig.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { type Interruption, interruptOnSignals } from "../lib/interruptOnSignals.ts";
import type { RunOutcome } from "../lib/result/runResult.ts";
import { CLI_DEFAULTS } from "./cliOptions.ts";

/*
 * How a run ends when it is told to: the first signal stops the waits and
 * starts cleanup, a watchdog ends the process within the cleanup bound
 * whatever the dependencies do, and a verdict reached before keeps its code.
 */

/** What the CLI learns while a run goes on: the verdict, once the checks have one. */
export interface RunWatch {
  verdict: RunOutcome | undefined;
}

/** After the first signal the process is gone within the cleanup bound and this much more (reports, closing, the stack). */
const SIGNAL_EXIT_MARGIN_MS = 10_000;

/**
 * The exit code when a run is abandoned (a second signal, or the bound after
 * the first passed): a verdict already reached stands, unless it was a pass
 * whose cleanup did not finish (then no verdict: 130).
 */
function abandonedCode(watch: RunWatch): number {
  const { verdict } = watch;
  return exitCodeFor(
    verdict === "checksFailed" || verdict === "targetUnreachable" ? verdict : "interrupted",
  );
}

/** What removes a failed cleanup's leftovers later (a fresh stack's: the stack sweep). */
export function sweepCommandFor(
  targetName: string,
  definition: TargetDefinition | undefined,
  configFile: string,
): string {
  if (definition?.freshEachRun) return "pnpm stack --sweep-older-than 1s";
  return [
    "pnpm harness sweep",
    `--target ${targetName}`,
    configFile === CLI_DEFAULTS.config ? "" : `--config ${configFile}`,
    "--older-than 1s",
  ]
    .filter(Boolean)
    .join(" ");
}

/**
 * Listens for the run's signals. The first says what happens next and
 * arms the watchdog; a distinct second one exits at once. Either exits with
 * `abandonedCode`.
 */
export function interruptRun(options: {
  /** The watch and the rules file only read the target: nothing to clean up. */
  readOnly: boolean;
  cleanupTimeoutMs: number;
  watch: RunWatch;
  sweepCommand: string;
}): Interruption {
  const boundAfterSignalMs = options.cleanupTimeoutMs + SIGNAL_EXIT_MARGIN_MS;
  return interruptOnSignals({
    onInterrupt: () => {
      process.stderr.write(
        options.readOnly
          ? "\nInterrupted: stopping after the current check…\n"
          : `\nInterrupted: cleaning up what this run created (at most ${Math.round(options.cleanupTimeoutMs / 1000)} s; Ctrl-C again to abandon)…\n`,
      );
      // Whatever the dependencies do, the process is gone within the bound.
      setTimeout(() => {
        process.stderr.write(
          `Still not done ${Math.round(boundAfterSignalMs / 1000)} s after the signal: exiting; what the run created may be left (\`${options.sweepCommand}\`).\n`,
        );
        process.exit(abandonedCode(options.watch));
      }, boundAfterSignalMs).unref();
    },
    onRepeat: (signal) => {
      process.stderr.write(`Second ${signal}: exiting without cleanup.\n`);
      process.exit(abandonedCode(options.watch));
    },
  });
}
