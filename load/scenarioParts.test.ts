import { describe, expect, it } from "vitest";
import { latencyBucketMs } from "../lib/latencyHistogram.ts";
import { judgeScenario } from "./scenarioParts.ts";
import type { ScenarioDefinition } from "./scenarios.ts";

/** A latency read off a histogram is exact to its bucket: within one bucket of the limit is borderline. */
describe("borderline thresholds", () => {
  const scenario: ScenarioDefinition = {
    name: "s",
    description: "",
    model: { kind: "open", ratePerSec: 1, durationSec: 1, maxInFlight: 1 },
    endpoints: [],
    thresholds: [
      {
        name: "s p95",
        metric: "http_req_duration",
        tags: { scenario: "s", endpoint: "e" },
        condition: "p(95)<500",
        unit: "ms",
        k6: true,
        hint: "slow",
      },
    ],
  };
  const judge = (observed: number, bucketMs?: (v: number) => number) =>
    judgeScenario(scenario, { pools: [], endpoints: [] }, () => observed, bucketMs)[0];

  it("marks a p95 within one bucket of its limit, on either side, and no other", () => {
    // At 500 ms a bucket of the 3-digit µs configuration is 0.256 ms wide.
    expect(latencyBucketMs(500)).toBe(0.256);
    expect(judge(499.9, latencyBucketMs)).toMatchObject({ status: "passed", borderline: true });
    expect(judge(500.2, latencyBucketMs)).toMatchObject({ status: "failed", borderline: true });
    expect(judge(499, latencyBucketMs)?.borderline).toBeUndefined();
    expect(judge(520, latencyBucketMs)?.borderline).toBeUndefined();
  });

  it("never for an engine with exact percentiles (no bucket given)", () => {
    expect(judge(499.9)?.borderline).toBeUndefined();
  });
});
