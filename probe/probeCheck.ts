import type { CheckResult } from "../lib/result/runResult.ts";
import { type CheckVerdict, skippedCheck, timedCheck } from "../lib/timedCheck.ts";

/**
 * One probe as a check: not run when the run is already interrupted, timed,
 * and, when Ctrl-C came while it ran, skipped rather than failed (a request
 * cut short proves nothing either way, and is never blamed on the target).
 */
export async function probeCheck(
  name: string,
  expected: string,
  run: () => Promise<CheckVerdict>,
  signal: AbortSignal | undefined,
  hintOnThrow: string,
): Promise<CheckResult> {
  if (signal?.aborted) return skippedCheck(name, expected, "interrupted before this probe ran");
  const verdict = await timedCheck(name, expected, run, hintOnThrow);
  return signal?.aborted && verdict.status !== "passed"
    ? {
        ...verdict,
        status: "skipped",
        hint: "Interrupted while this probe ran: what it sent was cut short, so it proves nothing either way.",
      }
    : verdict;
}
