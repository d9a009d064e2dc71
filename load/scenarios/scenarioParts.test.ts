import { describe, expect, it } from "vitest";
import { latencyBucketMs } from "../../lib/latencyHistogram.ts";
import type { SecondRow } from "../../lib/result/scenarioResult.ts";
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

/**
 * A pool seen through pg_stat_activity is judged by the harm on the
 * endpoints of its own service, second by second: a busy pasukuru pool is
 * not failed by curva's 5xx, and is by its own endpoint's slow answers.
 */
describe("a pool judged by its effect, per endpoint", () => {
  const scenario: ScenarioDefinition = {
    name: "mixed",
    description: "",
    model: { kind: "closed", connections: 10, durationSec: 4 },
    endpoints: ["pay", "notify"],
    serviceOf: { pay: "pasukuru", notify: "curva" },
    thresholds: [
      {
        name: "mixed pay p95",
        metric: "http_req_duration",
        tags: { scenario: "mixed", endpoint: "pay" },
        condition: "p(95)<50",
        unit: "ms",
        k6: true,
        hint: "slow",
      },
      {
        name: "mixed pasukuru pool",
        metric: "db_pool_exhausted",
        tags: { scenario: "mixed", service: "pasukuru" },
        condition: "count==0",
        unit: "count",
        k6: false,
        hint: "the pool ran out",
      },
    ],
  };
  const pool = {
    service: "pasukuru",
    max: 10,
    maxInUse: 10,
    maxWaiting: null,
    checkoutTimeouts: null,
    saturatedOverGrace: 1,
    longestSaturationMs: 2_000,
    slowCheckouts: 0,
    exhaustedBy: "pgStatActivity" as const,
    samples: 40,
    failedScrapes: 0,
    exhausted: 0,
    coverage: 1,
    gaps: [],
    saturated: [{ fromMs: 1_000, toMs: 3_000 }],
  };
  const second = (n: number, endpoints: NonNullable<SecondRow["endpoints"]>): SecondRow => ({
    second: n,
    requests: 200,
    p50Ms: 5,
    p95Ms: 20,
    status5xx: Object.values(endpoints).reduce((sum, e) => sum + e.status5xx, 0),
    errors: 0,
    dropped: 0,
    endpoints,
  });
  const clean = { requests: 100, status5xx: 0, errors: 0, overLimit: 0 };
  const judgePool = (series: SecondRow[]) =>
    judgeScenario(scenario, { pools: [{ ...pool }], endpoints: [], series }, () => 0).find(
      (t) => t.name === "mixed pasukuru pool",
    );

  it("another service's 5xx in the same seconds is not this pool's harm: it passes, with the warning", () => {
    const result = judgePool([
      second(1, { pay: clean, notify: clean }),
      second(2, { pay: clean, notify: { ...clean, status5xx: 7 } }),
      second(3, { pay: clean, notify: clean }),
    ]);
    expect(result).toMatchObject({ status: "passed" });
    expect(result?.warning).toMatch(/every answer of those seconds on pay unharmed/);
  });

  it("its own endpoint's answers over the limit in those seconds are harm: it fails, naming the second", () => {
    const result = judgePool([
      second(1, { pay: clean, notify: clean }),
      second(2, { pay: { ...clean, overLimit: 12 }, notify: clean }),
      second(3, { pay: clean, notify: clean }),
    ]);
    expect(result).toMatchObject({ status: "failed" });
    expect(result?.hint).toMatch(
      /second 2: pay: 12 of 100 answers over 50 ms \(p95 over the limit\)/,
    );
  });

  it("5% or fewer over the limit is a p95 within it: no harm", () => {
    const result = judgePool([second(2, { pay: { ...clean, overLimit: 5 }, notify: clean })]);
    expect(result).toMatchObject({ status: "passed" });
  });
});
