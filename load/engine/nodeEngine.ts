import { createRequire } from "node:module";
import type { ExpectedStatus } from "../../lib/expectedStatuses.ts";
import { parseCondition } from "../../lib/thresholdCondition.ts";
import type { EngineMeasurement, ScenarioEngine } from "../scenarioEngine.ts";
import { arrivalsOf, peakUsers } from "../scenarios.ts";
import { stageValueAt } from "../stages.ts";
import type { ThresholdSpec } from "../thresholds.ts";
import { runClosedModel } from "./closedModel.ts";
import { watchGenerator } from "./generatorHealth.ts";
import { runOpenModel } from "./openModel.ts";
import { Tally, type TallyFigures } from "./tally.ts";
import type { EndpointTraffic } from "./traffic.ts";

/** Generous but finite: no closed-model run may send more than this many requests a second. */
const MAX_REQUESTS_PER_SEC = 100_000;

const require = createRequire(import.meta.url);
const ENGINE_VERSION = `node ${process.version}, undici ${(require("undici/package.json") as { version: string }).version}`;

/** The value a threshold is judged on, from the engine's figures; null when nothing was measured. */
function observe(spec: ThresholdSpec, tally: Tally, figures: TallyFigures): number | null {
  const condition = parseCondition(spec.condition);
  // A rate tagged with an endpoint is that endpoint's, as k6 reads its submetric.
  const all = spec.tags.endpoint
    ? figures.endpoints.filter((e) => e.endpoint === spec.tags.endpoint)
    : figures.endpoints;
  const answered = all.reduce((sum, e) => sum + e.requests, 0);
  const attempts = answered + all.reduce((sum, e) => sum + e.errors, 0);
  switch (spec.metric) {
    case "http_req_duration": {
      const endpoint = spec.tags.endpoint as string;
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
 * The Node engine: undici clients in this process (closed model: one
 * Client per connection; open model: starts on schedule), every answer in
 * HDR histograms, the generator's own event-loop lag and CPU watched beside
 * it, a live line once a second.
 */
export function nodeEngine(
  traffic: Readonly<Record<string, EndpointTraffic>>,
  expected: Readonly<Record<string, readonly ExpectedStatus[]>>,
): ScenarioEngine {
  const trafficOf = (endpoint: string): EndpointTraffic => {
    const t = traffic[endpoint];
    if (!t) throw new Error(`the run has no requests for endpoint ${endpoint}`);
    return t;
  };
  return {
    async run(scenario, context): Promise<EngineMeasurement> {
      const { model } = scenario;
      const started = context.startedMs;
      // Tally defaults an endpoint without its own expected statuses to every 2xx and 3xx.
      const tally = new Tally(scenario.endpoints, started, expected);
      const generator = watchGenerator();
      let lastRequests = 0;
      const ticker = setInterval(() => {
        tally.tick();
        const live = tally.live();
        context.onLive?.({
          scenario: scenario.name,
          elapsedSec: Math.round((performance.now() - started) / 1000),
          totalSec: model.durationSec,
          requestsPerSec: live.requests - lastRequests,
          p95Ms: live.p95Ms,
          status5xx: live.status5xx,
          errors: live.errors,
          pools: context.livePools(),
        });
        lastRequests = live.requests;
      }, 1_000);
      let connectionRamp: EngineMeasurement["connectionRamp"];
      let interrupted = 0;
      try {
        const arrivals = arrivalsOf(model);
        if (arrivals === undefined) {
          const endpoint = scenario.endpoints[0] as string;
          const closed = await runClosedModel({
            traffic: trafficOf(endpoint),
            connections: peakUsers(model) as number,
            durationSec: model.durationSec,
            ...(model.kind === "rampingVus"
              ? {
                  vusAt: (ms: number) =>
                    Math.round(stageValueAt(model.startVus, model.stages, ms / 1000)),
                }
              : {}),
            tally,
            maxRequests: MAX_REQUESTS_PER_SEC * model.durationSec,
            ...(context.signal ? { signal: context.signal } : {}),
          });
          connectionRamp = closed.ramp;
          interrupted = closed.interrupted;
        } else {
          const open = await runOpenModel({
            traffic: scenario.endpoints.map(trafficOf),
            schedule: arrivals,
            maxInFlight: (model as { maxInFlight: number }).maxInFlight,
            tally,
            ...(context.signal ? { signal: context.signal } : {}),
          });
          interrupted = open.interrupted;
        }
      } catch (error) {
        generator.stop();
        tally.destroy();
        throw error;
      } finally {
        clearInterval(ticker);
      }
      const health = generator.stop();
      const figures = tally.figures();
      return {
        engine: { name: "node", version: ENGINE_VERSION },
        endpoints: figures.endpoints,
        dropped: figures.dropped,
        interrupted,
        series: figures.rows,
        ...(connectionRamp ? { connectionRamp } : {}),
        generator: health,
        observe: (spec) => observe(spec, tally, figures),
        release: () => tally.destroy(),
      };
    },
  };
}
