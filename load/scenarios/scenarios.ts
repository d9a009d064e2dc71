import { arrivalSchedule, constantRate, type Stage, stagesPeak, stagesText } from "./stages.ts";
import type { ThresholdSpec } from "./thresholds.ts";

/**
 * The load scenarios of the integration plan (X.T-2), as data: the Node
 * engine runs them, and the k6 scripts get their options and thresholds from
 * them. Runtime-neutral: no Node or k6 API here.
 */

const ENDPOINTS = ["identify", "webhook"] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

export const SCENARIO_NAMES = ["identify", "webhook", "sustained"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type LoadModel =
  /** N users, each sending its next request when the last answer arrives (k6: constant-vus). */
  | { kind: "closed"; connections: number; durationSec: number }
  /**
   * Requests start on schedule whether or not earlier ones answered (k6:
   * constant-arrival-rate); a start that finds `maxInFlight` requests still
   * open is dropped and counted.
   */
  | { kind: "open"; ratePerSec: number; durationSec: number; maxInFlight: number }
  /**
   * Closed, in stages (k6: ramping-vus): from `startVus`, each stage moves
   * the number of users linearly to its target; a user past the target
   * finishes its request and waits. `durationSec` is the stages' sum.
   */
  | { kind: "rampingVus"; startVus: number; stages: Stage[]; durationSec: number }
  /**
   * Open, in stages (k6: ramping-arrival-rate): from `startRate` requests a
   * second, each stage moves the rate linearly to its target; a start that
   * finds `maxInFlight` open is dropped. `durationSec` is the stages' sum.
   */
  | {
      kind: "rampingArrivalRate";
      startRate: number;
      stages: Stage[];
      durationSec: number;
      maxInFlight: number;
    };

export interface ScenarioDefinition {
  /** A built-in name, or one the target declares. */
  name: string;
  description: string;
  model: LoadModel;
  /** The endpoints requests go to, in turn (names of the run's LoadRequests). */
  endpoints: readonly string[];
  /**
   * The service each endpoint is sent to, where the profile says (declared
   * scenarios): a pool's saturation is judged by the harm on its service's
   * endpoints. Absent (the built-in ones), every endpoint may use every pool.
   */
  serviceOf?: Readonly<Record<string, string>>;
  thresholds: ThresholdSpec[];
}

/**
 * Each endpoint's tightest p95 limit (ms), from the scenario's
 * http_req_duration thresholds (one without an endpoint tag limits every
 * endpoint): what a second's answers are held to when a pool's saturation
 * is judged by its effect.
 */
export function p95LimitsMs(scenario: ScenarioDefinition): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const t of scenario.thresholds) {
    const m =
      t.metric === "http_req_duration" ? /^p\(95\)\s*<=?\s*([\d.]+)$/.exec(t.condition) : null;
    if (!m) continue;
    for (const endpoint of t.tags.endpoint ? [t.tags.endpoint] : scenario.endpoints)
      limits[endpoint] = Math.min(limits[endpoint] ?? Number.POSITIVE_INFINITY, Number(m[1]));
  }
  return limits;
}

/** The plan's release limits on p95 per endpoint, in ms. */
const P95_LIMIT_MS: Record<EndpointName, number> = { identify: 500, webhook: 200 };

/** How long pool saturation (in use at max, callers waiting) may last before it counts as exhaustion. */
export const POOL_WAIT_GRACE_MS = 1_000;

/**
 * Every service's pool is judged: the plan wants none exhausted anywhere. A
 * service the profile gives no way to see has a threshold with no evidence,
 * which fails, rather than none.
 */
export const POOL_SERVICES = ["pasukuru", "curva"] as const;

/**
 * Every scenario's limits: p95 per endpoint, no failed request (k6's
 * http_req_failed: an unexpected status or no answer), 0% 5xx, no network
 * errors, no dropped starts, no pool exhaustion.
 */
function thresholdsFor(
  scenario: ScenarioName,
  endpoints: readonly EndpointName[],
  open: boolean,
): ThresholdSpec[] {
  const specs: ThresholdSpec[] = endpoints.map(
    (endpoint): ThresholdSpec => ({
      name: `${scenario} ${endpoint} p95`,
      metric: "http_req_duration",
      tags: { scenario, endpoint },
      condition: `p(95)<${P95_LIMIT_MS[endpoint]}`,
      unit: "ms",
      k6: true,
      hint: `${endpoint} answered slower than the release limit under this load.`,
    }),
  );
  specs.push(...commonThresholds(scenario, open));
  for (const service of POOL_SERVICES) {
    specs.push({
      name: `${scenario} ${service} pool`,
      metric: "db_pool_exhausted",
      tags: { scenario, service },
      condition: "count==0",
      unit: "count",
      k6: false,
      hint: `${service}'s DB pool ran dry: checkouts timed out, callers waited over ${POOL_WAIT_GRACE_MS} ms at max, or Postgres hit max_connections.`,
    });
  }
  return specs;
}

/** What every scenario is held to, built-in or declared: no failed request, no 5xx, no network error, and (open models) no dropped start. */
export function commonThresholds(scenario: string, open: boolean): ThresholdSpec[] {
  const specs: ThresholdSpec[] = [];
  specs.push(
    {
      name: `${scenario} failed requests`,
      metric: "http_req_failed",
      tags: { scenario },
      condition: "rate==0",
      unit: "ratio",
      k6: true,
      hint: "Answers outside the expected statuses (default 200–399: a 401 is a wrong secret or token, a 404 a wrong path), or no answer at all: the target refused the load, it did not serve it.",
    },
    {
      name: `${scenario} 5xx`,
      metric: "http_5xx",
      tags: { scenario },
      condition: "rate==0",
      unit: "ratio",
      k6: true,
      hint: "The target answered 5xx under load: see its logs (a pool, a dependency, a timeout).",
    },
    {
      name: `${scenario} network errors`,
      metric: "http_errors",
      tags: { scenario },
      condition: "rate==0",
      unit: "ratio",
      k6: true,
      hint: "Requests got no answer (refused, reset, or timed out): the target or the generator is overloaded.",
    },
  );
  if (open) {
    specs.push({
      name: `${scenario} dropped starts`,
      metric: "dropped_iterations",
      tags: { scenario },
      condition: "count==0",
      unit: "count",
      k6: true,
      hint: "Scheduled requests could not start because too many were still open: the target fell behind the rate.",
    });
  }
  return specs;
}

export const SCENARIOS: Record<ScenarioName, ScenarioDefinition> = {
  identify: {
    name: "identify",
    description: "mass LIFF entry: 1000 concurrent POST /integration/line/identify",
    model: { kind: "closed", connections: 1000, durationSec: 60 },
    endpoints: ["identify"],
    thresholds: thresholdsFor("identify", ["identify"], false),
  },
  webhook: {
    name: "webhook",
    description: "100 concurrent signed webhook deliveries to Curva, each a new event",
    model: { kind: "closed", connections: 100, durationSec: 60 },
    endpoints: ["webhook"],
    thresholds: thresholdsFor("webhook", ["webhook"], false),
  },
  sustained: {
    name: "sustained",
    description: "10 requests/s for 10 minutes, identify and webhook in turn",
    model: { kind: "open", ratePerSec: 10, durationSec: 600, maxInFlight: 100 },
    endpoints: ["identify", "webhook"],
    thresholds: thresholdsFor("sustained", ["identify", "webhook"], true),
  },
};

/** A model as the result records it: flat (its stages as one line of text). */
export function modelRecord(model: LoadModel): Record<string, string | number> {
  return "stages" in model ? { ...model, stages: stagesText(model.stages) } : { ...model };
}

/** How many requests an open model starts, and when each is due; undefined for a closed one. */
export function arrivalsOf(model: LoadModel): ReturnType<typeof arrivalSchedule> | undefined {
  if (model.kind === "open") return constantRate(model.ratePerSec, model.durationSec);
  if (model.kind === "rampingArrivalRate") return arrivalSchedule(model.startRate, model.stages);
  return undefined;
}

/** The users a closed model runs at its peak (its connections); undefined for an open one. */
export function peakUsers(model: LoadModel): number | undefined {
  if (model.kind === "closed") return model.connections;
  if (model.kind === "rampingVus") return stagesPeak(model.startVus, model.stages);
  return undefined;
}

/** The model in a few words, for progress lines. */
export function modelSummary(model: LoadModel): string {
  switch (model.kind) {
    case "closed":
      return `${model.connections} connections for ${model.durationSec} s`;
    case "open":
      return `${model.ratePerSec} requests/s for ${model.durationSec} s`;
    case "rampingVus":
      return `users ${model.startVus} then ${stagesText(model.stages)} (${model.durationSec} s)`;
    case "rampingArrivalRate":
      return `requests/s ${model.startRate} then ${stagesText(model.stages)} (${model.durationSec} s)`;
  }
}
