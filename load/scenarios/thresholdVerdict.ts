import type { ThresholdResult } from "../../lib/result/runResult.ts";
import type { EndpointResult, ScenarioResult, SecondRow } from "../../lib/result/scenarioResult.ts";
import { holds, parseCondition } from "../../lib/thresholdCondition.ts";
import { metricKey, type ThresholdSpec } from "./thresholds.ts";

/*
 * One threshold's verdict on its observed value, the one evaluator both
 * engines and a merge share: no value is "no evidence" (an error, never a
 * pass), and a latency within a histogram bucket of its limit is borderline.
 */

/** A threshold judged on its observed value; with none, "no evidence" (k6 would pass it; we do not). */
export function judged(
  spec: ThresholdSpec,
  observed: number | null,
  bucketMs?: (valueMs: number) => number,
): ThresholdResult {
  const base = {
    name: spec.name,
    metric: metricKey(spec),
    condition: spec.condition,
    unit: spec.unit,
  };
  if (observed === null || !Number.isFinite(observed))
    return noEvidence(
      spec,
      "noSamples",
      `${metricKey(spec)} got no samples in this scenario: nothing was measured to judge ${spec.condition} on.`,
    );
  const condition = parseCondition(spec.condition);
  const passed = condition !== undefined && holds(condition, observed);
  // A latency read off a histogram is exact to its bucket: one within a bucket of the limit could go either way.
  const borderline =
    bucketMs !== undefined &&
    spec.metric === "http_req_duration" &&
    condition !== undefined &&
    Math.abs(observed - condition.limit) <= bucketMs(condition.limit);
  return {
    ...base,
    observed: Math.round(observed * 1000) / 1000,
    status: passed ? "passed" : "failed",
    ...(borderline ? { borderline: true } : {}),
    ...(passed ? {} : { hint: spec.hint }),
  };
}

export function noEvidence(
  spec: ThresholdSpec,
  why: "noSamples" | "dependency",
  detail: string,
): ThresholdResult {
  return {
    name: spec.name,
    metric: metricKey(spec),
    condition: spec.condition,
    observed: null,
    unit: spec.unit,
    status: "error",
    couldNotJudge: why,
    hint: `No evidence: ${detail}`,
  };
}

/** What a scenario measured that its thresholds are judged on. */
export type Measured = Pick<ScenarioResult, "pools" | "database"> & {
  endpoints: readonly EndpointResult[];
  /** Per-second rows; empty or absent where the engine gave none (a k6 run). */
  series?: readonly SecondRow[];
};
