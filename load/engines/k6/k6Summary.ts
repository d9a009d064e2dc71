import type { EndpointResult } from "../../../lib/result/scenarioResult.ts";
import { parseCondition } from "../../../lib/thresholdCondition.ts";
import { metricKey, type ThresholdSpec } from "../../scenarios/thresholds.ts";

/** The part of k6's end-of-test summary (handleSummary's data) the harness reads. */
export interface K6Summary {
  metrics: Record<string, { type?: string; values: Record<string, number> }>;
}

function values(
  summary: K6Summary,
  metric: string,
  tags: Record<string, string>,
): Record<string, number> | undefined {
  return summary.metrics[metricKey({ metric, tags })]?.values;
}

/**
 * One endpoint's figures from k6's submetrics, in the Node engine's terms.
 * k6 counts an errored request in http_reqs and http_req_duration too; the
 * Node engine keeps errors out of its histogram, so `requests` here is the
 * answered ones. Counts come from rates × http_reqs and are rounded.
 */
export function endpointFromSummary(
  summary: K6Summary,
  scenario: string,
  endpoint: string,
): EndpointResult {
  const tags = { scenario, endpoint };
  const total = values(summary, "http_reqs", tags)?.count ?? 0;
  const share = (metric: string) => Math.round((values(summary, metric, tags)?.rate ?? 0) * total);
  const errors = share("http_errors");
  const failed = share("http_req_failed");
  const status5xx = share("http_5xx");
  const duration = values(summary, "http_req_duration", tags) ?? {};
  return {
    endpoint,
    requests: total - errors,
    p50Ms: duration.med ?? 0,
    p90Ms: duration["p(90)"] ?? 0,
    p95Ms: duration["p(95)"] ?? 0,
    p99Ms: duration["p(99)"] ?? 0,
    maxMs: duration.max ?? 0,
    meanMs: duration.avg ?? 0,
    // k6 reports no 2xx count: what is neither unexpected, nor 4xx nor 5xx, nor unanswered.
    status2xx: Math.max(0, total - failed),
    status4xx: Math.max(0, failed - status5xx - errors),
    status5xx,
    errors,
    timeouts: share("http_timeouts"),
    // k6's http_req_failed counts unanswered requests too (status 0 is never expected).
    unexpected: Math.max(0, failed - errors),
  };
}

/** The value k6 measured for a threshold k6 can judge; null when its summary has none. */
export function observedInSummary(summary: K6Summary, spec: ThresholdSpec): number | null {
  const condition = parseCondition(spec.condition);
  const v = values(summary, spec.metric, spec.tags);
  if (!condition) return null;
  if (!v) return spec.metric === "dropped_iterations" ? 0 : null;
  const agg = condition.aggregation;
  if (agg.kind === "percentile") return v[agg.p === 50 ? "med" : `p(${agg.p})`] ?? null;
  return v[agg.kind === "value" ? "value" : agg.kind] ?? null;
}
