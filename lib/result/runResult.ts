import type { Outcome } from "../exitCodes.ts";
import type { ScenarioResult } from "./scenarioResult.ts";

/**
 * The result model: the contract between suites and reporters, and what
 * `summary.json` holds. One envelope for every suite (who ran what, against
 * which target, when, where, with which outcome) and parts a suite fills:
 * `checks` (the smoke's assertions), `thresholds`, `metrics` and
 * `scenarios` (load). Bump `schemaVersion` on any change a reader of
 * summary.json would notice.
 *
 * v2 (from v1): `target` is `{ name, production }`; `environment`,
 * `thresholds`, `metrics`, `scenarios` and `stages` (was `timings`) are new;
 * the smoke's `options` and `testData` are plain records; `interrupted` is
 * gone (`outcome: "interrupted"` says it).
 *
 * Added within v2 (a v2 reader that checks every status against "passed"
 * stays right): check and threshold status `error` (could not judge), the
 * outcome `targetUnreachable`, `cleanup.couldNotReach`, the suite `probe`
 * and a check's `evidence`.
 */
export const RUN_RESULT_SCHEMA_VERSION = 2;

export const SUITE_NAMES = ["smoke", "load", "probe"] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/**
 * `error`: the verdict could not be reached because the harness's own
 * dependency failed (its Postgres or Redis connection, a read that never
 * answered): "could not judge", never evidence against the target.
 */
export type VerdictStatus = "passed" | "failed" | "error" | "skipped";

/** One assertion with what was expected and what was seen. */
export interface CheckResult {
  /** A domain name, e.g. `webhookLogHasOrder`. */
  name: string;
  status: VerdictStatus;
  durationMs: number;
  expected: string;
  observed: string;
  /** One line at the likely cause; set when the check failed or was skipped. */
  hint?: string;
  /** What was sent and seen, a line each (a probe's request line, status, relevant headers; secrets redacted). */
  evidence?: string[];
}

/** A limit on a measured figure, e.g. identify's p95 under 500 ms. */
export interface ThresholdResult {
  /** Readable name, e.g. `identify p95`. */
  name: string;
  /** The metric and its tags in k6 syntax, e.g. `http_req_duration{scenario:identify}`. */
  metric: string;
  /** The condition in k6 syntax, e.g. `p(95)<500`. */
  condition: string;
  /** The value the condition was evaluated on; null when nothing was measured. */
  observed: number | null;
  /** Unit of `observed`, e.g. `ms`, `ratio`, `count`. */
  unit: string;
  status: Exclude<VerdictStatus, "skipped">;
  hint?: string;
  /**
   * With status `error`, why there was no evidence: the metric got no
   * samples (a failure of the run: exit 1), or a dependency of the harness
   * could not be read (exit 3).
   */
  couldNotJudge?: "noSamples" | "dependency";
  /**
   * The observed latency is within one histogram bucket of the limit (the
   * resolution it was measured to): the verdict stands, but a rerun could
   * land on the other side.
   */
  borderline?: boolean;
  /** Passed, with what its evidence could not show said beside it (a pool at its size, waiting unseen). */
  warning?: string;
}

/** One measured figure set, k6-style: a trend's percentiles, a counter's count and rate. */
export interface MetricSummary {
  name: string;
  kind: "trend" | "counter" | "rate" | "gauge";
  unit: string;
  tags: Record<string, string>;
  values: Record<string, number>;
}

export interface CleanupReport {
  status: "done" | "skipped" | "failed";
  /** What was removed, or why not, and what is left behind. */
  detail: string;
  durationMs: number;
  /** Cleanup could not finish because this dependency of the harness failed (its connection, or the bound passed). */
  couldNotReach?: string;
}

/** Where the run ran: enough to tell two reports' machines and harness versions apart. */
export interface RunEnvironment {
  harnessVersion: string;
  node: string;
  /** `process.platform-process.arch`. */
  platform: string;
  hostname: string;
  ci: boolean;
  /** The harness's git commit, when known. */
  gitCommit?: string;
}

/** The outcomes a finished run can have; exit codes for them come from lib/exitCodes.ts. */
export type RunOutcome = Extract<
  Outcome,
  "pass" | "checksFailed" | "targetUnreachable" | "interrupted" | "incomplete"
>;

export interface RunResult {
  schemaVersion: typeof RUN_RESULT_SCHEMA_VERSION;
  suite: SuiteName;
  runId: string;
  /** `versions`: each service's own version, from its health endpoint (when it reports one). */
  target: { name: string; production: boolean; versions: Record<string, string> };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: RunOutcome;
  environment: RunEnvironment;
  /** The options the suite ran with (durations in ms, named `…Ms`). */
  options: Record<string, string | number | boolean>;
  checks: CheckResult[];
  thresholds: ThresholdResult[];
  metrics: MetricSummary[];
  scenarios: ScenarioResult[];
  /** Ids of the test data the run created or used, for finding it on the target. */
  testData: Record<string, string>;
  /** What cleanup removed (or why it did not run). */
  cleanup: CleanupReport;
  /** Wall time per stage in milliseconds, in the order the stages ran. */
  stages: Record<string, number>;
}

/** What every suite is handed by the entry point that started it. */
export interface RunContext {
  suite: SuiteName;
  /** Minted by the CLI; names what the run creates and its report folder. */
  runId: string;
  startedAt: Date;
  environment: RunEnvironment;
  /** Aborting (Ctrl-C) stops the waits; cleanup still runs. */
  signal?: AbortSignal;
  /** Told when the run moves to its next stage (the CLI prints it, so a long wait is not silent). */
  onProgress?: (message: string) => void;
  /**
   * Told once the checks or scenarios have a verdict, before cleanup: a
   * signal after this keeps the verdict's exit code.
   */
  onVerdict?: (outcome: RunOutcome) => void;
  /** The command that removes what a failed cleanup left, named in its report. */
  sweepCommand?: string;
}

/** The parts a suite fills; the envelope comes from the run context. */
export type SuiteParts = Pick<RunResult, "options" | "testData" | "cleanup" | "stages"> & {
  /** The target's services' versions, as preflight saw them. */
  targetVersions?: Record<string, string>;
  /**
   * Stopped by a signal before its checks or scenarios finished. A signal
   * that came later (during cleanup) leaves the verdict standing. Default:
   * whether the run's signal is aborted.
   */
  interrupted?: boolean;
} & Partial<Pick<RunResult, "checks" | "thresholds" | "metrics" | "scenarios">>;

/**
 * The run's outcome: interrupted before a verdict; else failed when any
 * check or threshold failed on evidence; else "could not judge" (exit 3)
 * when one errored on the harness's own dependency or cleanup could not
 * reach one; else pass only when every verdict passed, and there was at
 * least one (a run that judged nothing has no evidence).
 */
export function outcomeOf(
  verdicts: readonly { status: VerdictStatus; couldNotJudge?: "noSamples" | "dependency" }[],
  interrupted: boolean,
  dependencyFailed = false,
): RunOutcome {
  if (interrupted) return "interrupted";
  // No samples at all is the run's failure (nothing was measured), not the harness's dependency.
  if (
    verdicts.some(
      (v) => v.status === "failed" || (v.status === "error" && v.couldNotJudge === "noSamples"),
    )
  )
    return "checksFailed";
  if (dependencyFailed || verdicts.some((v) => v.status === "error")) return "targetUnreachable";
  // Fail closed: nothing judged is no evidence, so never a pass.
  if (verdicts.length === 0) return "checksFailed";
  return verdicts.every((v) => v.status === "passed") ? "pass" : "checksFailed";
}

/** Wraps a suite's parts in the envelope, with every string passed through `scrub` (redaction). */
export function finishRun(
  context: RunContext,
  target: { name: string; production: boolean },
  parts: SuiteParts,
  scrub: (text: string) => string,
  finishedAt: Date = new Date(),
): RunResult {
  const checks = parts.checks ?? [];
  const thresholds = parts.thresholds ?? [];
  const result: RunResult = {
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    suite: context.suite,
    runId: context.runId,
    target: {
      name: target.name,
      production: target.production,
      versions: parts.targetVersions ?? {},
    },
    startedAt: context.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - context.startedAt.getTime(),
    outcome: outcomeOf(
      [...checks, ...thresholds],
      parts.interrupted ?? context.signal?.aborted === true,
      parts.cleanup.couldNotReach !== undefined,
    ),
    environment: context.environment,
    options: parts.options,
    checks,
    thresholds,
    metrics: parts.metrics ?? [],
    scenarios: parts.scenarios ?? [],
    testData: parts.testData,
    cleanup: parts.cleanup,
    stages: parts.stages,
  };
  return mapStrings(result, scrub);
}

/** Deep-copies a result with every string passed through `scrub` (for redaction). */
function mapStrings<T>(value: T, scrub: (s: string) => string): T {
  if (typeof value === "string") return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, scrub)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, scrub)]),
    ) as T;
  }
  return value;
}
