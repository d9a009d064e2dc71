import type { CheckResult, RunResult, ThresholdResult } from "../result/runResult.ts";
import {
  type Baseline,
  compareWithBaseline,
  type EndpointComparison,
  type EndpointFigures,
  endpointFigures,
} from "./baselineComparison.ts";
import { runEvidenceReasons, versionsReason } from "./evidenceRules.ts";

/**
 * The release sign-off: GO or NO-GO, every reason for a NO-GO, and the
 * evidence, from a smoke run and one or more load runs (and optionally a
 * baseline to compare with). Pure: run folders are read by the caller.
 * Bump `schemaVersion` on any change a reader of signoff.json would notice.
 */
export const SIGNOFF_SCHEMA_VERSION = 1;

export interface Signoff {
  schemaVersion: typeof SIGNOFF_SCHEMA_VERSION;
  verdict: "GO" | "NO-GO";
  /** What is being signed off (`--release`, e.g. a version or tag); absent when not given. */
  release?: string;
  createdAt: string;
  /** Why NO-GO, each naming the check or threshold, its limit and what was observed. Empty on GO. */
  reasons: string[];
  /** Regressions against the baseline when they do not decide the verdict. */
  warnings: string[];
  environment: {
    target: string;
    production: boolean;
    targetVersions: Record<string, string>;
    harnessVersion: string;
    gitCommit?: string;
    engines: string[];
    runs: { suite: string; runId: string; startedAt: string; outcome: string }[];
  };
  checks: CheckResult[];
  thresholds: (ThresholdResult & { runId: string })[];
  /** The probe runs' checks (`--probe`), each with its run; empty when none was given. */
  probes: (CheckResult & { runId: string })[];
  endpoints: EndpointFigures[];
  comparison: EndpointComparison[];
  baselineRunIds: string[];
}

/** The exact observed value, as a reason quotes it (tables round it: formatObserved). */
function observed(t: ThresholdResult): string {
  if (t.observed === null) return "nothing measured";
  if (t.unit === "ratio") return `${(t.observed * 100).toFixed(2)}%`;
  return `${t.observed} ${t.unit}`;
}

/**
 * GO only when the smoke passed every check, every load threshold passed,
 * no run was interrupted, all runs are of one target, and at least one load
 * run measured something. Regressions against the baseline are warnings, or
 * reasons with `failOnRegression`.
 */
export function buildSignoff(input: {
  smoke: RunResult;
  loads: readonly RunResult[];
  /** Probe runs (`--probe`): a failed, unjudged or skipped probe is a NO-GO reason naming it. */
  probes?: readonly RunResult[];
  baseline?: Baseline;
  failOnRegression: boolean;
  release?: string;
  now?: Date;
  /** A run that finished longer ago than this is stale: NO-GO (the CLI's --max-age, default 24 h). */
  maxAgeMs?: number;
}): Signoff {
  const { smoke, loads } = input;
  const probeRuns = input.probes ?? [];
  const reasons: string[] = [];
  const runs = [smoke, ...loads, ...probeRuns];
  for (const run of runs) {
    if (run.outcome === "interrupted")
      reasons.push(
        `${run.suite} run ${run.runId} was interrupted before it finished: it has no verdict.`,
      );
    if (run.outcome === "incomplete")
      reasons.push(
        `${run.suite} run ${run.runId} is an INCOMPLETE merge: a runner's shard is missing, duplicated, partial or of another plan, so the whole was not measured.`,
      );
    if (run.outcome === "targetUnreachable")
      reasons.push(
        `${run.suite} run ${run.runId} could not judge the target: a dependency of the harness failed mid-run.`,
      );
  }
  for (const c of smoke.checks) {
    if (c.status === "failed")
      reasons.push(`Smoke check ${c.name} failed: expected ${c.expected}; observed ${c.observed}.`);
    if (c.status === "error")
      reasons.push(`Smoke check ${c.name} could not be judged: ${c.hint ?? c.observed}.`);
    if (c.status === "skipped" && smoke.outcome !== "interrupted")
      reasons.push(`Smoke check ${c.name} did not run: ${c.hint ?? "skipped"}.`);
  }
  const probes = probeRuns.flatMap((run) => run.checks.map((c) => ({ ...c, runId: run.runId })));
  for (const c of probes) {
    if (c.status === "failed")
      reasons.push(
        `Probe ${c.name} failed: expected ${c.expected}; observed ${c.observed} (run ${c.runId}).`,
      );
    if (c.status === "error")
      reasons.push(
        `Probe ${c.name} could not be judged: ${c.hint ?? c.observed} (run ${c.runId}).`,
      );
    if (c.status === "skipped")
      reasons.push(`Probe ${c.name} was not judged: ${c.observed} (run ${c.runId}).`);
  }
  const thresholds = loads.flatMap((run) =>
    run.thresholds.map((t) => ({ ...t, runId: run.runId })),
  );
  for (const t of thresholds) {
    if (t.status === "failed")
      reasons.push(
        `Threshold ${t.name} breached: ${t.metric} must be ${t.condition}; observed ${observed(t)} (run ${t.runId}).`,
      );
    if (t.status === "error")
      reasons.push(
        `Threshold ${t.name} could not be judged: ${t.hint ?? "no evidence"} (run ${t.runId}).`,
      );
  }
  if (loads.length === 0 || loads.every((run) => run.scenarios.length === 0))
    reasons.push("No load run measured anything: a sign-off needs the load results.");
  // After the named failures (the first reason is the one the banner shows): missing evidence.
  for (const run of runs)
    reasons.push(
      ...runEvidenceReasons(run, {
        now: input.now ?? new Date(),
        ...(input.maxAgeMs !== undefined ? { maxAgeMs: input.maxAgeMs } : {}),
      }),
    );
  // Of one target (a mix of targets is a reason already, below): one set of its builds.
  const versions = new Set(runs.map((r) => r.target.name)).size === 1 && versionsReason(runs);
  if (versions) reasons.push(versions);
  const targets = new Set(runs.map((run) => run.target.name));
  if (targets.size > 1)
    reasons.push(
      `The runs are against different targets (${[...targets].join(", ")}): they do not sign off one release.`,
    );
  const endpoints = endpointFigures(loads);
  // Figures of another target say nothing about this one's regressions.
  const baselineElsewhere =
    input.baseline?.target !== undefined && input.baseline.target !== smoke.target.name;
  const comparison =
    input.baseline && !baselineElsewhere
      ? compareWithBaseline(endpoints, input.baseline.endpoints)
      : [];
  const regressions = comparison.flatMap((c) => c.regressions);
  if (input.failOnRegression)
    reasons.push(...regressions.map((r) => `Regression against the baseline: ${r}.`));
  const notices = baselineElsewhere
    ? [
        `The baseline is of target ${input.baseline?.target}, this sign-off of ${smoke.target.name}: not compared.`,
      ]
    : [];
  const environment = smoke.environment;
  return {
    schemaVersion: SIGNOFF_SCHEMA_VERSION,
    verdict: reasons.length === 0 ? "GO" : "NO-GO",
    ...(input.release ? { release: input.release } : {}),
    createdAt: (input.now ?? new Date()).toISOString(),
    reasons,
    warnings: [
      ...notices,
      ...(input.failOnRegression
        ? []
        : regressions.map((r) => `Regression against the baseline: ${r}.`)),
    ],
    environment: {
      target: smoke.target.name,
      production: smoke.target.production,
      targetVersions: { ...smoke.target.versions },
      harnessVersion: environment.harnessVersion,
      ...(environment.gitCommit ? { gitCommit: environment.gitCommit } : {}),
      engines: [
        ...new Set(
          loads.flatMap((run) =>
            run.scenarios.map((s) => `${s.engine.name} (${s.engine.version})`),
          ),
        ),
      ],
      runs: runs.map((run) => ({
        suite: run.suite,
        runId: run.runId,
        startedAt: run.startedAt,
        outcome: run.outcome,
      })),
    },
    checks: smoke.checks,
    thresholds,
    probes,
    endpoints,
    comparison,
    baselineRunIds: baselineElsewhere ? [] : (input.baseline?.runIds ?? []),
  };
}

/** What a sign-off is about, for its headline: "release 1.4.2 · staging (curva 2.3.0, …)". */
export function signoffSubject(signoff: Signoff): string {
  const env = signoff.environment;
  const versions = Object.entries(env.targetVersions)
    .map(([service, version]) => `${service} ${version}`)
    .join(", ");
  return `${signoff.release ? `release ${signoff.release} · ` : ""}${env.target}${versions ? ` (${versions})` : ""}`;
}
