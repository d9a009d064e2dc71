import { describe, expect, it } from "vitest";
import type { StackOptions } from "../fixtures/referenceStack.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { DependencyUnreachableError } from "../lib/errors.ts";
import { leftovers } from "../testkit/leftovers.ts";
import { localProfile, smokeOn } from "../testkit/localRun.ts";
import { check, expectNothingLeft, statuses, withSmoke } from "../testkit/smokeRuns.ts";
import { withStack } from "../testkit/stackTestKit.ts";

// Failing runs wait for the deadline; a short one keeps the suite quick without changing the verdict.
const FAULT_TIMEOUT_MS = 2_500;

describe("runSmoke against the local reference stack", () => {
  it("passes on a clean stack, phase 3, and leaves nothing behind", async () => {
    await withStack({}, async (stack) => {
      const result = await smokeOn(stack, { phase: 3 });
      expect(statuses(result)).toEqual({
        lineIdentify: "passed",
        testOrderCreated: "passed",
        orderMarkedPaid: "passed",
        webhookLogHasOrder: "passed",
        webhookNotInDlq: "passed",
        memberHasLineUserId: "passed",
        followerLinkedToMember: "passed",
      });
      expect(result).toMatchObject({
        schemaVersion: 2,
        suite: "smoke",
        outcome: "pass",
        // What the services' health endpoints said they are: the sign-off names the build tested.
        target: {
          name: "local",
          production: false,
          versions: { pasukuru: "reference-1.0.0", curva: "reference-1.0.0" },
        },
        options: { phase: 3, timeoutMs: 10_000, requestTimeoutMs: 10_000, keepData: false },
        thresholds: [],
        metrics: [],
      });
      expect(result.runId).toMatch(/^smoke-/);
      expect(result.environment.node).toBe(process.version);
      expect(Object.keys(result.stages)).toEqual(["preflight", "steps", "assertions", "cleanup"]);
      expect(result.cleanup.status).toBe("done");
      await expectNothingLeft(stack, result);
    });
  });

  it("with --keep-data leaves its rows and job, and the leftovers probe sees them", async () => {
    await withStack({}, async (stack) => {
      const result = await smokeOn(stack, { keepData: true });
      expect(result.outcome).toBe("pass");
      expect(result.cleanup.status).toBe("skipped");
      const eventIds = result.testData.eventId ? [result.testData.eventId] : [];
      expect(await leftovers(stack, { runId: result.runId, eventIds })).toEqual({
        members: 1,
        orders: 1,
        followers: 1,
        webhookLog: 1,
        processedEvents: 1,
        jobs: 1,
      });
    });
  });

  const faults: {
    fault: string;
    phase: number;
    failing: string[];
    hint: RegExp;
    stack?: StackOptions;
  }[] = [
    {
      fault: "webhook-5xx",
      phase: 2,
      failing: ["webhookLogHasOrder", "webhookNotInDlq"],
      hint: /Curva rejects or fails webhook deliveries/,
    },
    {
      // Few, fast attempts: the job is exhausted into the failed set within the deadline.
      fault: "webhook-5xx",
      phase: 2,
      failing: ["webhookLogHasOrder", "webhookNotInDlq"],
      hint: /Curva rejects or fails webhook deliveries/,
      stack: { webhookAttempts: 2, webhookBackoffMs: 10 },
    },
    {
      fault: "webhook-drop",
      phase: 2,
      failing: ["webhookLogHasOrder"],
      hint: /never enqueued the order\.paid event/,
    },
    {
      fault: "no-member-link",
      phase: 2,
      failing: ["memberHasLineUserId"],
      hint: /without line_user_id \(member link not saved\)/,
    },
    {
      fault: "duplicate-log",
      phase: 2,
      failing: ["webhookLogHasOrder"],
      hint: /duplicate processing/,
    },
    {
      fault: "no-follower-link",
      phase: 3,
      failing: ["followerLinkedToMember"],
      hint: /follower link not saved/,
    },
  ];

  for (const { fault, phase, failing, hint, stack: extra } of faults) {
    const label = extra ? `${fault} (${JSON.stringify(extra)})` : fault;
    it(`fails with ${failing.join(" + ")} on ${label}, and cleans up`, async () => {
      await withStack({ faults: fault, ...extra }, async (stack) => {
        const result = await smokeOn(stack, { phase, timeoutMs: FAULT_TIMEOUT_MS });
        expect(result.outcome).toBe("checksFailed");
        const failed = result.checks.filter((c) => c.status === "failed").map((c) => c.name);
        expect(failed.sort()).toEqual([...failing].sort());
        const named = check(result, failing.at(-1) ?? "");
        expect(named.hint).toMatch(hint);
        expect(named.expected).not.toBe("");
        expect(named.observed).not.toBe("");
        await expectNothingLeft(stack, result);
      });
    });
  }

  it("a failing step skips the rest, names the cause, and still removes the member it created", async () => {
    await withStack({}, async (stack) => {
      const target = withSmoke(stack, (smoke) => ({
        helpers: {
          ...smoke.helpers,
          createOrder: {
            ...smoke.helpers.createOrder,
            headers: { "x-test-helper-secret": "not-the-secret" },
          },
        },
      }));
      const result = await smokeOn(stack, { phase: 3 }, target);
      expect(statuses(result)).toEqual({
        lineIdentify: "passed",
        testOrderCreated: "failed",
        orderMarkedPaid: "skipped",
        webhookLogHasOrder: "skipped",
        webhookNotInDlq: "skipped",
        memberHasLineUserId: "skipped",
        followerLinkedToMember: "skipped",
      });
      expect(check(result, "testOrderCreated").hint).toMatch(/refused the credentials/);
      expect(result.cleanup).toMatchObject({ status: "done", detail: "removed 1 row" });
      await expectNothingLeft(stack, result);
    });
  });

  it("throws DependencyUnreachableError before creating anything when a dependency is down", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      const broken: TargetProfile = {
        ...profile,
        // Port 9 on loopback: nothing listens there.
        services: {
          ...profile.services,
          curva: { url: "http://127.0.0.1:9", healthPath: "/health" },
        },
      };
      const error = await smokeOn(stack, { timeoutMs: 1_000 }, broken).catch((e) => e);
      expect(error).toBeInstanceOf(DependencyUnreachableError);
      expect((error as DependencyUnreachableError).dependency).toBe("Curva HTTP");
      expect((error as DependencyUnreachableError).url).toBe("http://127.0.0.1:9/health");
    });
  });

  it("fails loudly when hand-written assertion SQL returns the wrong column, instead of reading 0 rows", async () => {
    await withStack({}, async (stack) => {
      const target = withSmoke(stack, (smoke) => ({
        assertions: {
          ...smoke.assertions,
          webhookLogCount: { database: "curva", text: "SELECT 1 AS n", values: () => [] },
          memberLineUserId: {
            database: "pasukuru",
            text: "SELECT 'x' AS line_user",
            values: () => [],
          },
        },
      }));
      const result = await smokeOn(stack, { timeoutMs: 300 }, target);
      expect(check(result, "webhookLogHasOrder").hint).toMatch(
        /must return one row with a numeric "count" column/,
      );
      expect(check(result, "memberHasLineUserId").hint).toMatch(
        /must return a "line_user_id" column/,
      );
      await expectNothingLeft(stack, result);
    });
  });

  it("redacts secrets that reach an observed value (a failing query echoing one)", async () => {
    await withStack({}, async (stack) => {
      const secret = stack.secrets.testHelperSecret;
      const target = withSmoke(stack, (smoke) => ({
        assertions: {
          ...smoke.assertions,
          // Postgres echoes the bad literal in its error message.
          webhookLogCount: {
            database: "curva",
            text: `SELECT '${secret}'::int AS count`,
            values: () => [],
          },
        },
      }));
      const result = await smokeOn(stack, { timeoutMs: 300 }, target);
      const log = check(result, "webhookLogHasOrder");
      expect(log.status).toBe("failed");
      expect(log.observed).toContain('invalid input syntax for type integer: "***"');
      expect(JSON.stringify(result)).not.toContain(secret);
    });
  });
});
