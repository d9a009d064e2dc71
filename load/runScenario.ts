import { createRequire } from "node:module";
import type { Agent } from "undici";
import type { ServiceName } from "../lib/config/targetProfile.ts";
import { DEFAULT_EXPECTED_STATUSES } from "../lib/expectedStatuses.ts";
import type { ScenarioResult, SecondRow } from "../lib/result/scenarioResult.ts";
import { parseCondition } from "../lib/thresholdCondition.ts";
import { runClosedModel } from "./engine/closedModel.ts";
import { watchGenerator } from "./engine/generatorHealth.ts";
import { runOpenModel } from "./engine/openModel.ts";
import { Tally, type TallyFigures } from "./engine/tally.ts";
import type { EndpointTraffic } from "./engine/traffic.ts";
import type { LoadTarget } from "./loadSection.ts";
import {
  judgeScenario,
  latencyMetrics,
  type ScenarioRun,
  startPoolSampler,
} from "./scenarioParts.ts";
import type { EndpointName, ScenarioDefinition } from "./scenarios.ts";
import type { ThresholdSpec } from "./thresholds.ts";

/** What the live progress line shows, once a second. */
export interface LiveFigures {
  scenario: string;
  elapsedSec: number;
  totalSec: number;
  requestsPerSec: number;
  p95Ms: number;
  status5xx: number;
  errors: number;
  pools: Partial<Record<ServiceName, { inUse: number; waiting: number }>>;
}

/** Generous but finite: no closed-model run may send more than this many requests a second. */
const MAX_REQUESTS_PER_SEC = 100_000;

const require = createRequire(import.meta.url);
const ENGINE_VERSION = `node ${process.version}, undici ${(require("undici/package.json") as { version: string }).version}`;

/** The value a threshold is judged on, from the engine's figures; null when nothing was measured. */
function observe(spec: ThresholdSpec, tally: Tally, figures: TallyFigures): number | null {
  const condition = parseCondition(spec.condition);
  const all = figures.endpoints;
  const answered = all.reduce((sum, e) => sum + e.requests, 0);
  const attempts = answered + all.reduce((sum, e) => sum + e.errors, 0);
  switch (spec.metric) {
    case "http_req_duration": {
      const endpoint = spec.tags.endpoint as EndpointName;
      const agg = condition?.aggregation;
      if (!agg || tally.answered(endpoint) === 0) return null;
      if (agg.kind === "percentile") return tally.percentileMs(endpoint, agg.p);
      const e = all.find((x) => x.endpoint === endpoint);
      if (agg.kind === "max") return e?.maxMs ?? null;
      if (agg.kind === "avg") return e?.meanMs ?? null;
      return null;
    }
    case "http_req_failed":
      // k6's meaning: an answer outside the expected statuses, or no answer at all.
      return attempts === 0
        ? null
        : all.reduce((sum, e) => sum + e.unexpected + e.errors, 0) / attempts;
    case "http_5xx":
      return attempts === 0 ? null : all.reduce((sum, e) => sum + e.status5xx, 0) / attempts;
    case "http_errors":
      return attempts === 0 ? null : all.reduce((sum, e) => sum + e.errors, 0) / attempts;
    case "dropped_iterations":
      return figures.dropped;
    default:
      return null;
  }
}

/**
 * Runs one scenario with the Node engine while the pool sampler and the
 * generator's self-watch run beside it, then judges its thresholds. Bounded
 * by its duration (and a request count); the signal stops it early.
 */
export async function runScenario(options: {
  scenario: ScenarioDefinition;
  target: LoadTarget;
  traffic: Record<EndpointName, EndpointTraffic>;
  agent: Agent;
  signal?: AbortSignal;
  onLive?: (live: LiveFigures) => void;
}): Promise<ScenarioRun> {
  const { scenario, target } = options;
  const { model } = scenario;
  const started = performance.now();
  const tally = new Tally(scenario.endpoints, started, {
    identify: target.load.identify.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES,
    webhook: target.load.webhook.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES,
  });
  const { sampler, sources } = await startPoolSampler(target, options.agent, started);
  const generator = watchGenerator();
  let lastRequests = 0;
  const ticker = setInterval(() => {
    tally.tick();
    const live = tally.live();
    options.onLive?.({
      scenario: scenario.name,
      elapsedSec: Math.round((performance.now() - started) / 1000),
      totalSec: model.durationSec,
      requestsPerSec: live.requests - lastRequests,
      p95Ms: live.p95Ms,
      status5xx: live.status5xx,
      errors: live.errors,
      pools: Object.fromEntries(sampler.live()),
    });
    lastRequests = live.requests;
  }, 1_000);
  let connectionRamp: ScenarioResult["connectionRamp"];
  let interrupted = 0;
  try {
    if (model.kind === "closed") {
      const endpoint = scenario.endpoints[0] as EndpointName;
      const closed = await runClosedModel({
        traffic: options.traffic[endpoint],
        connections: model.connections,
        durationSec: model.durationSec,
        tally,
        maxRequests: MAX_REQUESTS_PER_SEC * model.durationSec,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      connectionRamp = closed.ramp;
      interrupted = closed.interrupted;
    } else {
      const open = await runOpenModel({
        traffic: scenario.endpoints.map((e) => options.traffic[e]),
        ratePerSec: model.ratePerSec,
        durationSec: model.durationSec,
        maxInFlight: model.maxInFlight,
        tally,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      interrupted = open.interrupted;
    }
  } finally {
    clearInterval(ticker);
  }
  const health = generator.stop();
  const { pools, database } = await sampler.stop();
  const durationMs = performance.now() - started;
  const figures = tally.figures();
  try {
    const series: SecondRow[] = figures.rows.map((row) => {
      const rowPools = Object.fromEntries(
        sources.flatMap((s) => {
          const sample = sampler.rows(s.service).get(row.second);
          return sample ? [[s.service, sample]] : [];
        }),
      );
      return Object.keys(rowPools).length > 0 ? { ...row, pools: rowPools } : row;
    });
    const thresholds = judgeScenario(
      scenario,
      { pools, database, endpoints: figures.endpoints },
      (spec) => observe(spec, tally, figures),
    );
    const seconds = durationMs / 1000;
    const result: ScenarioResult = {
      name: scenario.name,
      model: { ...model },
      engine: { name: "node", version: ENGINE_VERSION },
      durationMs: Math.round(durationMs),
      endpoints: figures.endpoints.map((e) => ({
        ...e,
        requestsPerSec: Math.round(((e.requests + e.errors) / seconds) * 10) / 10,
      })),
      dropped: figures.dropped,
      interrupted,
      ...(connectionRamp ? { connectionRamp } : {}),
      series,
      pools,
      ...(database ? { database } : {}),
      generator: health,
    };
    const metrics = latencyMetrics(scenario.name, figures.endpoints);
    return { result, thresholds, metrics };
  } finally {
    tally.destroy();
  }
}
