import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError } from "../../../lib/errors.ts";
import type { ExpectedStatus } from "../../../lib/expectedStatuses.ts";
import { latencyBucketMs } from "../../../lib/latencyHistogram.ts";
import { observeFigures } from "../../scenarios/observeFigures.ts";
import { arrivalsOf, p95LimitsMs, peakUsers } from "../../scenarios/scenarios.ts";
import { stageValueAt } from "../../scenarios/stages.ts";
import type { EngineMeasurement, ScenarioEngine } from "../scenarioEngine.ts";
import { runClosedModel } from "./closedModel.ts";
import { watchGenerator } from "./generatorHealth.ts";
import { connectionTarget, requestHead } from "./http1Connection.ts";
import { runOpenModel } from "./openModel.ts";
import { Tally } from "./tally.ts";
import type { EndpointTraffic } from "./traffic.ts";

/** Generous but finite: no closed-model run may send more than this many requests a second. */
const MAX_REQUESTS_PER_SEC = 100_000;

const require = createRequire(import.meta.url);
const ENGINE_VERSION = `node ${process.version}, undici ${(require("undici/package.json") as { version: string }).version}`;

/**
 * The Node engine: its own HTTP/1.1 connections in this process (closed
 * model: one per user; open model: starts on schedule), every answer in
 * HDR histograms, the generator's own event-loop lag and CPU watched beside
 * it, a live line once a second. Each endpoint's first request is framed
 * before any is sent: a header that would break the framing (`requestHead`)
 * is a `ConfigError` listing every endpoint's, not a run that fails midway.
 */
export function nodeEngine(
  traffic: Readonly<Record<string, EndpointTraffic>>,
  expected: Readonly<Record<string, readonly ExpectedStatus[]>>,
  /** Verification mode: every answer's latency as recorded, by scenario and endpoint. */
  onSample?: (scenario: string, endpoint: string, us: number) => void,
): ScenarioEngine {
  const problems: string[] = [];
  for (const [endpoint, t] of Object.entries(traffic)) {
    try {
      requestHead(connectionTarget(t.origin), t.next(0, 0));
    } catch (error) {
      problems.push(`load endpoint ${endpoint}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, "The load's requests cannot be sent");
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
      const tally = new Tally(
        scenario.endpoints,
        started,
        expected,
        onSample ? (endpoint, us) => onSample(scenario.name, endpoint, us) : undefined,
        p95LimitsMs(scenario),
      );
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
        // A runner's share (--segment): its users of the whole, its striped starts of the schedule.
        const share = (n: number) => context.segment?.countBelow(n) ?? n;
        const users = share(peakUsers(model) ?? 0);
        if (arrivals === undefined && users === 0) {
          // A share with no user (more runners than users) sends nothing, for the scenario's length.
          await sleep(model.durationSec * 1000, undefined, {
            ...(context.signal ? { signal: context.signal } : {}),
          }).catch(() => {});
        } else if (arrivals === undefined) {
          const endpoint = scenario.endpoints[0] as string;
          const closed = await runClosedModel({
            traffic: trafficOf(endpoint),
            connections: users,
            durationSec: model.durationSec,
            ...(model.kind === "rampingVus"
              ? {
                  vusAt: (ms: number) =>
                    share(Math.round(stageValueAt(model.startVus, model.stages, ms / 1000))),
                }
              : {}),
            tally,
            maxRequests: MAX_REQUESTS_PER_SEC * model.durationSec,
            ...(context.signal ? { signal: context.signal } : {}),
          });
          connectionRamp = closed.ramp;
          interrupted = closed.interrupted;
        } else {
          const segment = context.segment;
          const maxInFlight = (model as { maxInFlight: number }).maxInFlight;
          const open = await runOpenModel({
            traffic: scenario.endpoints.map(trafficOf),
            schedule: segment
              ? {
                  total: segment.countBelow(arrivals.total),
                  dueSec: (m) => arrivals.dueSec(segment.nth(m)),
                  indexOf: (m) => segment.nth(m),
                }
              : arrivals,
            // As k6 scales preAllocatedVUs and maxVUs by the segment.
            maxInFlight: Math.max(1, share(maxInFlight)),
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
        observe: (spec) =>
          observeFigures(spec, {
            endpoints: figures.endpoints,
            dropped: figures.dropped,
            percentileMs: (endpoint, p) =>
              tally.answered(endpoint) === 0 ? null : tally.percentileMs(endpoint, p),
          }),
        bucketMs: latencyBucketMs,
        release: () => tally.destroy(),
      };
    },
  };
}
