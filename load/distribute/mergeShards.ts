import { stat } from "node:fs/promises";
import { join } from "node:path";
import { latencyBucketMs, type latencyFigures } from "../../lib/latencyHistogram.ts";
import {
  type CheckResult,
  type CleanupReport,
  finishRun,
  type MetricSummary,
  type RunContext,
  type RunResult,
  type ThresholdResult,
} from "../../lib/result/runResult.ts";
import type { ScenarioResult } from "../../lib/result/scenarioResult.ts";
import { k6RawFile, rawPercentile, readK6Raw, sortedSamples } from "../k6format/k6Raw.ts";
import { observeFigures } from "../scenarios/observeFigures.ts";
import { judgeScenario, latencyMetrics } from "../scenarios/scenarioParts.ts";
import { modelRecord, type ScenarioDefinition } from "../scenarios/scenarios.ts";
import { readK6OperatorShards } from "./k6OperatorShards.ts";
import {
  mergeEndpoints,
  mergeSeries,
  runnerRow,
  worstDatabase,
  worstMeasured,
  worstPools,
} from "./mergeFigures.ts";
import { readShard, type Shard } from "./shard.ts";
import { completenessProblems, IncompleteShards } from "./shardCompleteness.ts";

/*
 * `harness merge`: the shards of a split run, checked for completeness,
 * added exactly (HDR histograms bucket by bucket, counters as integers) and
 * judged as one run by the same evaluator as a single run. Anything short of
 * every segment of one plan exactly once is INCOMPLETE: never a pass.
 */

/**
 * Every k6 runner's raw samples of a scenario, by endpoint, sorted; undefined
 * unless every shard has its raw results (then the merge is raw-exact).
 */
async function rawSamples(
  definition: ScenarioDefinition,
  shards: readonly Shard[],
): Promise<Map<string, Float64Array> | undefined> {
  // A k6-operator shard's samples were read with it; a harness k6 runner's are in its folder.
  const files = shards.map((s) =>
    s.samples ? undefined : join(s.dir, k6RawFile(definition.name)),
  );
  const present = await Promise.all(
    files.map((f) =>
      f === undefined
        ? true
        : stat(f).then(
            () => true,
            () => false,
          ),
    ),
  );
  if (shards.length === 0 || !present.every(Boolean)) return undefined;
  const parts: (Record<string, number[]> | undefined)[] = [];
  for (const [i, shard] of shards.entries()) {
    const file = files[i];
    const samples =
      file === undefined
        ? shard.samples
        : (await readK6Raw(file, [definition], "", { keepSamples: true })).samples;
    parts.push(samples?.[definition.name]);
  }
  return sortedSamples(parts, definition.endpoints);
}

/** An endpoint's latency figures straight from raw samples (ms): exact, as k6 computes them. */
function rawFigures(sorted: Float64Array): Omit<ReturnType<typeof latencyFigures>, "requests"> {
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50Ms: rawPercentile(sorted, 50),
    p90Ms: rawPercentile(sorted, 90),
    p95Ms: rawPercentile(sorted, 95),
    p99Ms: rawPercentile(sorted, 99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : 0,
    meanMs: sorted.length > 0 ? sum / sorted.length : 0,
  };
}

/** One scenario of the whole: its shards' parts added, and its thresholds judged on the sum. */
async function mergeScenario(
  definition: ScenarioDefinition,
  shards: readonly Shard[],
): Promise<{ result: ScenarioResult; thresholds: ThresholdResult[]; metrics: MetricSummary[] }> {
  const parts = shards.map(
    (s) => s.scenarios.find((m) => m.name === definition.name) as ScenarioResult,
  );
  const merged = mergeEndpoints(
    definition,
    parts,
    shards.map((s) => `runner ${s.manifest.segment.text} (run ${s.manifest.runId})`),
  );
  const { recorders } = merged;
  // k6 runners' raw samples, when every shard has them: percentiles exact, not to a bucket.
  const raw = await rawSamples(definition, shards);
  const endpoints = raw
    ? merged.endpoints.map((e) => {
        const sorted = raw.get(e.endpoint);
        if (sorted?.length !== e.requests)
          throw new IncompleteShards(
            `scenario ${definition.name} endpoint ${e.endpoint}: the k6 runners' raw results hold ${sorted?.length ?? 0} answered requests, their shards count ${e.requests}: a raw file is truncated or not this run's`,
          );
        return { ...e, ...rawFigures(sorted) };
      })
    : merged.endpoints;
  const dropped = parts.reduce((sum, p) => sum + p.dropped, 0);
  const pools = worstPools(parts);
  const database = worstDatabase(parts);
  const series = mergeSeries(parts);
  try {
    const thresholds = judgeScenario(
      definition,
      { pools, endpoints, series, ...(database ? { database } : {}) },
      (spec) =>
        observeFigures(spec, {
          endpoints,
          dropped,
          percentileMs: (endpoint, p) => {
            const sorted = raw?.get(endpoint);
            if (sorted) return sorted.length > 0 ? rawPercentile(sorted, p) : null;
            const r = recorders.get(endpoint);
            return r && r.count > 0 ? r.percentileUs(p) / 1000 : null;
          },
        }),
      // Raw-exact percentiles have no bucket to be borderline in.
      raw ? undefined : latencyBucketMs,
    );
    const durationMs = Math.max(...parts.map((p) => p.durationMs));
    const seconds = Math.max(durationMs, 1) / 1000;
    const bound = parts
      .map((p, i) => ({ p, shard: shards[i] as Shard }))
      .filter((x) => x.p.generator.generatorBound);
    const ramps = parts.flatMap((p) => (p.connectionRamp ? [p.connectionRamp] : []));
    const versions = [...new Set(parts.map((p) => p.engine.version))];
    const result: ScenarioResult = {
      name: definition.name,
      model: modelRecord(definition.model),
      engine: { name: parts[0]?.engine.name ?? "node", version: versions.join("; ") },
      durationMs,
      endpoints: endpoints.map((e) => ({
        ...e,
        requestsPerSec: Math.round(((e.requests + e.errors) / seconds) * 10) / 10,
      })),
      dropped,
      interrupted: parts.reduce((sum, p) => sum + (p.interrupted ?? 0), 0),
      ...(ramps.length > 0
        ? {
            connectionRamp: {
              connections: ramps.reduce((sum, r) => sum + r.connections, 0),
              answered: ramps.reduce((sum, r) => sum + r.answered, 0),
              firstAnswerP50Ms: Math.max(...ramps.map((r) => r.firstAnswerP50Ms)),
              firstAnswerP99Ms: Math.max(...ramps.map((r) => r.firstAnswerP99Ms)),
              firstAnswerMaxMs: Math.max(...ramps.map((r) => r.firstAnswerMaxMs)),
            },
          }
        : {}),
      series,
      pools,
      ...(database ? { database } : {}),
      // The whole is as sound as its worst runner: one saturated generator taints the figures.
      generator: {
        ...worstMeasured(parts.map((p) => p.generator)),
        generatorBound: bound.length > 0,
        ...(bound.length > 0
          ? {
              reason: bound
                .map(
                  (b) =>
                    `runner ${b.shard.manifest.segment.text}: ${b.p.generator.reason ?? "bound"}`,
                )
                .join("; "),
            }
          : {}),
      },
      runners: parts.map((p, i) => runnerRow(shards[i] as Shard, p)),
    };
    return { result, thresholds, metrics: latencyMetrics(definition.name, endpoints) };
  } finally {
    for (const r of recorders.values()) r.destroy();
  }
}

function mergedCleanup(shards: readonly Shard[]): CleanupReport {
  const reports = shards.map((s) => ({ segment: s.manifest.segment.text, c: s.manifest.cleanup }));
  const failed = reports.find((r) => r.c.status === "failed");
  const unreached = reports.find((r) => r.c.couldNotReach !== undefined);
  return {
    status: failed ? "failed" : reports.every((r) => r.c.status === "skipped") ? "skipped" : "done",
    detail: reports.map((r) => `runner ${r.segment}: ${r.c.detail}`).join(" · "),
    durationMs: Math.max(0, ...reports.map((r) => r.c.durationMs)),
    ...(unreached?.c.couldNotReach ? { couldNotReach: unreached.c.couldNotReach } : {}),
  };
}

/**
 * Reads every shard folder, checks that together they are the whole run,
 * adds them and judges the whole. The result is a load run like any other
 * (the same summary.json, reports and sign-off), or INCOMPLETE (no
 * thresholds, a failed check per problem).
 */
export async function mergeShards(
  dirs: readonly string[],
  context: RunContext,
  /** k6-operator results: `dirs` are its runners' raw files (or folders of them), judged by this plan. */
  from: { k6Plan?: string } = {},
): Promise<RunResult> {
  const mark = performance.now();
  const read = from.k6Plan
    ? await readK6OperatorShards(from.k6Plan, dirs)
    : await Promise.all(dirs.map(readShard));
  const shards = read.filter((r): r is Shard => "manifest" in r);
  const problems = [
    ...read.flatMap((r) => ("problem" in r ? [r.problem] : [])),
    ...completenessProblems(shards),
  ];
  const ordered = [...shards].sort((a, b) => a.manifest.segment.index - b.manifest.segment.index);
  const scenarios: ScenarioResult[] = [];
  const thresholds: ThresholdResult[] = [];
  const metrics: MetricSummary[] = [];
  if (problems.length === 0) {
    try {
      for (const definition of ordered[0]?.manifest.plan.scenarios ?? []) {
        const merged = await mergeScenario(definition, ordered);
        scenarios.push(merged.result);
        thresholds.push(...merged.thresholds);
        metrics.push(...merged.metrics);
      }
    } catch (error) {
      if (!(error instanceof IncompleteShards)) throw error;
      problems.push(error.message);
    }
  }
  const first = shards[0]?.manifest;
  const target = first?.plan.target ?? { name: "unknown", production: false };
  const sequence = first?.plan.sequence ?? "";
  const options = {
    // Runners, not arguments: a k6-operator folder holds every pod's files.
    merged: read.length,
    sequence,
    ...(first
      ? { scenarios: first.plan.scenarios.map((s) => s.name).join(","), engine: first.plan.engine }
      : {}),
  };
  const testData = { runners: shards.map((s) => s.manifest.runId).join(",") };
  if (problems.length > 0) {
    const checks: CheckResult[] = problems.map((problem) => ({
      name: "shardsComplete",
      status: "failed",
      durationMs: 0,
      expected: `every segment of ${sequence || "the sequence"} exactly once, complete, of one plan`,
      observed: problem,
      hint: "Rerun the missing or failed runner (same plan, same --segment), or merge every shard of the run.",
    }));
    const result = finishRun(
      context,
      target,
      {
        options,
        checks,
        testData,
        cleanup:
          shards.length > 0
            ? mergedCleanup(shards)
            : { status: "skipped", detail: "no shard", durationMs: 0 },
        stages: { merge: Math.round(performance.now() - mark) },
        interrupted: false,
      },
      (text) => text,
    );
    return { ...result, outcome: "incomplete" };
  }
  // The merged run spans its runners: from the first one's start to the last one's end.
  const span = {
    from: Math.min(...ordered.map((s) => Date.parse(s.manifest.startedAt))),
    to: Math.max(...ordered.map((s) => Date.parse(s.manifest.finishedAt))),
  };
  return finishRun(
    { ...context, startedAt: new Date(span.from) },
    target,
    {
      options,
      thresholds,
      metrics,
      scenarios,
      testData,
      cleanup: mergedCleanup(ordered),
      stages: { merge: Math.round(performance.now() - mark) },
      targetVersions: ordered[0]?.manifest.targetVersions ?? {},
      interrupted: false,
    },
    (text) => text,
    new Date(span.to),
  );
}
