import { describeError } from "../lib/errors.ts";
import type { CheckResult } from "../lib/report/runResult.ts";

export type CheckVerdict = Omit<CheckResult, "name" | "durationMs">;

/** Runs one check, timing it; a throw becomes a failed check that says what was thrown. */
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
    verdict = {
      status: "failed",
      expected,
      observed: `error: ${describeError(error)}`,
      hint: hintOnThrow,
    };
  }
  return { name, durationMs: Math.round((performance.now() - started) * 10) / 10, ...verdict };
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
