import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { LatencyRecorder, latencyFigures } from "../lib/latencyHistogram.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { noCounts, type ScenarioResult } from "../lib/result/scenarioResult.ts";
import { mergeShards } from "../load/distribute/mergeShards.ts";
import { shardPlan, writeShard } from "../load/distribute/shard.ts";
import { equalSequence } from "../load/executionSegment.ts";
import { commonThresholds, type ScenarioDefinition } from "../load/scenarios/scenarios.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";

/**
 * What `harness merge` costs: N synthetic shards of M long-tailed samples
 * each (written as runners write them), merged; the time, the process's
 * peak RSS, and whether every percentile equals one histogram of the union.
 * Printed, never asserted.
 */
const COMMAND: BenchCommand<"runners" | "requests"> = {
  name: "bench:merge",
  about:
    "Writes --runners shards of --requests samples each (a long-tailed latency: mostly 1–20 ms, 3% up to 2 s), merges them as harness merge does, and prints the merge's wall time, the peak RSS, and whether the merged p50…p99.99 equal one histogram of every sample.",
  options: {
    runners: {
      takes: "<n>",
      default: "8",
      description: "Shards to merge.",
      check: wholeNumber(2, 64),
    },
    requests: {
      takes: "<n>",
      default: "1000000",
      description: "Samples per shard.",
      check: wholeNumber(1_000, 10_000_000),
    },
  },
};

const DEFINITION: ScenarioDefinition = {
  name: "bench",
  description: "merge bench",
  model: { kind: "open", ratePerSec: 1_000, durationSec: 60, maxInFlight: 100 },
  endpoints: ["work"],
  thresholds: [
    {
      name: "bench work p95",
      metric: "http_req_duration",
      tags: { scenario: "bench", endpoint: "work" },
      condition: "p(95)<500",
      unit: "ms",
      k6: true,
      hint: "",
    },
    ...commonThresholds("bench", true),
  ],
};

benchEntry(COMMAND, async (values) => {
  const runners = Number(values.runners);
  const requests = Number(values.requests);
  const root = await mkdtemp(join(tmpdir(), "harness-merge-bench-"));
  const union = new LatencyRecorder();
  let seed = 7;
  const next = () => {
    seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
    return seed / 2 ** 32;
  };
  try {
    const dirs: string[] = [];
    const target = {
      name: "bench",
      production: false,
      services: { api: { url: "http://127.0.0.1:1" } },
    };
    for (let index = 0; index < runners; index++) {
      const own = new LatencyRecorder();
      for (let i = 0; i < requests; i++) {
        const us = 1_000 + next() * 19_000 + (next() < 0.03 ? next() * 2_000_000 : 0);
        own.record(us);
        union.record(us);
      }
      const scenario: ScenarioResult = {
        name: "bench",
        model: {},
        engine: { name: "node", version: "bench" },
        durationMs: 60_000,
        endpoints: [
          {
            endpoint: "work",
            ...latencyFigures(own),
            ...noCounts(),
            status2xx: own.count,
            latency: own.encode(),
            requestsPerSec: own.count / 60,
          },
        ],
        dropped: 0,
        series: [],
        pools: [],
        generator: { eventLoopLagP99Ms: 0, eventLoopLagMaxMs: 0, cpuPct: 0, generatorBound: false },
      };
      own.destroy();
      const segment = { sequence: equalSequence(runners), index };
      const dir = join(root, `runner-${index + 1}`);
      await writeShard(dir, {
        plan: shardPlan(target, "node", [DEFINITION], segment),
        segment,
        result: {
          runId: `load-bench-${index}`,
          startedAt: new Date(Date.now() - 60_000).toISOString(),
          finishedAt: new Date().toISOString(),
          outcome: "pass",
          scenarios: [scenario],
          cleanup: { status: "done", detail: "", durationMs: 0 },
          target: { name: "bench", production: false, versions: {} },
        } as unknown as RunResult,
        scenarioStarts: new Map(),
      });
      dirs.push(dir);
    }
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const merged = await mergeShards(dirs, {
      suite: "load",
      runId: "load-bench",
      startedAt: new Date(),
      environment: runEnvironment({}),
    });
    const ms = performance.now() - started;
    const whole = merged.scenarios[0]?.endpoints[0]?.latency;
    const sum = whole ? LatencyRecorder.decode(whole) : undefined;
    const equal = [50, 90, 95, 99, 99.9, 99.99].every(
      (p) => sum !== undefined && sum.percentileUs(p) === union.percentileUs(p),
    );
    sum?.destroy();
    process.stdout.write(
      [
        `bench:merge · ${runners} shards × ${requests.toLocaleString("en")} samples (${(runners * requests).toLocaleString("en")} in all)`,
        `  merge: ${Math.round(ms)} ms, outcome ${merged.outcome}; RSS ${Math.round(rssBefore / 1e6)} MB before, ${Math.round(process.resourceUsage().maxRSS / 1e3)} MB peak`,
        `  percentiles p50…p99.99 of the merge equal one histogram of every sample: ${equal ? "yes" : "NO"}`,
        "",
      ].join("\n"),
    );
    return exitCodeFor(equal && merged.outcome === "pass" ? "pass" : "checksFailed");
  } finally {
    union.destroy();
    await rm(root, { recursive: true, force: true });
  }
});
