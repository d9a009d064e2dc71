import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/stack/stackTypes.ts";
import { type StackOptions, startStack } from "../fixtures/stack/startStack.ts";
import { stackProfile } from "../harness.config.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { DependencyUnreachableError } from "../lib/errors.ts";
import type { RunResult } from "../lib/report/runResult.ts";
import { leftovers, NOTHING_LEFT } from "./leftovers.ts";
import { runSmoke } from "./runSmoke.ts";

function localProfile(stack: StackHandle): TargetProfile {
  return { ...stackProfile(stack), name: "local", production: false };
}

/** One stack per test, on free ports with its own schemas and key prefix, always stopped. */
async function withStack(options: StackOptions, body: (stack: StackHandle) => Promise<void>) {
  const stack = await startStack(options);
  try {
    await body(stack);
  } finally {
    await stack.stop();
  }
}

function statuses(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.name, c.status]));
}

function check(result: RunResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name} in ${result.checks.map((c) => c.name).join(", ")}`);
  return found;
}

async function expectNothingLeft(stack: StackHandle, result: RunResult): Promise<void> {
  const eventIds = result.testData.eventId ? [result.testData.eventId] : [];
  expect(await leftovers(stack, { runId: result.runId, eventIds })).toEqual(NOTHING_LEFT);
}

// Failing runs wait for the deadline; a short one keeps the suite quick without changing the verdict.
const FAULT_TIMEOUT_MS = 2_500;

describe("runSmoke against the local reference stack", () => {
  it("passes on a clean stack, phase 3, and leaves nothing behind", async () => {
    await withStack({}, async (stack) => {
      const result = await runSmoke(localProfile(stack), {
        phase: 3,
        timeoutMs: 10_000,
        keepData: false,
      });
      expect(statuses(result)).toEqual({
        lineIdentify: "passed",
        testOrderCreated: "passed",
        orderMarkedPaid: "passed",
        webhookLogHasOrder: "passed",
        webhookNotInDlq: "passed",
        memberHasLineUserId: "passed",
        followerLinkedToMember: "passed",
      });
      expect(result.outcome).toBe("pass");
      expect(result.schemaVersion).toBe(1);
      expect(result.cleanup.status).toBe("done");
      await expectNothingLeft(stack, result);
    });
  });

  it("with --keep-data leaves its rows and job, and the leftovers probe sees them", async () => {
    await withStack({}, async (stack) => {
      const result = await runSmoke(localProfile(stack), {
        phase: 2,
        timeoutMs: 10_000,
        keepData: true,
      });
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
        const result = await runSmoke(localProfile(stack), {
          phase,
          timeoutMs: FAULT_TIMEOUT_MS,
          keepData: false,
        });
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

  it("the exhausted webhook-5xx job is reported as failed, and the log check stops waiting for it", async () => {
    await withStack(
      { faults: "webhook-5xx", webhookAttempts: 2, webhookBackoffMs: 10 },
      async (stack) => {
        const result = await runSmoke(localProfile(stack), {
          phase: 2,
          timeoutMs: 3_000,
          keepData: false,
        });
        const dlq = check(result, "webhookNotInDlq");
        expect(dlq.observed).toMatch(/failed after 2 attempt\(s\)/);
        expect(dlq.observed).toMatch(/DLQ count 0 → 1 \(\+1\)/);
        // No row can come once the job is dead: the log check says so instead of waiting out the deadline.
        expect(check(result, "webhookLogHasOrder").observed).toMatch(
          /^0 rows after \d+ ms; job \S+: failed after 2 attempt\(s\).*, so none will come$/,
        );
      },
    );
  });

  it("a failing step skips the rest, names the cause, and still removes the member it created", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      const wrongSecret: TargetProfile = {
        ...profile,
        helpers: {
          ...profile.helpers,
          createOrder: {
            ...profile.helpers.createOrder,
            headers: { "x-test-helper-secret": "not-the-secret" },
          },
        },
      };
      const result = await runSmoke(wrongSecret, { phase: 3, timeoutMs: 10_000, keepData: false });
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
      const error = await runSmoke(broken, { phase: 2, timeoutMs: 1_000, keepData: false }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(DependencyUnreachableError);
      expect((error as DependencyUnreachableError).dependency).toBe("Curva HTTP");
      expect((error as DependencyUnreachableError).url).toBe("http://127.0.0.1:9/health");
    });
  });

  it("fails loudly when hand-written assertion SQL returns the wrong column, instead of reading 0 rows", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      const misnamed: TargetProfile = {
        ...profile,
        assertions: {
          ...profile.assertions,
          webhookLogCount: { database: "curva", text: "SELECT 1 AS n", values: () => [] },
          memberLineUserId: {
            database: "pasukuru",
            text: "SELECT 'x' AS line_user",
            values: () => [],
          },
        },
      };
      const result = await runSmoke(misnamed, { phase: 2, timeoutMs: 300, keepData: false });
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
      const profile = localProfile(stack);
      const secret = stack.secrets.testHelperSecret;
      const leaky: TargetProfile = {
        ...profile,
        assertions: {
          ...profile.assertions,
          // Postgres echoes the bad literal in its error message.
          webhookLogCount: {
            database: "curva",
            text: `SELECT '${secret}'::int AS count`,
            values: () => [],
          },
        },
      };
      const result = await runSmoke(leaky, { phase: 2, timeoutMs: 300, keepData: false });
      const log = check(result, "webhookLogHasOrder");
      expect(log.status).toBe("failed");
      expect(log.observed).toContain('invalid input syntax for type integer: "***"');
      expect(JSON.stringify(result)).not.toContain(secret);
    });
  });
});
