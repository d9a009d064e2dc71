import type { MetricSummary, ThresholdResult } from "../../lib/result/runResult.ts";
import type { EndpointResult, ScenarioResult } from "../../lib/result/scenarioResult.ts";
import { judgedPool } from "../pool/poolVerdict.ts";
import type { ScenarioDefinition } from "./scenarios.ts";
import type { ThresholdSpec } from "./thresholds.ts";
import { judged, type Measured } from "./thresholdVerdict.ts";

/*
 * What a scenario run is, whichever engine drives it: its thresholds judged
 * by one evaluator (thresholdVerdict.ts; a pool's, ../pool/poolVerdict.ts),
 * its latency metrics.
 */

/** What one scenario adds to the result. */
export interface ScenarioRun {
  result: ScenarioResult;
  thresholds: ThresholdResult[];
  metrics: MetricSummary[];
}

/**
 * The endpoints of a scenario that got no expected answer at all: whatever a
 * threshold's condition says, a scenario whose every answer was refused (a
 * wrong secret, a wrong path) measured nothing the target served.
 */
function endpointsWithoutExpectedAnswer(
  scenario: ScenarioDefinition,
  endpoints: readonly EndpointResult[],
): string[] {
  return scenario.endpoints.flatMap((name) => {
    const e = endpoints.find((x) => x.endpoint === name);
    const expected = e ? e.requests - e.unexpected : 0;
    return expected > 0
      ? []
      : [
          e && e.requests + e.errors > 0
            ? `${name} got no expected answer (${e.unexpected} of ${e.requests} answers outside the expected statuses, ${e.errors} unanswered)`
            : `${name} sent no request`,
        ];
  });
}

/**
 * Every threshold of a scenario, judged: pool thresholds on what the sampler
 * saw (a service without a /metrics source has none), the rest on what the
 * engine measured (`observe`; null: nothing measured, which fails). The
 * http_req_failed threshold never passes for a scenario an endpoint of which
 * got no expected answer.
 */
export function judgeScenario(
  scenario: ScenarioDefinition,
  measured: Measured,
  observe: (spec: ThresholdSpec) => number | null,
  /** The latency histogram's bucket width at a value (ms): a percentile within one bucket of its limit is borderline. */
  bucketMs?: (valueMs: number) => number,
): ThresholdResult[] {
  const refused = endpointsWithoutExpectedAnswer(scenario, measured.endpoints);
  return scenario.thresholds.map((spec) => {
    if (spec.metric === "http_req_failed" && refused.length > 0) {
      const result = judged(spec, observe(spec), bucketMs);
      return {
        ...result,
        status: "failed" as const,
        hint: `${refused.join("; ")}: ${spec.hint}`,
      };
    }
    if (spec.metric !== "db_pool_exhausted") return judged(spec, observe(spec), bucketMs);
    return judgedPool(scenario, spec, measured);
  });
}

/** k6-style trend summaries of each endpoint's response times. */
export function latencyMetrics(
  scenario: string,
  endpoints: readonly EndpointResult[],
): MetricSummary[] {
  return endpoints.map((e) => ({
    name: "http_req_duration",
    kind: "trend",
    unit: "ms",
    tags: { scenario, endpoint: e.endpoint },
    values: { p50: e.p50Ms, p90: e.p90Ms, p95: e.p95Ms, p99: e.p99Ms, max: e.maxMs, avg: e.meanMs },
  }));
}
