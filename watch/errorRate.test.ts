import { describe, expect, it } from "vitest";
import type { Sample } from "../lib/metricsText.ts";
import { errorRate, readingOf } from "./errorRate.ts";

const ROUTE = "/webhooks/pasukuru";
const series = (ok: number, failed: number, route = ROUTE): Sample[] => [
  { labels: { method: "POST", route, status: "200" }, value: ok },
  { labels: { method: "POST", route, status: "503" }, value: failed },
  { labels: { method: "POST", route: "/other", status: "500" }, value: 1000 },
];

describe("errorRate", () => {
  it("6 of 100 webhook requests answered 5xx is 6%; other routes do not count", () => {
    const rate = errorRate(
      readingOf(series(1000, 10), ROUTE, 0),
      readingOf(series(1094, 16), ROUTE, 300_000),
    );
    expect(rate).toEqual({ requests: 100, errors5xx: 6, ratio: 0.06, windowSec: 300, resets: 0 });
  });

  it("a counter reset (a restart) counts the new values, never a negative rate", () => {
    const rate = errorRate(
      readingOf(series(5000, 400), ROUTE, 0),
      readingOf(series(96, 4), ROUTE, 300_000),
    );
    expect(rate).toMatchObject({ requests: 100, errors5xx: 4, ratio: 0.04, resets: 2 });
  });

  it("a series new since the earlier reading counts from zero; no requests is no ratio", () => {
    const earlier = readingOf(series(10, 0).slice(0, 1), ROUTE, 0);
    expect(errorRate(earlier, readingOf(series(10, 5), ROUTE, 1000))).toMatchObject({
      requests: 5,
      errors5xx: 5,
      ratio: 1,
    });
    expect(errorRate(earlier, earlier).ratio).toBeNull();
  });
});
