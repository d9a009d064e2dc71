import type { EndpointResult } from "../../lib/result/scenarioResult.ts";
import { parseCondition } from "../../lib/thresholdCondition.ts";
import type { ThresholdSpec } from "./thresholds.ts";

/** What a threshold is judged on: per endpoint counts, drops, and each endpoint's latency percentiles. */
export interface ObservedFigures {
  endpoints: readonly (EndpointResult & { endpoint: string })[];
  dropped: number;
  /** An endpoint's response time at percentile p, in ms; null when it has no answer. */
  percentileMs(endpoint: string, p: number): number | null;
}

/**
 * The value a threshold is judged on, from an engine's figures or from the
 * merged figures of a split run (the same evaluator for both); null when
 * nothing was measured, which never passes.
 */
export function observeFigures(spec: ThresholdSpec, figures: ObservedFigures): number | null {
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
      const e = all.find((x) => x.endpoint === endpoint);
      if (!agg || !e || e.requests === 0) return null;
      if (agg.kind === "percentile") return figures.percentileMs(endpoint, agg.p);
      if (agg.kind === "max") return e.maxMs;
      if (agg.kind === "avg") return e.meanMs;
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
