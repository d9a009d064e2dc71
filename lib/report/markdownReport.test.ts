import { describe, expect, it } from "vitest";
import { failingSmokeResult, loadResult, smokeResult } from "../../testkit/sampleResults.ts";
import { markdownReport } from "./markdownReport.ts";

describe("markdownReport", () => {
  it("a passing smoke: the verdict first, then its checks", () => {
    const lines = markdownReport(smokeResult()).split("\n");
    expect(lines[2]).toMatch(/^✅ \*\*PASS\*\*/);
  });

  it("a failing smoke says why first, naming the check, what was expected and seen", () => {
    const text = markdownReport(failingSmokeResult());
    expect(text.split("\n")[2]).toBe("❌ **FAIL**: 1 of 3 checks and thresholds failed (1.23 s).");
    // A pipe in an observed value must not break the table.
    expect(text).toContain("failed after 5 attempt(s) \\| (Curva answered 503)");
  });

  it("a failing load run names the breached threshold with its limit and observed value", () => {
    const text = markdownReport(loadResult());
    expect(text).toContain(
      "- **identify p95**: `http_req_duration{scenario:identify}` must be `p(95)<500`; observed 812 ms.",
    );
  });
});
