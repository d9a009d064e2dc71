import { LatencyRecorder, latencyBucketMs } from "../../../lib/latencyHistogram.ts";
import type { SegmentStripe } from "../../executionSegment.ts";
import type { K6RawResults } from "../../k6format/k6Raw.ts";
import { observeFigures } from "../../scenarios/observeFigures.ts";
import { arrivalsOf, type ScenarioDefinition } from "../../scenarios/scenarios.ts";
import type { EngineMeasurement } from "../scenarioEngine.ts";

/** The k6 process as the harness saw it: its version, and its health from its CPU while it ran. */
export interface K6Process {
  version: string;
  generator: EngineMeasurement["generator"];
}

/**
 * The part of k6's end-of-test summary (handleSummary's data) the harness
 * reads: the request count that vouches for the raw file, and the test
 * run's own length. Every figure comes from the raw samples.
 */
export interface K6SummaryData {
  metrics: Record<string, { type?: string; values: Record<string, number> }>;
  state?: { testRunDurationMs?: number };
}

/**
 * What a k6 run measured, from its raw samples: each endpoint's exact
 * counts and HDR histogram (the same fields the Node engine fills, so the
 * reports show the same latency distribution and a shard merges), a row a
 * second, thresholds judged by the harness's one evaluator on them.
 *
 * Fail closed: the summary k6 wrote at its end must count the requests the
 * raw file holds, else the file is cut short and this throws. Requests per
 * second divide by k6's own test-run duration (the summary's
 * `state.testRunDurationMs`), not the process's life: k6's start-up and
 * exit are not load. `interrupted` (iterations still running when the
 * graceful stop ended): for an arrival-rate model, the starts k6's schedule
 * owed this runner less the dropped and the completed; for a closed one 0, since each
 * iteration is one request bounded by its 10 s timeout within a 30 s
 * graceful stop. Unknown (left out) after a Ctrl-C, which stops k6 early.
 */
export function k6RunMeasurement(
  raw: K6RawResults,
  summary: K6SummaryData | undefined,
  scenario: ScenarioDefinition,
  run: K6Process,
  how: { segment?: SegmentStripe; aborted: boolean },
): EngineMeasurement {
  const measured = raw.scenarios.find((s) => s.name === scenario.name);
  if (!measured) throw new Error(`k6's raw results hold no scenario ${scenario.name}`);
  const endpoints = measured.endpoints.map(({ requestsPerSec: _, ...e }) => e);
  const rawRequests = endpoints.reduce((n, e) => n + e.requests + e.errors, 0);
  const summaryRequests = summary?.metrics.http_reqs?.values.count;
  if (summaryRequests !== rawRequests)
    throw new Error(
      summary === undefined
        ? `k6 wrote no end-of-test summary for ${scenario.name}: it did not finish, and its raw results cannot be known whole`
        : `k6's raw results for ${scenario.name} hold ${rawRequests} requests, its summary counts ${summaryRequests ?? "none"}: the raw file is cut short, so the run is not measured`,
    );
  const arrivals = arrivalsOf(scenario.model);
  // k6's constant arrival rate starts at both ends of its duration: a real k6 v1.3.0 made 91
  // starts of 30/s for 3 s (distribute/fixtures/operator3), where the Node engine makes 90.
  const k6Starts = arrivals && arrivals.total + (scenario.model.kind === "open" ? 1 : 0);
  const owed = k6Starts && (how.segment?.countBelow(k6Starts) ?? k6Starts);
  const completed = raw.iterations[scenario.name] ?? 0;
  const interrupted = how.aborted
    ? undefined
    : owed === undefined
      ? 0
      : Math.max(0, owed - measured.dropped - completed);
  const recorders = new Map(
    endpoints.map((e) => [
      e.endpoint,
      LatencyRecorder.decode(e.latency as NonNullable<typeof e.latency>),
    ]),
  );
  const activeMs = summary?.state?.testRunDurationMs;
  return {
    engine: { name: "k6", version: run.version },
    endpoints,
    dropped: measured.dropped,
    ...(interrupted !== undefined ? { interrupted } : {}),
    series: measured.series,
    generator: run.generator,
    ...(activeMs !== undefined && activeMs > 0 ? { activeMs } : {}),
    observe: (spec) =>
      observeFigures(spec, {
        endpoints,
        dropped: measured.dropped,
        percentileMs: (endpoint, p) => {
          const r = recorders.get(endpoint);
          return r && r.count > 0 ? r.percentileUs(p) / 1000 : null;
        },
      }),
    bucketMs: latencyBucketMs,
    release: () => {
      for (const r of recorders.values()) r.destroy();
    },
  };
}
