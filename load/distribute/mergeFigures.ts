import { LatencyRecorder, latencyFigures } from "../../lib/latencyHistogram.ts";
import {
  type DatabaseResult,
  type EndpointResult,
  noCounts,
  type PoolResult,
  type RunnerRow,
  type ScenarioResult,
  type SecondRow,
} from "../../lib/result/scenarioResult.ts";
import type { ScenarioDefinition } from "../scenarios/scenarios.ts";
import type { Shard } from "./shard.ts";
import { IncompleteShards } from "./shardCompleteness.ts";

/*
 * How the shards' figures add up: endpoints exactly (counters as integers,
 * HDR histograms bucket by bucket), per-second rows summed, each pool and
 * generator figure as the worst runner saw it, one row per runner.
 */

type EndpointFigures = EndpointResult & { endpoint: string };

/** Adds the endpoints of every shard's scenario, exactly. */
export function mergeEndpoints(
  definition: ScenarioDefinition,
  parts: readonly ScenarioResult[],
  /** Each part's runner, as problems name it ("runner 2/3 (run …)"). */
  names: readonly string[] = [],
): { endpoints: EndpointFigures[]; recorders: Map<string, LatencyRecorder> } {
  const recorders = new Map<string, LatencyRecorder>();
  const endpoints = definition.endpoints.map((endpoint): EndpointFigures => {
    const recorder = new LatencyRecorder();
    recorders.set(endpoint, recorder);
    const counts = noCounts();
    for (const [i, part] of parts.entries()) {
      const e = part.endpoints.find((x) => x.endpoint === endpoint);
      if (!e?.latency) continue;
      const where = `scenario ${definition.name} endpoint ${endpoint}, ${names[i] ?? `shard ${i + 1}`}`;
      let decoded: LatencyRecorder;
      try {
        decoded = LatencyRecorder.decode(e.latency);
      } catch (error) {
        throw new IncompleteShards(
          `scenario ${definition.name} endpoint ${endpoint}: a shard's latency histogram cannot be read (${(error as Error).message})`,
        );
      }
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) {
        if (!Number.isInteger(e[key]) || e[key] < 0)
          throw new IncompleteShards(
            `scenario ${definition.name} endpoint ${endpoint}: a shard's ${key} is ${JSON.stringify(e[key])}, not a count`,
          );
      }
      // A shard's counters and its histogram tell one story, or neither is believed.
      const disagreement =
        decoded.count !== e.requests
          ? `requests is ${e.requests} but its latency histogram holds ${decoded.count} answers`
          : e.status2xx + e.status4xx + e.status5xx > e.requests
            ? `status2xx + status4xx + status5xx is ${e.status2xx + e.status4xx + e.status5xx}, more than its ${e.requests} requests`
            : e.unexpected > e.requests
              ? `unexpected is ${e.unexpected}, more than its ${e.requests} requests`
              : undefined;
      if (disagreement) {
        decoded.destroy();
        throw new IncompleteShards(`${where}: ${disagreement}: the shard was altered or truncated`);
      }
      recorder.add(decoded);
      decoded.destroy();
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += e[key];
    }
    return { endpoint, ...latencyFigures(recorder), ...counts, latency: recorder.encode() };
  });
  return { endpoints, recorders };
}

/** Per-second rows added by second: counts summed (each endpoint's too); p50 and p95 the slowest runner's (a row's percentiles do not add). */
export function mergeSeries(parts: readonly ScenarioResult[]): SecondRow[] {
  const rows = new Map<number, SecondRow>();
  for (const part of parts)
    for (const row of part.series) {
      const had = rows.get(row.second);
      if (!had) {
        const { pools: _, endpoints, ...counts } = row;
        rows.set(row.second, {
          ...counts,
          ...(endpoints
            ? {
                endpoints: Object.fromEntries(
                  Object.entries(endpoints).map(([name, e]) => [name, { ...e }]),
                ),
              }
            : {}),
        });
        continue;
      }
      // Per-endpoint parts add up; a runner that did not tell endpoints apart leaves the second without them.
      if (had.endpoints && row.endpoints)
        for (const [name, e] of Object.entries(row.endpoints)) {
          const sum = had.endpoints[name] ?? { requests: 0, status5xx: 0, errors: 0, overLimit: 0 };
          had.endpoints[name] = sum;
          sum.requests += e.requests;
          sum.status5xx += e.status5xx;
          sum.errors += e.errors;
          sum.overLimit += e.overLimit;
        }
      else delete had.endpoints;
      had.requests += row.requests;
      had.status5xx += row.status5xx;
      had.errors += row.errors;
      had.dropped += row.dropped;
      had.p50Ms = Math.max(had.p50Ms, row.p50Ms);
      had.p95Ms = Math.max(had.p95Ms, row.p95Ms);
    }
  return [...rows.values()].sort((a, b) => a.second - b.second);
}

/**
 * Each service's pool as the runner that saw it worst: every runner sampled
 * the same target, so exhaustion any of them saw counts; with none, the
 * best-covered view.
 */
export function worstPools(parts: readonly ScenarioResult[]): PoolResult[] {
  const byService = new Map<string, PoolResult>();
  for (const part of parts)
    for (const pool of part.pools) {
      const had = byService.get(pool.service);
      if (
        !had ||
        pool.exhausted > had.exhausted ||
        (pool.exhausted === had.exhausted &&
          ((pool.saturated?.length ?? 0) > (had.saturated?.length ?? 0) ||
            ((pool.saturated?.length ?? 0) === (had.saturated?.length ?? 0) &&
              pool.coverage > had.coverage)))
      )
        byService.set(pool.service, pool);
    }
  return [...byService.values()];
}

export function worstDatabase(parts: readonly ScenarioResult[]): DatabaseResult | undefined {
  let worst: DatabaseResult | undefined;
  for (const { database: db } of parts) {
    if (!db) continue;
    if (
      !worst ||
      db.atLimitSamples > worst.atLimitSamples ||
      (db.atLimitSamples === worst.atLimitSamples && db.coverage > worst.coverage)
    )
      worst = db;
  }
  return worst;
}

/** Each generator figure as the worst runner's that measured it; absent where none did. */
export function worstMeasured(
  generators: readonly ScenarioResult["generator"][],
): Pick<ScenarioResult["generator"], "eventLoopLagP99Ms" | "eventLoopLagMaxMs" | "cpuPct"> {
  const out: Record<string, number> = {};
  for (const key of ["eventLoopLagP99Ms", "eventLoopLagMaxMs", "cpuPct"] as const) {
    const values = generators.flatMap((g) => (g[key] === undefined ? [] : [g[key]]));
    if (values.length > 0) out[key] = Math.max(...values);
  }
  return out;
}

export function runnerRow(shard: Shard, part: ScenarioResult): RunnerRow {
  const started = shard.manifest.scenarios.find((s) => s.name === part.name);
  return {
    segment: shard.manifest.segment.text,
    runId: shard.manifest.runId,
    requests: part.endpoints.reduce((sum, e) => sum + e.requests, 0),
    errors: part.endpoints.reduce((sum, e) => sum + e.errors, 0),
    dropped: part.dropped,
    interrupted: part.interrupted ?? 0,
    p95Ms: Math.max(0, ...part.endpoints.map((e) => e.p95Ms)),
    ...(started?.skewMs !== undefined ? { startSkewMs: started.skewMs } : {}),
    // A k6-operator pod's CPU is not in its raw results: unknown, not 0.
    ...(shard.samples || part.generator.cpuPct === undefined
      ? {}
      : { cpuPct: part.generator.cpuPct }),
    generatorBound: part.generator.generatorBound,
  };
}
