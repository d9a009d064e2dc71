import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadResult, smokeResult } from "../../testkit/sampleResults.ts";
import { markdownReport } from "./markdownReport.ts";
import type { RunResult } from "./runResult.ts";

/** Golden files: UPDATE_GOLDEN=1 pnpm test rewrites them after a deliberate change (review the diff). */
async function expectGolden(name: string, text: string): Promise<void> {
  const file = new URL(`./golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, text);
  expect(text).toBe(await readFile(file, "utf8"));
}

const failingSmoke: RunResult = smokeResult({
  outcome: "checksFailed",
  checks: [
    {
      name: "lineIdentify",
      status: "passed",
      durationMs: 21,
      expected: "a member id",
      observed: "member m1 (created)",
    },
    {
      name: "webhookLogHasOrder",
      status: "failed",
      durationMs: 7852,
      expected: "exactly 1 webhook_log row for order ord_1",
      observed: "0 rows after 7852 ms; job evt_1: failed after 5 attempt(s) | (Curva answered 503)",
      hint: "Deliveries to Curva failed and the job was dead-lettered (see webhookNotInDlq).",
    },
    {
      name: "followerLinkedToMember",
      status: "skipped",
      durationMs: 0,
      expected: "x",
      observed: "not run",
    },
  ],
});

describe("markdownReport", () => {
  it("a passing smoke: the verdict first, then its checks", async () => {
    await expectGolden("smoke-pass.md", markdownReport(smokeResult()));
  });

  it("a failing smoke says why first, naming the check, what was expected and seen", async () => {
    const text = markdownReport(failingSmoke);
    expect(text.split("\n")[2]).toBe("❌ **FAIL**: 1 of 3 checks and thresholds failed (1.23 s).");
    // A pipe in an observed value must not break the table.
    expect(text).toContain("failed after 5 attempt(s) \\| (Curva answered 503)");
    await expectGolden("smoke-fail.md", text);
  });

  it("a failing load run names the breached threshold with its limit and observed value", async () => {
    const text = markdownReport(loadResult());
    expect(text).toContain(
      "- **identify p95**: `http_req_duration{scenario:identify}` must be `p(95)<500`; observed 812 ms.",
    );
    await expectGolden("load-fail.md", text);
  });
});
