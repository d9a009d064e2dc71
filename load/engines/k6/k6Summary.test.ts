import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../scenarios/scenarios.ts";
import { endpointFromSummary, type K6Summary, observedInSummary } from "./k6Summary.ts";

/** The shape k6's handleSummary receives, with the submetrics k6Options makes it compute. */
const summary: K6Summary = {
  metrics: {
    "http_reqs{scenario:identify,endpoint:identify}": {
      type: "counter",
      values: { count: 1000, rate: 100 },
    },
    "http_req_failed{scenario:identify,endpoint:identify}": {
      type: "rate",
      values: { rate: 0.07, passes: 70, fails: 930 },
    },
    "http_5xx{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0.05 } },
    "http_errors{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0.01 } },
    "http_timeouts{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0.004 } },
    "http_req_duration{scenario:identify,endpoint:identify}": {
      type: "trend",
      values: { avg: 120, min: 3, med: 100, max: 900, "p(90)": 200, "p(95)": 310.5, "p(99)": 800 },
    },
    "http_5xx{scenario:identify}": { type: "rate", values: { rate: 0.05 } },
  },
};

describe("k6's summary in the harness's terms", () => {
  it("an endpoint's figures: percentiles, and counts from rates × requests", () => {
    expect(endpointFromSummary(summary, "identify", "identify")).toEqual({
      endpoint: "identify",
      requests: 990,
      p50Ms: 100,
      p90Ms: 200,
      p95Ms: 310.5,
      p99Ms: 800,
      maxMs: 900,
      meanMs: 120,
      status2xx: 930,
      status4xx: 10,
      status5xx: 50,
      errors: 10,
      timeouts: 4,
      // http_req_failed less the unanswered: 70 - 10.
      unexpected: 60,
    });
  });

  it("the value each threshold is judged on, as the Node engine would read it", () => {
    const [p95, , fiveXx, errors] = SCENARIOS.identify.thresholds;
    expect(p95 && observedInSummary(summary, p95)).toBe(310.5);
    expect(fiveXx && observedInSummary(summary, fiveXx)).toBe(0.05);
    // Not in the summary: nothing was measured, which fails the threshold rather than passing it.
    expect(errors && observedInSummary(summary, errors)).toBeNull();
    // k6 writes no dropped_iterations when none were dropped.
    const dropped = SCENARIOS.sustained.thresholds.find((t) => t.metric === "dropped_iterations");
    expect(dropped && observedInSummary(summary, dropped)).toBe(0);
  });
});
