import { gapsText } from "../../lib/report/formatFigures.ts";
import type { ThresholdResult } from "../../lib/result/runResult.ts";
import type { PoolResult, SampleGap, SecondRow } from "../../lib/result/scenarioResult.ts";
import { p95LimitsMs, type ScenarioDefinition } from "../scenarios/scenarios.ts";
import type { ThresholdSpec } from "../scenarios/thresholds.ts";
import { judged, type Measured, noEvidence } from "../scenarios/thresholdVerdict.ts";

/*
 * A pool threshold's verdict: judged only on a sampler that saw (nearly) the
 * whole scenario; a pool seen through pg_stat_activity by its effect on the
 * answers of its own service's endpoints in the same seconds.
 */

/** Under this share of a scenario sampled, a pool threshold has no evidence (a gap can hide exhaustion). */
const POOL_COVERAGE_MIN = 0.9;

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
export function judgedPool(
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
