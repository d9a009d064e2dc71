import type { ServiceName } from "../../lib/config/targetProfile.ts";
import { gapsText } from "../../lib/report/formatFigures.ts";
import type { MetricSummary, ThresholdResult } from "../../lib/result/runResult.ts";
import type {
  EndpointResult,
  PoolResult,
  SampleGap,
  ScenarioResult,
  SecondRow,
} from "../../lib/result/scenarioResult.ts";
import { holds, parseCondition } from "../../lib/thresholdCondition.ts";
import { DEFAULT_POOL_GAUGES, type PoolSource } from "../pool/poolSampler.ts";
import { PoolSamplerThread } from "../pool/poolSamplerThread.ts";
import type { LoadTarget } from "./loadSection.ts";
import { POOL_SERVICES, p95LimitsMs, type ScenarioDefinition } from "./scenarios.ts";
import { metricKey, type ThresholdSpec } from "./thresholds.ts";

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
    Object.entries(target.load.monitoring?.metrics ?? {}) as [
      ServiceName,
      {
        path: string;
        gauges?: Partial<typeof DEFAULT_POOL_GAUGES>;
        headers?: Record<string, string>;
      },
    ][]
  ).map(([service, source]) => ({
    service,
    metricsUrl: `${target.services[service]?.url}${source.path}`,
    ...(source.headers ? { headers: source.headers } : {}),
    gauges: { ...DEFAULT_POOL_GAUGES, ...source.gauges },
  }));
}

/** The pool sampler for a scenario, loaded on its own thread and waiting for the load's time zero. */
export async function bootPoolSampler(
  target: LoadTarget,
): Promise<{ sampler: PoolSamplerThread; sources: PoolSource[] }> {
  const sources = poolSources(target);
  const sampler = await PoolSamplerThread.boot({
    sources,
    ...(target.load.monitoring?.databaseUrl
      ? { monitoringDatabaseUrl: target.load.monitoring.databaseUrl }
      : {}),
    ...(target.load.monitoring?.applications
      ? { applications: target.load.monitoring.applications }
      : {}),
    services: POOL_SERVICES,
  });
  return { sampler, sources };
}

/** Under this share of a scenario sampled, a pool threshold has no evidence (a gap can hide exhaustion). */
const POOL_COVERAGE_MIN = 0.9;

/** A threshold judged on its observed value; with none, "no evidence" (k6 would pass it; we do not). */
function judged(
  spec: ThresholdSpec,
  observed: number | null,
  bucketMs?: (valueMs: number) => number,
): ThresholdResult {
  const base = {
    name: spec.name,
    metric: metricKey(spec),
    condition: spec.condition,
    unit: spec.unit,
  };
  if (observed === null || !Number.isFinite(observed))
    return noEvidence(
      spec,
      "noSamples",
      `${metricKey(spec)} got no samples in this scenario: nothing was measured to judge ${spec.condition} on.`,
    );
  const condition = parseCondition(spec.condition);
  const passed = condition !== undefined && holds(condition, observed);
  // A latency read off a histogram is exact to its bucket: one within a bucket of the limit could go either way.
  const borderline =
    bucketMs !== undefined &&
    spec.metric === "http_req_duration" &&
    condition !== undefined &&
    Math.abs(observed - condition.limit) <= bucketMs(condition.limit);
  return {
    ...base,
    observed: Math.round(observed * 1000) / 1000,
    status: passed ? "passed" : "failed",
    ...(borderline ? { borderline: true } : {}),
    ...(passed ? {} : { hint: spec.hint }),
  };
}

function noEvidence(
  spec: ThresholdSpec,
  why: "noSamples" | "dependency",
  detail: string,
): ThresholdResult {
  return {
    name: spec.name,
    metric: metricKey(spec),
    condition: spec.condition,
    observed: null,
    unit: spec.unit,
    status: "error",
    couldNotJudge: why,
    hint: `No evidence: ${detail}`,
  };
}

/** What a scenario measured that its thresholds are judged on. */
export type Measured = Pick<ScenarioResult, "pools" | "database"> & {
  endpoints: readonly EndpointResult[];
  /** Per-second rows; empty or absent where the engine gave none (a k6 run). */
  series?: readonly SecondRow[];
};

/**
 * The endpoints whose answers show a pool's effect: those sent to its
 * service. Where the scenario names none (the built-in ones, or a pool
 * reached only through another service), every endpoint of the scenario.
 */
function endpointsUsing(scenario: ScenarioDefinition, service: string): string[] {
  const own = scenario.endpoints.filter((e) => scenario.serviceOf?.[e] === service);
  return own.length > 0 ? own : [...scenario.endpoints];
}

/** Why a second was harmed on `users` (failed answers, no answers, p95 over a limit); undefined: it was not. */
function harmOf(
  row: SecondRow,
  users: readonly string[],
  limitsMs: Readonly<Record<string, number>>,
): string | undefined {
  if (row.endpoints) {
    // Told apart by endpoint: only the answers of the pool's own endpoints count.
    for (const endpoint of users) {
      const e = row.endpoints[endpoint];
      if (!e) continue;
      if (e.status5xx > 0) return `${endpoint}: ${e.status5xx} 5xx`;
      if (e.errors > 0) return `${endpoint}: ${e.errors} unanswered`;
      const limit = limitsMs[endpoint];
      if (limit !== undefined && e.requests > 0 && e.overLimit > 0.05 * e.requests)
        return `${endpoint}: ${e.overLimit} of ${e.requests} answers over ${limit} ms (p95 over the limit)`;
    }
    return undefined;
  }
  const limits = users.flatMap((e) => (limitsMs[e] !== undefined ? [limitsMs[e]] : []));
  const limitMs = limits.length > 0 ? Math.min(...limits) : undefined;
  if (row.status5xx > 0) return `${row.status5xx} 5xx`;
  if (row.errors > 0) return `${row.errors} unanswered`;
  if (limitMs !== undefined && row.requests > 0 && row.p95Ms > limitMs)
    return `p95 ${Math.round(row.p95Ms)} ms over ${limitMs}`;
  return undefined;
}

/**
 * A pool seen through pg_stat_activity: at its size is a pool doing its job;
 * exhaustion is callers waiting for it, and with no waiting count the only
 * evidence of waiting is its effect on the answers of the same seconds, on
 * the endpoints that use its service. A stretch at its size past the grace
 * that coincides with a harmed second counts; one without harm passes with
 * a warning. Without per-second rows (a k6 run), those endpoints' own
 * figures stand in: any failed answer or a p95 over the limit makes every
 * stretch harmful.
 */
function judgedByEffect(
  scenario: ScenarioDefinition,
  pool: PoolResult,
  measured: Measured,
): { exhausted: number; detail: string[]; warning?: string } {
  const stretches: SampleGap[] = pool.saturated ?? [];
  if (stretches.length === 0) return { exhausted: 0, detail: [] };
  const limits = p95LimitsMs(scenario);
  const users = endpointsUsing(scenario, pool.service);
  const series = measured.series ?? [];
  const detail: string[] = [];
  let exhausted = 0;
  for (const stretch of stretches) {
    const span = `${(stretch.fromMs / 1000).toFixed(1)}–${(stretch.toMs / 1000).toFixed(1)} s`;
    let harm: string | undefined;
    if (series.length > 0) {
      for (const row of series) {
        const overlaps =
          (row.second - 1) * 1000 < stretch.toMs && row.second * 1000 > stretch.fromMs;
        const why = overlaps ? harmOf(row, users, limits) : undefined;
        if (why) {
          harm = `second ${row.second}: ${why}`;
          break;
        }
      }
    } else {
      const e = measured.endpoints.filter((x) => users.includes(x.endpoint));
      const failed = e.reduce((n, x) => n + x.status5xx + x.errors, 0);
      const slow = e.find(
        (x) => limits[x.endpoint] !== undefined && x.p95Ms > (limits[x.endpoint] as number),
      );
      harm =
        failed > 0
          ? `${failed} failed answers on ${users.join(", ")} (no per-second rows to place them)`
          : slow
            ? `${slow.endpoint} p95 ${Math.round(slow.p95Ms)} ms over ${limits[slow.endpoint]} (no per-second rows)`
            : undefined;
    }
    if (harm) {
      exhausted++;
      detail.push(`at its size ${pool.max} over ${span} with ${harm}`);
    }
  }
  const longest = Math.max(...stretches.map((s) => s.toMs - s.fromMs));
  return exhausted > 0
    ? { exhausted, detail }
    : {
        exhausted: 0,
        detail,
        warning: `${pool.service}'s pool was at its size (${pool.max}) for up to ${(longest / 1000).toFixed(1)} s with every answer of those seconds on ${users.join(", ")} unharmed; with no waiting count exposed, queueing cannot be seen: expose pool gauges (load.monitoring.metrics.${pool.service}) to know.`,
      };
}

/** A pool threshold: judged only on a sampler that saw (nearly) the whole scenario. */
function judgedPool(
  scenario: ScenarioDefinition,
  spec: ThresholdSpec,
  measured: Measured,
): ThresholdResult {
  const service = spec.tags.service;
  const pool = measured.pools.find((p) => p.service === service);
  if (!pool)
    return noEvidence(
      spec,
      "noSamples",
      `the profile gives no way to see ${service}'s pool: give its /metrics (load.monitoring.metrics.${service}) or a monitoring database (load.monitoring.databaseUrl, and applications.${service} for its pool size).`,
    );
  if (pool.samples === 0)
    return noEvidence(
      spec,
      pool.failedScrapes > 0 ? "dependency" : "noSamples",
      `${service}'s pool was never sampled (${pool.failedScrapes} failed reads).`,
    );
  // Counters read before and after the load miss no checkout; gauges alone can miss a stretch in a gap.
  if (pool.coverage < POOL_COVERAGE_MIN && !pool.countedThroughout)
    return noEvidence(
      spec,
      "dependency",
      `${service}'s pool was sampled over only ${Math.round(pool.coverage * 100)}% of the scenario (no sample ${gapsText(pool.gaps)}): exhaustion could hide in the gap.`,
    );
  const db = measured.database;
  if (db && db.coverage < POOL_COVERAGE_MIN)
    return noEvidence(
      spec,
      "dependency",
      `pg_stat_activity was sampled over only ${Math.round(db.coverage * 100)}% of the scenario (no sample ${gapsText(db.gaps)}): Postgres at max_connections could hide in the gap.`,
    );
  if (pool.exhaustedBy === "pgStatActivity") {
    const seen = Object.entries(db?.peakByApplication ?? {})
      .filter(([name]) => name !== "harness-pool-sampler")
      .map(([name, n]) => `${name} (peak ${n})`);
    if (pool.max === null)
      return noEvidence(
        spec,
        "noSamples",
        `no application_name is mapped to ${service}'s pool: add load.monitoring.applications.${service} ({ applicationName, poolSize }). Seen in pg_stat_activity: ${seen.join(", ") || "none"}.`,
      );
    if (pool.maxInUse === 0)
      return noEvidence(
        spec,
        "noSamples",
        `load.monitoring.applications.${service} matched no connection during the scenario: not one of ${service}'s pool was seen. Seen in pg_stat_activity: ${seen.join(", ") || "none"}; fix applicationName.`,
      );
    const effect = judgedByEffect(scenario, pool, measured);
    pool.exhausted = effect.exhausted;
    if (effect.warning) pool.warning = effect.warning;
    const result = judged(spec, effect.exhausted + (db?.atLimitSamples ?? 0));
    if (result.status === "failed")
      result.hint = `${effect.detail.join("; ")}${db?.atLimitSamples ? `; Postgres at max_connections in ${db.atLimitSamples} samples` : ""}: ${spec.hint}`;
    return effect.warning ? { ...result, warning: effect.warning } : result;
  }
  // Postgres at its connection limit exhausts every pool on it.
  return judged(spec, pool.exhausted + (db?.atLimitSamples ?? 0));
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
