import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { LatencyRecorder, latencyFigures } from "../../lib/latencyHistogram.ts";
import {
  type EndpointCounts,
  noCounts,
  type ScenarioResult,
  type SecondRow,
} from "../../lib/result/scenarioResult.ts";
import { p95LimitsMs, type ScenarioDefinition } from "../scenarios/scenarios.ts";

/*
 * k6's raw results (`k6 run --out json=<file>`, gzipped when it ends in
 * .gz), read into the harness's figures: every http_req_duration sample
 * recorded into the one latency histogram configuration (exact to it, and
 * exactly mergeable), statuses counted from http_reqs, timeouts from the
 * script's http_timeouts, dropped starts and iterations per scenario. So a
 * k6 runner's share adds to the others' as a Node runner's does.
 */

interface Point {
  type: "Point" | "Metric";
  metric: string;
  data: { time?: string; value?: number; tags?: Record<string, string> | null };
}

/** What one raw file holds, by scenario; and the test-wide tags every runner adds. */
export interface K6RawResults {
  scenarios: ScenarioResult[];
  /** Distinct values of these tags across the file's samples (k6-operator: instance_id; the harness: harness_plan). */
  tags: Record<string, string[]>;
  /** Started iterations per scenario (k6's `iterations` counter). */
  iterations: Record<string, number>;
  points: number;
  /** The first and last sample's time (epoch ms; 0 with none). */
  firstMs: number;
  lastMs: number;
  /** With `keepSamples`: every answered request's duration (ms, as k6 measured it), by scenario and endpoint. */
  samples?: Record<string, Record<string, number[]>>;
}

/** k6's system tags a runner keeps in its raw results: what merge reads, and nothing that may carry a credential (url, name). */
export const K6_RUNNER_SYSTEM_TAGS = "status,expected_response,scenario,error_code";

/** The earliest of some times (epoch ms), 0 with none. */
function firstOf(times: readonly number[]): number {
  const first = Math.min(...times);
  return Number.isFinite(first) ? first : 0;
}

/** The raw results file of a k6 runner's scenario, in its shard folder. */
export function k6RawFile(scenario: string): string {
  return `k6-raw-${scenario}.json.gz`;
}

/**
 * Several runners' raw samples of one scenario (`K6RawResults.samples[name]`
 * each), by endpoint, in one ascending array each: what rawPercentile reads.
 */
export function sortedSamples(
  parts: readonly (Record<string, number[]> | undefined)[],
  endpoints: readonly string[],
): Map<string, Float64Array> {
  return new Map(
    endpoints.map((endpoint) => {
      const lists = parts.map((p) => p?.[endpoint] ?? []);
      const sorted = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
      let at = 0;
      for (const list of lists) {
        sorted.set(list, at);
        at += list.length;
      }
      return [endpoint, sorted.sort()];
    }),
  );
}

/**
 * A percentile of raw samples as k6 computes it (linear interpolation
 * between the closest ranks, R-7): exact, not bucketed. `sorted` ascending.
 */
export function rawPercentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = (p / 100) * (sorted.length - 1);
  const low = sorted[Math.floor(i)] as number;
  const high = sorted[Math.ceil(i)] as number;
  return low + (high - low) * (i - Math.floor(i));
}

/** The metrics merge reads; the rest of k6's samples are skipped unparsed. */
const READ_METRICS: ReadonlySet<string> = new Set([
  "http_req_duration",
  "http_reqs",
  "http_timeouts",
  "dropped_iterations",
  "iterations",
]);

/** Tags whose distinct values are reported (which runner, which plan). */
const RUN_TAGS = ["instance_id", "harness_plan", "testrun_name"] as const;

/**
 * Reads one raw results file. Latency is recorded for answered requests
 * only (status 0 is an error, counted apart), as the Node engine does; a
 * request outside its expected statuses (k6's expected_response:false) is
 * unexpected. The per-second rows keep each second's own histogram while
 * the second is recent (k6 writes samples in about time order), so memory
 * stays flat however long the run.
 */
export async function readK6Raw(
  path: string,
  definitions: readonly ScenarioDefinition[],
  engineVersion: string,
  options: { keepSamples?: boolean } = {},
): Promise<K6RawResults> {
  const stream = createReadStream(path);
  const lines = createInterface({
    input: path.endsWith(".gz") ? stream.pipe(createGunzip()) : stream,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const per = new Map<
    string,
    {
      endpoints: Map<string, { recorder: LatencyRecorder; counts: EndpointCounts }>;
      dropped: number;
      first: number;
      last: number;
      seconds: Map<number, { row: SecondRow; recorder: LatencyRecorder | undefined }>;
      /** Each endpoint's p95 limit; with more than one endpoint, rows tell them apart. */
      limitsMs: Record<string, number>;
      apart: readonly string[] | undefined;
    }
  >();
  for (const d of definitions)
    per.set(d.name, {
      endpoints: new Map(
        d.endpoints.map((e) => [e, { recorder: new LatencyRecorder(), counts: noCounts() }]),
      ),
      dropped: 0,
      first: Number.POSITIVE_INFINITY,
      last: 0,
      seconds: new Map(),
      limitsMs: d.endpoints.length > 1 ? p95LimitsMs(d) : {},
      apart: d.endpoints.length > 1 ? d.endpoints : undefined,
    });
  const tags = new Map<string, Set<string>>(RUN_TAGS.map((t) => [t, new Set()]));
  const iterations: Record<string, number> = {};
  const samples: Record<string, Record<string, number[]>> = {};
  if (options.keepSamples)
    for (const d of definitions)
      samples[d.name] = Object.fromEntries(d.endpoints.map((e) => [e, [] as number[]]));
  let points = 0;
  /** Closes the rows of seconds well behind `latest`: their histograms are freed. */
  const settle = (s: NonNullable<ReturnType<typeof per.get>>, latest: number) => {
    for (const [second, slot] of s.seconds)
      if (slot.recorder && second < latest - 10) {
        slot.row.p50Ms = slot.recorder.percentileUs(50) / 1000;
        slot.row.p95Ms = slot.recorder.percentileUs(95) / 1000;
        slot.recorder.destroy();
        slot.recorder = undefined;
      }
  };
  try {
    for await (const line of lines) {
      if (!line.includes('"type":"Point"')) continue;
      // Most of a request's 16 samples are metrics merge does not read: skipped before parsing.
      const named = line.indexOf('"metric":"');
      const metric = named === -1 ? "" : line.slice(named + 10, line.indexOf('"', named + 10));
      if (!READ_METRICS.has(metric)) continue;
      const point = JSON.parse(line) as Point;
      points++;
      const t = point.data.tags ?? {};
      for (const name of RUN_TAGS) if (t[name] !== undefined) tags.get(name)?.add(t[name]);
      const scenario = t.scenario ? per.get(t.scenario) : undefined;
      if (!scenario) continue;
      const value = point.data.value ?? 0;
      const at = point.data.time ? Date.parse(point.data.time) : 0;
      if (at > 0) {
        scenario.first = Math.min(scenario.first, at);
        scenario.last = Math.max(scenario.last, at);
      }
      if (point.metric === "iterations")
        iterations[t.scenario as string] = (iterations[t.scenario as string] ?? 0) + value;
      if (point.metric === "dropped_iterations") scenario.dropped += value;
      const endpoint = t.endpoint ? scenario.endpoints.get(t.endpoint) : undefined;
      if (!endpoint) continue;
      const status = Number(t.status ?? 0);
      const secondOf = () => {
        const second = Math.floor((at - scenario.first) / 1000) + 1;
        let slot = scenario.seconds.get(second);
        if (!slot) {
          slot = {
            row: {
              second,
              requests: 0,
              p50Ms: 0,
              p95Ms: 0,
              status5xx: 0,
              errors: 0,
              dropped: 0,
              ...(scenario.apart
                ? {
                    endpoints: Object.fromEntries(
                      scenario.apart.map((e) => [
                        e,
                        { requests: 0, status5xx: 0, errors: 0, overLimit: 0 },
                      ]),
                    ),
                  }
                : {}),
            },
            recorder: new LatencyRecorder(),
          };
          scenario.seconds.set(second, slot);
          settle(scenario, second);
        }
        return slot;
      };
      if (point.metric === "http_req_duration" && status !== 0) {
        endpoint.recorder.record(value * 1000);
        if (options.keepSamples) samples[t.scenario as string]?.[t.endpoint as string]?.push(value);
        const slot = secondOf();
        slot.row.requests++;
        slot.recorder?.record(value * 1000);
        const part = slot.row.endpoints?.[t.endpoint as string];
        if (part) {
          part.requests++;
          if (value > (scenario.limitsMs[t.endpoint as string] ?? Number.POSITIVE_INFINITY))
            part.overLimit++;
        }
      } else if (point.metric === "http_reqs") {
        const c = endpoint.counts;
        if (status === 0) {
          c.errors++;
          const row = secondOf().row;
          row.errors++;
          const part = row.endpoints?.[t.endpoint as string];
          if (part) part.errors++;
        } else {
          if (t.expected_response === "false") c.unexpected++;
          if (status >= 500) {
            c.status5xx++;
            const row = secondOf().row;
            row.status5xx++;
            const part = row.endpoints?.[t.endpoint as string];
            if (part) part.status5xx++;
          } else if (status >= 400) c.status4xx++;
          else if (status >= 200 && status < 300) c.status2xx++;
        }
      } else if (point.metric === "http_timeouts" && value === 1) endpoint.counts.timeouts++;
    }
    const scenarios = definitions.map((d): ScenarioResult => {
      const s = per.get(d.name) as NonNullable<ReturnType<typeof per.get>>;
      settle(s, Number.POSITIVE_INFINITY);
      const durationMs = s.last >= s.first ? s.last - s.first : 0;
      const seconds = Math.max(durationMs, 1) / 1000;
      return {
        name: d.name,
        model: {},
        engine: { name: "k6", version: engineVersion },
        durationMs,
        endpoints: [...s.endpoints].map(([name, { recorder, counts }]) => ({
          endpoint: name,
          ...latencyFigures(recorder),
          ...counts,
          latency: recorder.encode(),
          requestsPerSec: Math.round(((recorder.count + counts.errors) / seconds) * 10) / 10,
        })),
        dropped: s.dropped,
        series: [...s.seconds.values()].map((x) => x.row).sort((a, b) => a.second - b.second),
        pools: [],
        // A k6 runner's own health is not in its raw output.
        generator: { generatorBound: false },
      };
    });
    return {
      scenarios,
      tags: Object.fromEntries([...tags].map(([k, v]) => [k, [...v]])),
      iterations,
      points,
      firstMs: firstOf([...per.values()].map((s) => s.first)),
      lastMs: Math.max(0, ...[...per.values()].map((s) => s.last)),
      ...(options.keepSamples ? { samples } : {}),
    };
  } finally {
    for (const s of per.values()) {
      for (const e of s.endpoints.values()) e.recorder.destroy();
      for (const slot of s.seconds.values()) slot.recorder?.destroy();
    }
  }
}
