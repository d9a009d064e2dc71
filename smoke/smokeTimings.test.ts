import { describe, expect, it } from "vitest";
import { smokeOn } from "../testkit/localRun.ts";
import { check, expectNothingLeft, identifyAnswered, statuses } from "../testkit/smokeRuns.ts";
import { withStack } from "../testkit/stackTestKit.ts";

/** How long a smoke waits, and when it stops waiting: deadlines, request timeouts, dead deliveries. */
describe("runSmoke's waits", () => {
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

  it("a dead delivery ends every check that depends on it (the follower link too), not the deadline", async () => {
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
        console.log(
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
});
