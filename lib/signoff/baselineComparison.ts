import type { RunResult } from "../result/runResult.ts";

/**
 * What a sign-off compares with its baseline: each endpoint's p95, req/s
 * and error rate, and the ones that moved the wrong way by more than a fifth.
 */

/** A p95 rise, a req/s fall or an error-rate rise beyond this share is a regression. */
const REGRESSION_SHARE = 0.2;

/** One endpoint's figures as a sign-off keeps them (and a later one compares with). */
export interface EndpointFigures {
  scenario: string;
  endpoint: string;
  p95Ms: number;
  requestsPerSec: number;
  /** (5xx + errors) / attempts. */
  errorRate: number;
}

export interface Change {
  baseline: number;
  current: number;
  /** (current − baseline) / baseline; null when the baseline is 0. */
  change: number | null;
}

export interface EndpointComparison {
  scenario: string;
  endpoint: string;
  p95Ms: Change;
  requestsPerSec: Change;
  errorRate: Change;
  /** Each figure that moved the wrong way by more than REGRESSION_SHARE, as a sentence. */
  regressions: string[];
}

/** The figures a sign-off is compared with: an earlier sign-off's or a load run's. */
export interface Baseline {
  runIds: string[];
  endpoints: EndpointFigures[];
  /** The target they were measured on, when known. */
  target?: string;
}

/** Every endpoint's figures across load runs. */
export function endpointFigures(loads: readonly RunResult[]): EndpointFigures[] {
  return loads.flatMap((run) =>
    run.scenarios.flatMap((s) =>
      s.endpoints.map((e) => {
        const attempts = e.requests + e.errors;
        return {
          scenario: s.name,
          endpoint: e.endpoint,
          p95Ms: e.p95Ms,
          requestsPerSec: e.requestsPerSec,
          errorRate: attempts === 0 ? 0 : (e.status5xx + e.errors) / attempts,
        };
      }),
    ),
  );
}

function change(baseline: number, current: number): Change {
  return { baseline, current, change: baseline === 0 ? null : (current - baseline) / baseline };
}

function percent(share: number): string {
  return `${share >= 0 ? "+" : ""}${(share * 100).toFixed(0)}%`;
}

/** Each endpoint of the current runs against the same scenario and endpoint of the baseline. */
export function compareWithBaseline(
  current: readonly EndpointFigures[],
  baseline: readonly EndpointFigures[],
): EndpointComparison[] {
  return current.flatMap((now) => {
    const before = baseline.find((b) => b.scenario === now.scenario && b.endpoint === now.endpoint);
    if (!before) return [];
    const p95 = change(before.p95Ms, now.p95Ms);
    const rps = change(before.requestsPerSec, now.requestsPerSec);
    const errors = change(before.errorRate, now.errorRate);
    const where = `${now.scenario} ${now.endpoint}`;
    const regressions: string[] = [];
    if (p95.change !== null && p95.change > REGRESSION_SHARE)
      regressions.push(
        `${where} p95 ${before.p95Ms.toFixed(0)} → ${now.p95Ms.toFixed(0)} ms (${percent(p95.change)})`,
      );
    if (rps.change !== null && rps.change < -REGRESSION_SHARE)
      regressions.push(
        `${where} req/s ${before.requestsPerSec.toFixed(0)} → ${now.requestsPerSec.toFixed(0)} (${percent(rps.change)})`,
      );
    if (
      (errors.change === null && now.errorRate > 0) ||
      (errors.change !== null && errors.change > REGRESSION_SHARE)
    )
      regressions.push(
        `${where} error rate ${(before.errorRate * 100).toFixed(2)}% → ${(now.errorRate * 100).toFixed(2)}%`,
      );
    return [
      {
        scenario: now.scenario,
        endpoint: now.endpoint,
        p95Ms: p95,
        requestsPerSec: rps,
        errorRate: errors,
        regressions,
      },
    ];
  });
}
