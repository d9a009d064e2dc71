import { describe, expect, it } from "vitest";
import { loadResult, smokeResult, withSeries } from "../../testkit/sampleResults.ts";
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
