import type { Agent } from "undici";
import type { ServiceName } from "../lib/config/targetProfile.ts";
import type {
  EndpointResult,
  MetricSummary,
  ScenarioResult,
  ThresholdResult,
} from "../lib/report/runResult.ts";
import type { LoadTarget } from "./loadSection.ts";
import { DEFAULT_POOL_GAUGES, PoolSampler, type PoolSource } from "./poolSampler.ts";
import type { ScenarioDefinition } from "./scenarios.ts";
import { holds, metricKey, parseCondition, type ThresholdSpec } from "./thresholds.ts";

/*
 * What a scenario run is, whichever engine drives it: the pool sampler
 * beside it, its thresholds judged by one evaluator, its latency metrics.
 */

/** What one scenario adds to the result. */
export interface ScenarioRun {
  result: ScenarioResult;
  thresholds: ThresholdResult[];
  metrics: MetricSummary[];
}

function poolSources(target: LoadTarget): PoolSource[] {
  return (
    Object.entries(target.load.monitoring.metrics) as [
      ServiceName,
      { path: string; gauges?: Partial<typeof DEFAULT_POOL_GAUGES> },
    ][]
  ).map(([service, source]) => ({
    service,
    metricsUrl: `${target.services[service].url}${source.path}`,
    gauges: { ...DEFAULT_POOL_GAUGES, ...source.gauges },
  }));
}

/** The pool sampler for a scenario starting at `startMs`, already sampling. */
export async function startPoolSampler(
  target: LoadTarget,
  agent: Agent,
  startMs: number,
): Promise<{ sampler: PoolSampler; sources: PoolSource[] }> {
  const sources = poolSources(target);
  const sampler = new PoolSampler({
    sources,
    agent,
    startMs,
    ...(target.load.monitoring.databaseUrl
      ? { monitoringDatabaseUrl: target.load.monitoring.databaseUrl }
      : {}),
  });
  await sampler.start();
  return { sampler, sources };
}

function judged(spec: ThresholdSpec, observed: number | null): ThresholdResult {
  const condition = parseCondition(spec.condition);
  const passed = observed !== null && condition !== undefined && holds(condition, observed);
  return {
    name: spec.name,
    metric: metricKey(spec),
    condition: spec.condition,
    observed: observed === null ? null : Math.round(observed * 1000) / 1000,
    unit: spec.unit,
    status: passed ? "passed" : "failed",
    ...(passed
      ? {}
      : {
          hint:
            observed === null
              ? "Nothing was measured for this threshold: see the scenario's figures."
              : spec.hint,
        }),
  };
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
  sources: readonly PoolSource[],
  measured: Pick<ScenarioResult, "pools" | "database"> & { endpoints: readonly EndpointResult[] },
  observe: (spec: ThresholdSpec) => number | null,
): ThresholdResult[] {
  const refused = endpointsWithoutExpectedAnswer(scenario, measured.endpoints);
  const sampled = new Set(sources.map((s) => s.service));
  return scenario.thresholds
    .filter(
      (spec) =>
        spec.metric !== "db_pool_exhausted" || sampled.has(spec.tags.service as ServiceName),
    )
    .map((spec) => {
      if (spec.metric === "http_req_failed" && refused.length > 0) {
        const result = judged(spec, observe(spec));
        return {
          ...result,
          status: "failed" as const,
          hint: `${refused.join("; ")}: ${spec.hint}`,
        };
      }
      if (spec.metric !== "db_pool_exhausted") return judged(spec, observe(spec));
      const pool = measured.pools.find((p) => p.service === spec.tags.service);
      // Postgres at its connection limit exhausts every pool on it.
      return judged(
        spec,
        !pool || pool.samples === 0
          ? null
          : pool.exhausted + (measured.database?.atLimitSamples ?? 0),
      );
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
