import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startStack } from "../fixtures/referenceStack.ts";
import { leftovers, NOTHING_LEFT } from "../testkit/leftovers.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { stagingEnv } from "../testkit/stagingEnv.ts";

describe("--target staging, filled from STAGING_* variables", () => {
  it("runs the phase-3 smoke against a deployed stack, minting users through the LINE token helper", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-staging-"));
    // Stands in for staging: a stack this test started, reached only through the env below.
    const stack = await startStack();
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        ...stagingEnv(stack),
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

  it("probes a deployed stack's two receivers from STAGING_* alone; without the signing secret it names the variable", async () => {
    const stack = await startStack();
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        ...stagingEnv(stack),
        STAGING_WEBHOOK_SIGNING_SECRET: stack.secrets.webhookSigningSecret,
        STAGING_LINE_CHANNEL_SECRET: stack.secrets.lineChannelSecret,
        STAGING_CORS_ORIGINS: stack.origins.liff.join(","),
        STAGING_DEV_ORIGINS: stack.origins.dev,
      };
      const run = await runHarness(
        ["probe", "--target", "staging", "--only", "W1,W2,W9,C1,C5"],
        env,
      );
      const output = run.stdout + run.stderr;
      expect(output).toMatch(/^ {2}PASS {2}W2 unsigned \(curvaLine\)/m);
      expect(output).toMatch(/^ {2}PASS {2}C5 development origins/m);
      expect(output).toMatch(/^PASS {2}8 checks passed/m);
      expect(run.code, output).toBe(0);
      expect(output).not.toContain(stack.secrets.lineChannelSecret);
      const { STAGING_WEBHOOK_SIGNING_SECRET: _, ...without } = env;
      const missing = await runHarness(["probe", "--target", "staging"], without);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("STAGING_WEBHOOK_SIGNING_SECRET");
    } finally {
      await stack.stop();
    }
  });

  it("part 2 from STAGING_* alone: the board's key (A2), identify's guard (R1-R3), the outage helper (HC2), the scrape token (E1); a malformed guard is exit 2 naming it", async () => {
    const stack = await startStack();
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        ...stagingEnv(stack),
        STAGING_WEBHOOK_SIGNING_SECRET: stack.secrets.webhookSigningSecret,
        STAGING_BOARD_JWT_KEY: stack.secrets.adminJwtSecret,
        STAGING_IDENTIFY_GUARD: `${stack.identifyGuard.limit}/${stack.identifyGuard.windowMs}`,
        STAGING_PROBE_OUTAGE_HELPER: "true",
      };
      const run = await runHarness(
        ["probe", "--target", "staging", "--only", "A2,A4,A5,E1,E2,HC2,R1,R2,R3"],
        env,
      );
      const output = run.stdout + run.stderr;
      for (const id of ["A2", "A4", "A5", "E1", "E2", "HC2", "R1", "R2", "R3"])
        expect(output).toMatch(new RegExp(`^ {2}PASS {2}${id} `, "m"));
      expect(run.code, output).toBe(0);
      for (const secret of [stack.secrets.adminJwtSecret, stack.secrets.metricsToken])
        expect(output).not.toContain(secret);
      const bad = await runHarness(["probe", "--target", "staging"], {
        ...env,
        STAGING_IDENTIFY_GUARD: "ten per second",
      });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('STAGING_IDENTIFY_GUARD="ten per second"');
    } finally {
      await stack.stop();
    }
  });

  it("a token given as a URL's username never shows, in the unreachable message or anywhere", async () => {
    const stack = await startStack();
    try {
      const token = `tok${"9f8e7d6c5b4a3928".repeat(2)}`;
      const run = await runHarness(["smoke", "--target", "staging"], {
        ...stagingEnv(stack),
        STAGING_REDIS_URL: `redis://${token}@127.0.0.1:1`,
      });
      expect(run.code, run.stdout + run.stderr).toBe(3);
      expect(run.stderr).toMatch(/Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 is unreachable/);
      expect(run.stdout + run.stderr).not.toContain(token);
    } finally {
      await stack.stop();
    }
  });
});
