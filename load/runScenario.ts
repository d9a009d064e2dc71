import type { ScenarioResult, SecondRow } from "../lib/result/scenarioResult.ts";
import type { EngineMeasurement, LiveFigures, ScenarioEngine } from "./engines/scenarioEngine.ts";
import type { SegmentStripe } from "./executionSegment.ts";
import { bootPoolSampler } from "./pool/bootPoolSampler.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";
import { judgeScenario, latencyMetrics, type ScenarioRun } from "./scenarios/scenarioParts.ts";
import { modelRecord, type ScenarioDefinition } from "./scenarios/scenarios.ts";

/**
 * Runs one scenario on any engine, and owns everything that is not driving
 * traffic, once: the pool sampler beside it (started before the engine,
 * stopped after it, whatever the engine does), the thresholds judged by one
 * evaluator, requests per second, the per-second series with the pools, and
 * the scenario's result. The engine bounds its own run (duration, request
 * count, graceful stop); the signal stops it early.
 */
export async function runScenario(
  engine: ScenarioEngine,
  options: {
    scenario: ScenarioDefinition;
    target: LoadTarget;
    signal?: AbortSignal;
    onLive?: (live: LiveFigures) => void;
    onProgress?: (message: string) => void;
    segment?: SegmentStripe;
  },
): Promise<ScenarioRun> {
  const { scenario, target } = options;
  // The thread loads first: the scenario's time zero is when sampling begins, not before.
  const { sampler } = await bootPoolSampler(target);
  const started = performance.now();
  await sampler.start(started);
  let measured: EngineMeasurement;
  let sampled: Awaited<ReturnType<typeof sampler.stop>>;
  try {
    measured = await engine.run(scenario, {
      startedMs: started,
      livePools: () => Object.fromEntries(sampler.live()),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onLive ? { onLive: options.onLive } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.segment ? { segment: options.segment } : {}),
    });
  } finally {
    sampled = await sampler.stop();
  }
  const { pools, database } = sampled;
  const durationMs = measured.activeMs ?? performance.now() - started;
  try {
    const series: SecondRow[] = measured.series.map((row) => {
      const rowPools = Object.fromEntries(
        sampler.rowServices().flatMap((service) => {
          const sample = sampler.rows(service).get(row.second);
          return sample ? [[service, sample]] : [];
        }),
      );
      return Object.keys(rowPools).length > 0 ? { ...row, pools: rowPools } : row;
    });
    const thresholds = judgeScenario(
      scenario,
      { pools, endpoints: measured.endpoints, series, ...(database ? { database } : {}) },
      (spec) => measured.observe(spec),
      measured.bucketMs,
    );
    const seconds = durationMs / 1000;
    const result: ScenarioResult = {
      name: scenario.name,
      model: modelRecord(scenario.model),
      engine: measured.engine,
      durationMs: Math.round(durationMs),
      endpoints: measured.endpoints.map((e) => ({
        ...e,
        requestsPerSec: Math.round(((e.requests + e.errors) / seconds) * 10) / 10,
      })),
      dropped: measured.dropped,
      ...(measured.interrupted !== undefined ? { interrupted: measured.interrupted } : {}),
      ...(measured.connectionRamp ? { connectionRamp: measured.connectionRamp } : {}),
      series,
      pools,
      ...(database ? { database } : {}),
      generator: measured.generator,
    };
    return { result, thresholds, metrics: latencyMetrics(scenario.name, measured.endpoints) };
  } finally {
    measured.release?.();
  }
}
