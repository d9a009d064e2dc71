import { describe, expect, it } from "vitest";
import { samplesOf } from "./metricsText.ts";

describe("samplesOf", () => {
  it("reads a counter family's samples with their labels, and nothing of other families", () => {
    const text = [
      "# HELP http_requests_total HTTP requests by method, route and status.",
      "# TYPE http_requests_total counter",
      'http_requests_total{method="POST",route="/webhooks/pasukuru",status="200"} 97',
      'http_requests_total{method="POST",route="/webhooks/pasukuru",status="503"} 3 1700000000000',
      'http_requests_total_created{method="POST"} 1.7e9',
      'http_request_duration_seconds_bucket{le="+Inf"} 100',
      'weird{a="x\\"y,z",b="\\\\"} 1e3',
      "broken{a=} 1",
      "no_labels +Inf",
    ].join("\n");
    expect(samplesOf(text, "http_requests_total")).toEqual([
      { labels: { method: "POST", route: "/webhooks/pasukuru", status: "200" }, value: 97 },
      { labels: { method: "POST", route: "/webhooks/pasukuru", status: "503" }, value: 3 },
    ]);
    expect(samplesOf(text, "weird")).toEqual([{ labels: { a: 'x"y,z', b: "\\" }, value: 1000 }]);
    expect(samplesOf(text, "broken")).toEqual([]);
    expect(samplesOf(text, "http_request_duration_seconds_bucket")).toEqual([
      { labels: { le: "+Inf" }, value: 100 },
    ]);
    expect(samplesOf(text, "no_labels")).toEqual([{ labels: {}, value: Number.POSITIVE_INFINITY }]);
  });
});
