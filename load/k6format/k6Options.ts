import { parseCondition } from "../../lib/thresholdCondition.ts";
import type { ScenarioDefinition } from "../scenarios/scenarios.ts";
import { k6Thresholds, metricKey } from "../scenarios/thresholds.ts";

/*
 * k6's options for the harness's scenarios, generated from the same
 * definitions the Node engine runs (runtime-neutral: k6 scripts and Node
 * both import it). Judged thresholds are the scenarios' own; a few
 * always-true ones are added only so k6's summary carries the per-endpoint
 * submetrics the harness reports (k6 computes a submetric only when a
 * threshold names it).
 */

export type K6Scenario =
  | {
      executor: "constant-vus";
      vus: number;
      duration: string;
      startTime: string;
      gracefulStop: string;
      exec: string;
    }
  | {
      executor: "constant-arrival-rate";
      rate: number;
      timeUnit: string;
      duration: string;
      preAllocatedVUs: number;
      maxVUs: number;
      startTime: string;
      gracefulStop: string;
      exec: string;
    }
  | {
      executor: "ramping-vus";
      startVUs: number;
      stages: { duration: string; target: number }[];
      gracefulRampDown: string;
      startTime: string;
      gracefulStop: string;
      exec: string;
    }
  | {
      executor: "ramping-arrival-rate";
      startRate: number;
      timeUnit: string;
      stages: { duration: string; target: number }[];
      preAllocatedVUs: number;
      maxVUs: number;
      startTime: string;
      gracefulStop: string;
      exec: string;
    };

export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  discardResponseBodies: boolean;
}

/** Lets a request finish after its scenario's time is up, as the Node engine's timeout does. */
const GRACEFUL_STOP_SEC = 10;

/** Always-true conditions, added only so k6 computes these submetrics. */
export const REPORTING_CONDITIONS = ["count>=0", "rate>=0"] as const;

/** Scenarios in order, each starting when the one before has stopped (as the harness runs them). */
export function k6Options(
  scenarios: readonly ScenarioDefinition[],
  /** A runner of a split run: no thresholds of its own (merge judges the whole; k6-operator would judge each slice). */
  options: { runner?: boolean } = {},
): K6Options {
  const out: Record<string, K6Scenario> = {};
  const reporting: Record<string, string[]> = {};
  let startSec = 0;
  for (const scenario of scenarios) {
    const { model } = scenario;
    const common = {
      duration: `${model.durationSec}s`,
      startTime: `${startSec}s`,
      gracefulStop: `${GRACEFUL_STOP_SEC}s`,
      // One function runs every scenario: it reads the scenario's endpoints from the plan.
      exec: "run",
    };
    const { duration: _, ...staged } = common;
    const stages =
      "stages" in model
        ? model.stages.map((s) => ({ duration: `${s.durationSec}s`, target: s.target }))
        : [];
    if (model.kind === "closed") {
      out[scenario.name] = { executor: "constant-vus", vus: model.connections, ...common };
    } else if (model.kind === "rampingVus") {
      out[scenario.name] = {
        executor: "ramping-vus",
        startVUs: model.startVus,
        stages,
        // A user past the target finishes its request, as the Node engine's does.
        gracefulRampDown: `${GRACEFUL_STOP_SEC}s`,
        ...staged,
      };
    } else if (model.kind === "rampingArrivalRate") {
      out[scenario.name] = {
        executor: "ramping-arrival-rate",
        startRate: model.startRate,
        timeUnit: "1s",
        stages,
        preAllocatedVUs: model.maxInFlight,
        maxVUs: model.maxInFlight,
        ...staged,
      };
    } else {
      // k6 wants a whole rate: 2.5/s is 5 per 2 s.
      const perSec = Number.isInteger(model.ratePerSec);
      out[scenario.name] = {
        executor: "constant-arrival-rate",
        rate: perSec ? model.ratePerSec : Math.round(model.ratePerSec * 1000),
        timeUnit: perSec ? "1s" : "1000s",
        preAllocatedVUs: model.maxInFlight,
        maxVUs: model.maxInFlight,
        ...common,
      };
    }
    startSec += model.durationSec + GRACEFUL_STOP_SEC;
    for (const endpoint of scenario.endpoints) {
      const tags = { scenario: scenario.name, endpoint };
      reporting[metricKey({ metric: "http_reqs", tags })] = ["count>=0"];
      for (const metric of ["http_req_failed", "http_5xx", "http_errors", "http_timeouts"]) {
        reporting[metricKey({ metric, tags })] = ["rate>=0"];
      }
    }
  }
  return {
    scenarios: out,
    thresholds: options.runner
      ? {}
      : { ...reporting, ...k6Thresholds(scenarios.flatMap((s) => s.thresholds)) },
    summaryTrendStats: trendStats(scenarios),
    discardResponseBodies: true,
  };
}

/** Every percentile a scenario's thresholds name, as k6's summaryTrendStats spells them. */
function trendStats(scenarios: readonly ScenarioDefinition[]): string[] {
  const stats = new Set(["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]);
  for (const spec of scenarios.flatMap((s) => s.thresholds)) {
    const agg = parseCondition(spec.condition)?.aggregation;
    if (agg?.kind === "percentile") stats.add(`p(${agg.p})`);
  }
  return [...stats];
}
