import { describe, expect, it } from "vitest";
import { smokeOn } from "../testkit/localRun.ts";
import { check, expectNothingLeft, withSmoke } from "../testkit/smokeRuns.ts";
import { withStack } from "../testkit/stackTestKit.ts";

/** How the smoke finds this run's webhook job on a target (the profile's smoke.webhookJobId). */
describe("runSmoke's webhook job lookup", () => {
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
});
