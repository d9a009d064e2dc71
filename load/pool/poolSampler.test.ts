import { describe, expect, it } from "vitest";
import { bucketValue, gaugeValue } from "./poolGauges.ts";

const METRICS = `# HELP db_pool_connections_total Connections the pg pool holds.
# TYPE db_pool_connections_total gauge
db_pool_connections_total 20
db_pool_connections_idle 3
db_pool_requests_waiting 7
db_pool_checkout_timeouts_total 2
db_pool_checkout_wait_seconds_bucket{le="0.5"} 90
db_pool_checkout_wait_seconds_bucket{le="1"} 95
db_pool_checkout_wait_seconds_bucket{le="2"} 99
db_pool_checkout_wait_seconds_bucket{le="+Inf"} 100
db_pool_checkout_wait_seconds_count 100
http_requests_total{method="POST",route="/a",status="200"} 5
http_requests_total{method="POST",route="/a",status="503"} 2
`;

describe("reading pool figures from Prometheus text", () => {
  it("reads gauges and counters, summing every label set", () => {
    expect(gaugeValue(METRICS, "db_pool_connections_total")).toBe(20);
    expect(gaugeValue(METRICS, "db_pool_requests_waiting")).toBe(7);
    expect(gaugeValue(METRICS, "http_requests_total")).toBe(7);
    expect(gaugeValue(METRICS, "db_pool_max")).toBeUndefined();
  });

  it("reads one histogram bucket: checkouts that waited longer than 1 s are count less le=1", () => {
    expect(bucketValue(METRICS, "db_pool_checkout_wait_seconds", "1")).toBe(95);
    expect(bucketValue(METRICS, "db_pool_checkout_wait_seconds", "0.5")).toBe(90);
    expect(bucketValue(METRICS, "db_pool_checkout_wait_seconds", "3")).toBeUndefined();
    expect(
      (gaugeValue(METRICS, "db_pool_checkout_wait_seconds_count") ?? 0) -
        (bucketValue(METRICS, "db_pool_checkout_wait_seconds", "1") ?? 0),
    ).toBe(5);
  });
});
