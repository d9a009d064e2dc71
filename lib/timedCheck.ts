import { isCouldNotRead } from "./drivers/dependencyFailure.ts";
import { WaitAbortedError } from "./drivers/withinBound.ts";
import { ConfigError, DependencyUnreachableError, describeError } from "./errors.ts";
import type { CheckResult } from "./result/runResult.ts";

export type CheckVerdict = Omit<CheckResult, "name" | "durationMs">;

/**
 * Runs one check, timing it. A throw of the harness's own dependency (its
 * connection failed, a read never answered) is "could not judge" (`error`),
 * naming the connection; a config problem (e.g. a token helper refusing the
 * secret) ends the run (exit 2); any other throw is a failed check that says
 * what was thrown.
 */
export async function timedCheck(
  name: string,
  expected: string,
  run: () => Promise<CheckVerdict>,
  hintOnThrow: string,
): Promise<CheckResult> {
  const started = performance.now();
  let verdict: CheckVerdict;
  try {
    verdict = await run();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof WaitAbortedError) {
      const elapsed = Math.round(performance.now() - started);
      return { name, durationMs: elapsed, ...interruptedVerdict(expected, elapsed, "no answer") };
    }
    verdict = isCouldNotRead(error)
      ? couldNotJudge(expected, `error: ${describeError(error)}`, error, "its store")
      : {
          status: "failed",
          expected,
          observed: `error: ${describeError(error)}`,
          hint: hintOnThrow,
        };
  }
  return { name, durationMs: Math.round((performance.now() - started) * 10) / 10, ...verdict };
}

/**
 * The check's evidence could not be read: the harness's own dependency
 * failed, not the target. `source` names the connection the evidence is read
 * through (e.g. "Postgres (curva) at postgres://…"), for a read that simply
 * did not answer before the deadline.
 */
export function couldNotJudge(
  expected: string,
  observed: string,
  cause: unknown,
  source: string,
): CheckVerdict {
  return {
    status: "error",
    expected,
    observed,
    hint:
      cause instanceof DependencyUnreachableError
        ? `Could not judge: ${cause.message}`
        : `Could not judge: the harness's own connection to ${source} did not answer before the deadline; this says nothing about the target. Is it reachable from here, and steady?`,
  };
}

export function skippedCheck(name: string, expected: string, because: string): CheckResult {
  return { name, status: "skipped", durationMs: 0, expected, observed: "not run", hint: because };
}

/** A wait cut short by Ctrl-C proves nothing either way: skipped, with what was seen so far. */
export function interruptedVerdict(
  expected: string,
  elapsedMs: number,
  lastSeen: string,
): CheckVerdict {
  return {
    status: "skipped",
    expected,
    observed: `interrupted after ${elapsedMs} ms; last seen: ${lastSeen}`,
    hint: "The run was interrupted before this effect could be seen.",
  };
}
