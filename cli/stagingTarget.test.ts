import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startStack } from "../fixtures/stack/startStack.ts";
import { leftovers, NOTHING_LEFT } from "../testkit/leftovers.ts";
import { runHarness } from "../testkit/runHarness.ts";

describe("--target staging, filled from STAGING_* variables", () => {
  it("runs the phase-3 smoke against a deployed stack, minting users through the LINE token helper", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-staging-"));
    // Stands in for staging: a stack this test started, reached only through the env below.
    const stack = await startStack();
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        STAGING_PASUKURU_URL: stack.urls.pasukuru,
        STAGING_CURVA_URL: stack.urls.curva,
        STAGING_TEST_HELPER_SECRET: stack.secrets.testHelperSecret,
        STAGING_PASUKURU_DATABASE_URL: stack.databaseUrl,
        STAGING_CURVA_DATABASE_URL: stack.databaseUrl,
        STAGING_PASUKURU_SCHEMA: stack.schemas.pasukuru,
        STAGING_CURVA_SCHEMA: stack.schemas.curva,
        STAGING_REDIS_URL: stack.redisUrl,
        STAGING_QUEUE_PREFIX: stack.queue.prefix,
        STAGING_LINE_TOKEN_URL: stack.urls.line,
      };
      const reportDir = join(dir, "report");
      const harnessRun = await runHarness(
        ["smoke", "--target", "staging", "--phase", "3", "--report-dir", reportDir],
        env,
      );
      const run = { code: harnessRun.code, output: harnessRun.stdout + harnessRun.stderr };
      expect(run.output).toMatch(/^ {2}PASS {2}lineIdentify /m);
      expect(run.output).toMatch(/^PASS {2}7 checks passed/m);
      expect(run.code, run.output).toBe(0);
      const summary = await readFile(join(reportDir, "summary.json"), "utf8");
      expect(summary).not.toContain(stack.secrets.testHelperSecret);
      const result = JSON.parse(summary) as { runId: string; testData: { eventId?: string } };
      const eventIds = result.testData.eventId ? [result.testData.eventId] : [];
      expect(await leftovers(stack, { runId: result.runId, eventIds })).toEqual(NOTHING_LEFT);
    } finally {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
