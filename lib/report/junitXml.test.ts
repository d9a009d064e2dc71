import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateJunit } from "./junitSchema.ts";
import { junitXml } from "./junitXml.ts";
import type { RunResult } from "./runResult.ts";

function result(): RunResult {
  return {
    schemaVersion: 1,
    suite: "smoke",
    runId: "smoke-20251122t192530z-a1b2c3d4",
    target: "local",
    startedAt: "2025-11-22T19:25:30.000Z",
    finishedAt: "2025-11-22T19:25:31.234Z",
    durationMs: 1234,
    outcome: "checksFailed",
    interrupted: false,
    options: { phase: 3, timeoutMs: 10_000, keepData: false },
    checks: [
      {
        name: "lineIdentify",
        status: "passed",
        durationMs: 12.5,
        expected: "200",
        observed: "200 <member>",
      },
      {
        name: "webhookLogHasOrder",
        status: "failed",
        durationMs: 10_000,
        expected: "exactly 1 row",
        observed: 'rows: 2 & "quoted" \u0001',
        hint: "duplicate <processing>",
      },
      {
        name: "followerLinkedToMember",
        status: "skipped",
        durationMs: 0,
        expected: "x",
        observed: "not run",
      },
    ],
    testData: { lineUserId: "U0123456789abcdef0123456789abcdef" },
    cleanup: { status: "done", detail: "removed 5 rows", durationMs: 20 },
    timings: { preflightMs: 1, stepsMs: 2, assertionsMs: 3, cleanupMs: 4 },
  };
}

describe("junitXml", () => {
  it("counts failures and skips and escapes text", () => {
    const xml = junitXml(result());
    expect(xml).toContain('tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain("rows: 2 &amp; &quot;quoted&quot; ");
    expect(xml).not.toContain("\u0001");
  });

  it("validates against the Jenkins junit-10.xsd", async () => {
    const dir = await mkdtemp(join(tmpdir(), "junit-"));
    try {
      const file = join(dir, "junit.xml");
      await writeFile(file, junitXml(result()));
      const check = await validateJunit(file);
      expect(check.output).toMatch(/validates$/);
      expect(check.valid).toBe(true);
      // The validator itself can say no: a testcase without its required name.
      await writeFile(file, junitXml(result()).replace(/ name="[^"]*"(?=[^>]*classname=)/, ""));
      const broken = await validateJunit(file);
      expect(broken.valid).toBe(false);
      expect(broken.output).toMatch(/fails to validate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
