import type { Outcome } from "../exitCodes.ts";

/**
 * The result model: the contract between suites and reporters. Bump
 * `schemaVersion` on any change a reader of summary.json would notice.
 */
export const RUN_RESULT_SCHEMA_VERSION = 1;

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult {
  /** A domain name, e.g. `webhookLogHasOrder`. */
  name: string;
  status: CheckStatus;
  durationMs: number;
  expected: string;
  observed: string;
  /** One line at the likely cause; set when the check failed or was skipped. */
  hint?: string;
}

/** The outcomes a finished run can have; exit codes for them come from lib/exitCodes.ts. */
export type RunOutcome = Extract<Outcome, "pass" | "checksFailed" | "interrupted">;

export interface RunResult {
  schemaVersion: typeof RUN_RESULT_SCHEMA_VERSION;
  suite: "smoke";
  runId: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: RunOutcome;
  /** True when the run was stopped (Ctrl-C) before its checks finished. */
  interrupted: boolean;
  options: { phase: number; timeoutMs: number; keepData: boolean };
  checks: CheckResult[];
  /** Ids of the test data the run created or used, for finding it on the target. */
  testData: { lineUserId: string; memberId?: string; orderId?: string; eventId?: string };
  /** What cleanup removed (or why it did not run). */
  cleanup: { status: "done" | "skipped" | "failed"; detail: string; durationMs: number };
  /** Wall time per stage, milliseconds. */
  timings: { preflightMs: number; stepsMs: number; assertionsMs: number; cleanupMs: number };
}

export function outcomeOf(checks: readonly CheckResult[], interrupted: boolean): RunOutcome {
  if (interrupted) return "interrupted";
  return checks.every((c) => c.status === "passed") ? "pass" : "checksFailed";
}

/** Deep-copies a result with every string passed through `scrub` (for redaction). */
export function mapStrings<T>(value: T, scrub: (s: string) => string): T {
  if (typeof value === "string") return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, scrub)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, scrub)]),
    ) as T;
  }
  return value;
}
