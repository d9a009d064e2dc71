import { stat } from "node:fs/promises";
import { join } from "node:path";
import {
  LATENCY_HISTOGRAM,
  LatencyRecorder,
  latencyBucketMs,
  latencyFigures,
} from "../lib/latencyHistogram.ts";
import {
  type CheckResult,
  type CleanupReport,
  finishRun,
  type MetricSummary,
  type RunContext,
  type RunResult,
  type ThresholdResult,
} from "../lib/result/runResult.ts";
import {
  type DatabaseResult,
  type EndpointResult,
  noCounts,
  type PoolResult,
  type RunnerRow,
  type ScenarioResult,
  type SecondRow,
} from "../lib/result/scenarioResult.ts";
import { k6RawFile, rawPercentile, readK6Raw, sortedSamples } from "./k6/k6Raw.ts";
import { readK6OperatorShards } from "./k6OperatorShards.ts";
import { observeFigures } from "./observeFigures.ts";
import { judgeScenario, latencyMetrics } from "./scenarioParts.ts";
import { modelRecord, type ScenarioDefinition } from "./scenarios.ts";
import { readShard, type Shard } from "./shard.ts";

/*
 * `harness merge`: the shards of a split run, checked for completeness,
 * added exactly (HDR histograms bucket by bucket, counters as integers) and
 * judged as one run by the same evaluator as a single run. Anything short of
 * every segment of one plan exactly once is INCOMPLETE: never a pass.
 */

type EndpointFigures = EndpointResult & { endpoint: string };

/** Why the shards do not make the whole run; empty when they do. */
function completenessProblems(shards: readonly Shard[]): string[] {
  const problems: string[] = [];
  const first = shards[0];
  if (!first) return ["no shard to merge"];
  const hashes = new Map<string, string[]>();
  for (const s of shards)
    hashes.set(s.manifest.planHash, [...(hashes.get(s.manifest.planHash) ?? []), s.dir]);
  if (hashes.size > 1)
    problems.push(
      `the shards are of ${hashes.size} different plans (${[...hashes.values()].map((dirs) => dirs.join(", ")).join(" | ")}): every runner must run the same target, scenarios, options and sequence${planDifference(shards)}`,
    );
  for (const s of shards)
    if (s.manifest.plan.histogram !== LATENCY_HISTOGRAM.version)
      problems.push(
        `${s.dir}: latency histograms of configuration version ${s.manifest.plan.histogram}, not ${LATENCY_HISTOGRAM.version}: they do not add exactly`,
      );
  const starts = new Set(shards.map((s) => s.manifest.agreedStart ?? "none"));
  if (starts.size > 1)
    problems.push(
      `the shards agreed on ${starts.size} different starts (${[...starts].join(", ")}): they are not one run`,
    );
  // One run: the runners' times overlap (the same plan run on two days is two runs, not one).
  const latestStart = shards.reduce((a, s) =>
    Date.parse(s.manifest.startedAt) > Date.parse(a.manifest.startedAt) ? s : a,
  );
  const earliestEnd = shards.reduce((a, s) =>
    Date.parse(s.manifest.finishedAt) < Date.parse(a.manifest.finishedAt) ? s : a,
  );
  if (Date.parse(latestStart.manifest.startedAt) > Date.parse(earliestEnd.manifest.finishedAt))
    problems.push(
      `the runners did not run together: ${latestStart.dir} started ${latestStart.manifest.startedAt}, after ${earliestEnd.dir} had finished (${earliestEnd.manifest.finishedAt}); merge the shards of one run`,
    );
  const { sequence } = first.manifest.plan;
  const cuts = sequence.split(",");
  const count = cuts.length - 1;
  const bySegment = new Map<number, Shard[]>();
  for (const s of shards) {
    if (s.manifest.plan.sequence !== sequence) continue;
    bySegment.set(s.manifest.segment.index, [
      ...(bySegment.get(s.manifest.segment.index) ?? []),
      s,
    ]);
  }
  for (let i = 0; i < count; i++) {
    const name = `segment ${i + 1}/${count} (${cuts[i]}:${cuts[i + 1]})`;
    const holders = bySegment.get(i) ?? [];
    if (holders.length === 0)
      problems.push(`${name} has no shard: its runner is missing, or did not finish`);
    if (holders.length > 1)
      problems.push(
        `${name} is in ${holders.length} shards (${holders.map((h) => h.dir).join(", ")}): a runner ran twice, or two were given the same segment`,
      );
  }
  for (const s of shards) {
    const name = `${s.dir} (segment ${s.manifest.segment.text}, run ${s.manifest.runId})`;
    if (s.manifest.exitStatus !== "complete")
      problems.push(`${name} was ${s.manifest.exitStatus}: its shard is partial`);
    for (const scenario of s.manifest.plan.scenarios) {
      const measured = s.scenarios.find((m) => m.name === scenario.name);
      if (!measured) {
        problems.push(`${name} has no figures for scenario ${scenario.name}`);
        continue;
      }
      for (const endpoint of scenario.endpoints) {
        const e = measured.endpoints.find((x) => x.endpoint === endpoint);
        if (!e?.latency)
          problems.push(
            `${name}: scenario ${scenario.name} endpoint ${endpoint} has no latency histogram (a k6 summary has none: run k6 runners with --out json)`,
          );
      }
    }
  }
  return problems;
}

/** Which part of the plans differs, named (the hash alone says only that they do). */
function planDifference(shards: readonly Shard[]): string {
  const first = shards[0]?.manifest.plan;
  if (!first) return "";
  const parts = new Set<string>();
  for (const s of shards) {
    const plan = s.manifest.plan;
    for (const key of Object.keys(first) as (keyof typeof first)[])
      if (JSON.stringify(plan[key]) !== JSON.stringify(first[key])) parts.add(key);
  }
  return parts.size > 0 ? `; they differ in: ${[...parts].join(", ")}` : "";
}

/** Found while adding: the shards are not one whole after all (INCOMPLETE, like a missing one). */
class IncompleteShards extends Error {}

/** Adds the endpoints of every shard's scenario, exactly. */
function mergeEndpoints(
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
function mergeSeries(parts: readonly ScenarioResult[]): SecondRow[] {
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
function worstPools(parts: readonly ScenarioResult[]): PoolResult[] {
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

function worstDatabase(parts: readonly ScenarioResult[]): DatabaseResult | undefined {
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
function worstMeasured(
  generators: readonly ScenarioResult["generator"][],
): Pick<ScenarioResult["generator"], "eventLoopLagP99Ms" | "eventLoopLagMaxMs" | "cpuPct"> {
  const out: Record<string, number> = {};
  for (const key of ["eventLoopLagP99Ms", "eventLoopLagMaxMs", "cpuPct"] as const) {
    const values = generators.flatMap((g) => (g[key] === undefined ? [] : [g[key]]));
    if (values.length > 0) out[key] = Math.max(...values);
  }
  return out;
}

function runnerRow(shard: Shard, part: ScenarioResult): RunnerRow {
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
