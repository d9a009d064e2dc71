import { describe, expect, it } from "vitest";
import { failingSmokeResult, loadResult, smokeResult } from "../../testkit/sampleResults.ts";
import { markdownReport } from "./markdownReport.ts";

describe("markdownReport", () => {
  it("a borderline latency says so beside its value; a merged run shows its runners", () => {
    const result = loadResult();
    const latency = result.thresholds.find((t) => t.unit === "ms");
    if (!latency) throw new Error("the sample has no latency threshold");
    latency.borderline = true;
    const scenario = result.scenarios[0];
    if (!scenario) throw new Error("the sample has no scenario");
    scenario.runners = [
      {
        segment: "1/2 (0:1/2 of 0,1/2,1)",
        runId: "load-a",
        requests: 10,
        errors: 0,
        dropped: 0,
        interrupted: 0,
        p95Ms: 12,
        startSkewMs: 4,
        cpuPct: 20,
        generatorBound: false,
      },
    ];
    const md = markdownReport(result);
    expect(md).toContain("(borderline: within one histogram bucket of the limit)");
    expect(md).toMatch(/Merged from 1 runner /);
    expect(md).toContain("| 1/2 (0:1/2 of 0,1/2,1) | 10 | 0 | 0 | 0 | 12 ms | 4 ms | 20% |");
  });

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
