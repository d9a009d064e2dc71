import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/stack/stackTypes.ts";
import { type StackOptions, startStack } from "../fixtures/stack/startStack.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { DependencyUnreachableError } from "../lib/errors.ts";
import type { RunResult } from "../lib/report/runResult.ts";
import { leftovers, NOTHING_LEFT } from "../testkit/leftovers.ts";
import { localProfile, smokeOn } from "../testkit/localRun.ts";
import { getJson } from "../testkit/stackTestKit.ts";

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
  const eventIds = [result.testData.eventId, result.testData.jobId].filter(
    (id): id is string => id !== undefined,
  );
  expect(await leftovers(stack, { runId: result.runId, eventIds })).toEqual(NOTHING_LEFT);
}

/** A copy of the stack's profile with some of its smoke section replaced. */
function withSmoke(
  stack: StackHandle,
  change: (
    smoke: NonNullable<TargetProfile["smoke"]>,
  ) => Partial<NonNullable<TargetProfile["smoke"]>>,
): TargetProfile {
  const profile = localProfile(stack);
  const smoke = profile.smoke as NonNullable<TargetProfile["smoke"]>;
  return { ...profile, smoke: { ...smoke, ...change(smoke) } };
}

/** Identify requests the stack has finished answering, from its own /metrics. */
async function identifyAnswered(stack: StackHandle): Promise<number> {
  const text = String((await getJson(`${stack.urls.pasukuru}/metrics`)).body.text ?? "");
  const matches = text.matchAll(
    /^http_requests_total\{[^}]*route="\/integration\/line\/identify"[^}]*\} (\d+)$/gm,
  );
  return [...matches].reduce((sum, m) => sum + Number(m[1]), 0);
}

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
        target: { name: "local", production: false },
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

  it("the exhausted webhook-5xx job is reported as failed, and the log check stops waiting for it", async () => {
    await withStack(
      { faults: "webhook-5xx", webhookAttempts: 2, webhookBackoffMs: 10 },
      async (stack) => {
        const result = await smokeOn(stack, { timeoutMs: 3_000 });
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

  it("a dead delivery ends every check that depends on it (the follower link too), not the deadline", async ({
    annotate,
  }) => {
    await withStack(
      { faults: "webhook-5xx", webhookAttempts: 2, webhookBackoffMs: 10 },
      async (stack) => {
        const result = await smokeOn(stack, { phase: 3, timeoutMs: 10_000 });
        expect(statuses(result)).toMatchObject({
          webhookLogHasOrder: "failed",
          webhookNotInDlq: "failed",
          memberHasLineUserId: "passed",
          followerLinkedToMember: "failed",
        });
        const follower = check(result, "followerLinkedToMember");
        expect(follower.observed).toMatch(
          /^value NULL after \d+ ms; job \S+: failed after 2 attempt\(s\).*, so none will come$/,
        );
        expect(follower.hint).toMatch(/delivery failed for good, so nothing linked the follower/);
        // A figure, printed: how long a red run took against a 10 s deadline.
        await annotate(
          `red run (webhook-5xx, phase 3, 2 attempts): ${result.durationMs} ms wall, assertions ${result.stages.assertions} ms of a 10000 ms deadline`,
        );
      },
    );
  });

  it("an identify slower than --timeout passes when the request timeout allows it", async () => {
    await withStack({ faults: "slow-identify:1200" }, async (stack) => {
      // --timeout bounds how long effects may take to appear, not how long one request may take.
      const result = await smokeOn(stack, { timeoutMs: 500, requestTimeoutMs: 5_000 });
      expect(check(result, "lineIdentify").status).toBe("passed");
      expect(result.outcome).toBe("pass");
      await expectNothingLeft(stack, result);
    });
  });

  it("a request abandoned on its timeout that completes after cleanup would have run still leaves nothing", async () => {
    await withStack({ faults: "slow-identify:1500" }, async (stack) => {
      const result = await smokeOn(stack, { requestTimeoutMs: 400 });
      const identify = check(result, "lineIdentify");
      expect(identify).toMatchObject({ status: "failed", observed: "no answer within 400 ms" });
      expect(identify.hint).toMatch(/did not answer within the request timeout/);
      expect(result.cleanup).toMatchObject({ status: "done" });
      expect(result.cleanup.detail).toMatch(
        /^removed 1 row \(waited \d+ ms for 1 late answer first\)$/,
      );
      // Readiness, not a sleep: the stack has answered the abandoned identify before we look.
      expect(await identifyAnswered(stack)).toBe(1);
      await expectNothingLeft(stack, result);
    });
  });

  it("a profile that finds its job id asynchronously, when mark-paid returns no event id, passes", async () => {
    await withStack({}, async (stack) => {
      const target = withSmoke(stack, (smoke) => ({
        // A target whose pay helper answers only { status: "paid" }.
        helpers: {
          ...smoke.helpers,
          markPaid: {
            ...smoke.helpers.markPaid,
            read: ({ status }) =>
              status === 200 ? { eventId: undefined } : { problem: "not paid" },
          },
        },
        webhookJobId: (ids, lookup) =>
          lookup.findJob(
            (data) => (data as { data?: { orderId?: string } }).data?.orderId === ids.orderId,
          ),
      }));
      const result = await smokeOn(stack, { phase: 3 }, target);
      expect(result.outcome).toBe("pass");
      expect(result.testData.eventId).toBeUndefined();
      expect(result.testData.jobId).toMatch(/^evt_/);
      expect(check(result, "webhookNotInDlq").observed).toMatch(/^job evt_\S+: completed/);
      expect(result.cleanup.detail).toMatch(/and the webhook job/);
      await expectNothingLeft(stack, result);
    });
  });

  it("when no job can be found, says what is missing, not that the queue name is wrong", async () => {
    await withStack({}, async (stack) => {
      const target = withSmoke(stack, (smoke) => ({
        helpers: {
          ...smoke.helpers,
          markPaid: { ...smoke.helpers.markPaid, read: () => ({}) },
        },
      }));
      const result = await smokeOn(stack, { timeoutMs: 600 }, target);
      const dlq = check(result, "webhookNotInDlq");
      expect(dlq.observed).toMatch(/^no webhook job found for this run after \d+ ms/);
      expect(dlq.hint).toMatch(
        /^The mark-paid helper's answer carried no event id, and the profile's smoke\.webhookJobId found no job for order ord_/,
      );
      expect(dlq.hint).not.toMatch(/queue name/);
    });
  });

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
