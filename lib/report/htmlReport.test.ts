import { describe, expect, it } from "vitest";
import { loadResult, smokeResult, withSeries } from "../../testkit/sampleResults.ts";
import { LatencyRecorder } from "../latencyHistogram.ts";
import type { RunResult } from "../result/runResult.ts";
import { htmlReport } from "./htmlReport.ts";

/** The sample load run over 10 minutes: 600 per-second rows with pool use. */
const tenMinuteLoad = (): RunResult => withSeries(loadResult(), 600);

describe("htmlReport", () => {
  it("is self-contained: no script, and nothing fetched from anywhere", () => {
    for (const html of [htmlReport(smokeResult()), htmlReport(tenMinuteLoad())]) {
      expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it("puts the verdict first and names the breached threshold with limit and observed value", () => {
    const html = htmlReport(loadResult());
    const body = html.slice(html.indexOf("<body>"));
    expect(body.indexOf('class="verdict fail"')).toBeLessThan(body.indexOf("<main>"));
    expect(html).toContain(
      "<b>identify p95</b>: <code>http_req_duration{scenario:identify}</code> must be <code>p(95)&lt;500</code>; observed 812 ms.",
    );
  });

  it("draws p95 with its limit, req/s, 5xx and errors, and each pool against its max, under 300 KB for 10 minutes", () => {
    const html = htmlReport(tenMinuteLoad());
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain("limit 500 ms");
    expect(html).toContain("max 20");
    const kb = Buffer.byteLength(html) / 1024;
    expect(kb).toBeLessThan(300);
    console.log(`10-minute load report: ${kb.toFixed(0)} KB`);
  });

  it("draws each endpoint's latency distribution from its histogram, percentiles on a log axis, its p95 limit marked", () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 10_000; i++)
      recorder.record(1_000 + (i % 100) * 50 + (i > 9_990 ? 900_000 : 0));
    const result = withSeries(loadResult(), 60);
    const scenario = result.scenarios?.[0];
    if (!scenario?.endpoints[0]) throw new Error("the sample has no endpoint");
    scenario.endpoints[0].latency = recorder.encode();
    result.thresholds.push({
      name: "identify identify p95",
      metric: `http_req_duration{scenario:${scenario.name},endpoint:${scenario.endpoints[0].endpoint}}`,
      condition: "p(95)<500",
      observed: 5,
      unit: "ms",
      status: "passed",
    });
    recorder.destroy();
    const html = htmlReport(result);
    expect(html).toContain(`${scenario.endpoints[0].endpoint} latency distribution, 10000 answers`);
    expect(html).toContain("ms by percentile, log axis");
    expect(html).toContain("p95 limit 500 ms");
    expect(html).toContain(">99.99%</text>");
    // Without a histogram (k6's summary), no distribution chart: the other charts stay.
    expect(htmlReport(withSeries(loadResult(), 60))).not.toContain("latency distribution");
  });

  it("escapes what it shows", () => {
    const html = htmlReport(
      smokeResult({
        checks: [
          { name: "x", status: "failed", durationMs: 1, expected: "<b>", observed: '"&<script>' },
        ],
      }),
    );
    expect(html).toContain("&quot;&amp;&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });
});
