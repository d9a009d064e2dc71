import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResult, smokeResult } from "../../testkit/sampleResults.ts";
import type { RunResult } from "../result/runResult.ts";
import { validateJunit } from "./junitSchema.ts";
import { junitXml } from "./junitXml.ts";

function failingSmoke(): RunResult {
  return smokeResult({
    outcome: "checksFailed",
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
  });
}

describe("junitXml", () => {
  it("counts failures and skips, names the suite, and escapes text", () => {
    const xml = junitXml(failingSmoke());
    expect(xml).toContain(
      '<testsuite name="smoke.local" tests="3" failures="1" errors="0" skipped="1"',
    );
    expect(xml).toContain("rows: 2 &amp; &quot;quoted&quot; ");
    expect(xml).not.toContain("\u0001");
  });

  it("writes one testcase per threshold of a load result", () => {
    const xml = junitXml(loadResult());
    expect(xml).toContain('<testsuite name="load.local" tests="2" failures="1"');
    expect(xml).toContain('<testcase name="identify p95: p(95)&lt;500" classname="load.local"');
    expect(xml).toContain('<failure type="thresholdFailed"');
    expect(xml).toContain("observed: 812.4 ms");
  });

  it("validates against the Jenkins junit-10.xsd, for both suites", async () => {
    const dir = await mkdtemp(join(tmpdir(), "junit-"));
    try {
      const file = join(dir, "junit.xml");
      for (const result of [failingSmoke(), loadResult()]) {
        await writeFile(file, junitXml(result));
        const check = await validateJunit(file);
        expect(check.output).toMatch(/validates$/);
        expect(check.valid).toBe(true);
      }
      // The validator itself can say no: a testcase without its required name.
      await writeFile(
        file,
        junitXml(failingSmoke()).replace(/ name="[^"]*"(?=[^>]*classname=)/, ""),
      );
      const broken = await validateJunit(file);
      expect(broken.valid).toBe(false);
      expect(broken.output).toMatch(/fails to validate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
