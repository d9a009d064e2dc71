import { describe, expect, it } from "vitest";
import { loadResult, smokeResult } from "../../testkit/sampleResults.ts";
import type { RunResult } from "../result/runResult.ts";
import { consoleSummary } from "./consoleSummary.ts";

describe("consoleSummary", () => {
  it("names the suite and run, one line per check, and puts the verdict last", () => {
    const result = smokeResult();
    const text = consoleSummary(result, { color: false });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `smoke · target local · run ${result.runId} · phase=3 timeoutMs=10000 requestTimeoutMs=10000 keepData=false`,
    );
    expect(lines[1]).toMatch(/^ {2}PASS {2}webhookLogHasOrder +120 ms {2}1 row after 80 ms$/);
    expect(lines.at(-1)).toBe("PASS  1 check passed in 1.23 s");
    expect(text).not.toContain("\u001b[");
  });

  it("shows expected and the hint for a failed check, in red on a TTY", () => {
    const base = smokeResult();
    const failed: RunResult = {
      ...base,
      outcome: "checksFailed",
      checks: base.checks.map((c) => ({
        ...c,
        status: "failed",
        observed: "0 rows",
        hint: "webhook never sent",
      })),
    };
    const text = consoleSummary(failed, { color: true });
    expect(text).toContain("expected: exactly 1 row");
    expect(text).toContain("hint: webhook never sent");
    expect(text.trimEnd().split("\n").at(-1)).toContain("\u001b[31mFAIL  1 of 1 check failed");
  });

  it("every check judged but cleanup unreachable says so, not '0 of N could not be judged'", () => {
    const base = smokeResult();
    const result: RunResult = {
      ...base,
      outcome: "targetUnreachable",
      cleanup: { ...base.cleanup, status: "failed", couldNotReach: "Postgres (curva)" },
    };
    const last = consoleSummary(result, { color: false }).trimEnd().split("\n").at(-1);
    expect(last).toMatch(
      /^ERROR {2}could not judge the target: a dependency of the harness failed \(every check was judged, but cleanup could not reach Postgres \(curva\)\)/,
    );
    expect(last).not.toMatch(/\b0 of \d+/);
  });

  it("renders a load result's thresholds with condition and observed value", () => {
    const text = consoleSummary(loadResult(), { color: false });
    expect(text).toMatch(/^load · target local · run load-\S+ · scenario=identify engine=node/m);
    expect(text).toMatch(/^ {2}FAIL {2}identify p95 +p\(95\)<500 {2}812 ms$/m);
    expect(text).toMatch(/expected: http_req_duration\{scenario:identify\} p\(95\)<500$/m);
    expect(text).toMatch(/^ {2}PASS {2}identify 5xx +rate==0 {4}0\.00%$/m);
    expect(text.trimEnd().split("\n").at(-1)).toBe("FAIL  1 of 2 thresholds failed in 60.00 s");
  });
});
