import { describe, expect, it } from "vitest";
import { consoleSummary } from "./consoleSummary.ts";
import type { RunResult } from "./runResult.ts";

const base: RunResult = {
  schemaVersion: 1,
  suite: "smoke",
  runId: "smoke-20251122t192530z-a1b2c3d4",
  target: "local",
  startedAt: "2025-11-22T19:25:30.000Z",
  finishedAt: "2025-11-22T19:25:31.000Z",
  durationMs: 812,
  outcome: "pass",
  interrupted: false,
  options: { phase: 2, timeoutMs: 10_000, keepData: false },
  checks: [
    {
      name: "webhookLogHasOrder",
      status: "passed",
      durationMs: 120,
      expected: "1 row",
      observed: "1 row",
    },
  ],
  testData: { lineUserId: "U0123456789abcdef0123456789abcdef" },
  cleanup: { status: "done", detail: "removed 4 rows", durationMs: 10 },
  timings: { preflightMs: 1, stepsMs: 2, assertionsMs: 3, cleanupMs: 4 },
};

describe("consoleSummary", () => {
  it("names the run, one line per check, and puts the verdict last", () => {
    const text = consoleSummary(base, { color: false });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toContain(base.runId);
    expect(lines[1]).toMatch(/PASS {2}webhookLogHasOrder +120 ms {2}1 row/);
    expect(lines.at(-1)).toBe("PASS  1 checks passed in 812 ms");
    expect(text).not.toContain("\u001b[");
  });

  it("shows expected and the hint for a failed check, in red on a TTY", () => {
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
    expect(text).toContain("expected: 1 row");
    expect(text).toContain("hint: webhook never sent");
    expect(text.trimEnd().split("\n").at(-1)).toContain("\u001b[31mFAIL  1 of 1 checks failed");
  });
});
