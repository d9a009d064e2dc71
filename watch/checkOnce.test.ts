import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { deadLetterCount } from "../lib/drivers/webhookJobProbe.ts";
import {
  type MailReceiver,
  type SlackReceiver,
  startMailReceiver,
  startSlackReceiver,
} from "../testkit/alertReceivers.ts";
import { eventually, placePaidOrder, withStack } from "../testkit/stackTestKit.ts";
import { cleanKeys, clock, MIN, queueOf, watchOnce, watchProfile } from "../testkit/watchTarget.ts";
import { AlertState } from "./alertState.ts";

describe("watch: the dead-letter queue against the real stack", () => {
  let slack: SlackReceiver;
  let mail: MailReceiver;
  beforeAll(async () => {
    [slack, mail] = await Promise.all([startSlackReceiver(), startMailReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([slack?.close(), mail?.close()]);
  });

  it("DLQ at 11 after webhook-5xx: one FIRING; five more checks quiet; drained: one RESOLVED", async () => {
    await withStack({ faults: "webhook-5xx" }, async (stack) => {
      const profile = watchProfile(stack, { slack, mail });
      const connections = new TargetConnections(profile);
      const t = clock();
      try {
        await Promise.all(Array.from({ length: 11 }, () => placePaidOrder(stack)));
        await eventually(
          () => deadLetterCount(connections, queueOf(profile)),
          (n) => n === 11,
          15_000,
        );
        const first = await watchOnce(profile, connections, t.now);
        expect(first.outcome).toBe("checksFailed");
        expect(first.sent.map((s) => s.notification.kind)).toEqual(["FIRING"]);
        expect(first.sent[0]?.deliveries).toEqual([
          { notifier: "slack", delivered: true, attempts: 1 },
          { notifier: "email", delivered: true, attempts: 1 },
        ]);
        expect(slack.messages).toHaveLength(1);
        expect(slack.messages[0]?.text).toBe(
          "🔴 FIRING · stack · Webhook dead-letter queue above 10 jobs",
        );
        expect(JSON.stringify(slack.messages[0]?.blocks)).toContain(
          "11 jobs in the dead-letter queue",
        );
        expect(mail.mails).toHaveLength(1);
        expect(mail.mails[0]?.to).toEqual(["oncall@example.test"]);
        expect(mail.mails[0]?.data).toContain(
          "Subject: [FIRING] stack: Webhook dead-letter queue above 10 jobs",
        );

        for (let i = 0; i < 5; i++) {
          t.advance(5 * MIN);
          const again = await watchOnce(profile, connections, t.now);
          expect(again.outcome).toBe("checksFailed");
          expect(again.sent).toEqual([]);
        }
        expect([slack.messages.length, mail.mails.length]).toEqual([1, 1]);

        stack.faults.webhook5xx = false;
        await connections.queue(queueOf(profile).name).clean(0, 1000, "failed");
        t.advance(5 * MIN);
        const drained = await watchOnce(profile, connections, t.now);
        expect(drained.sent.map((s) => s.notification.kind)).toEqual(["RESOLVED"]);
        expect(drained.outcomes.find((o) => o.rule === "webhook-dlq")?.breached).toBe(false);
        expect(slack.messages[1]?.text).toBe(
          "✅ RESOLVED · stack · Webhook dead-letter queue above 10 jobs",
        );
        expect(mail.mails).toHaveLength(2);
      } finally {
        await cleanKeys(connections, profile);
        await connections.close();
      }
    });
  }, 60_000);

  it("reads the real Curva's webhook counters: 33 of 33 deliveries answered 503 fires the 5xx rule", async () => {
    await withStack({ faults: "webhook-5xx" }, async (stack) => {
      const profile = watchProfile(stack, { slack }, { dlqMax: 100 });
      const connections = new TargetConnections(profile);
      const t = clock();
      try {
        const first = await watchOnce(profile, connections, t.now);
        expect(first.outcomes.find((o) => o.rule === "webhook-5xx")?.breached).toBeNull();
        // 11 orders, 3 attempts each (the test stack's), every one answered 503.
        await Promise.all(Array.from({ length: 11 }, () => placePaidOrder(stack)));
        await eventually(
          () => deadLetterCount(connections, queueOf(profile)),
          (n) => n === 11,
          15_000,
        );
        t.advance(5 * MIN);
        const second = await watchOnce(profile, connections, t.now);
        expect(second.outcomes.find((o) => o.rule === "webhook-5xx")).toMatchObject({
          breached: true,
          observed: "33 of 33 webhook requests answered 5xx (100%) over 300 s",
        });
        expect(second.sent.map((s) => [s.notification.rule, s.notification.kind])).toEqual([
          ["webhook-5xx", "FIRING"],
        ]);
      } finally {
        await cleanKeys(connections, profile);
        await connections.close();
      }
    });
  }, 30_000);

  it("two watchers racing on one breach send one FIRING", async () => {
    await withStack({ faults: "webhook-5xx" }, async (stack) => {
      const profile = watchProfile(stack, { slack }, { dlqMax: 0 });
      const [a, b] = [new TargetConnections(profile), new TargetConnections(profile)];
      const before = slack.messages.length;
      try {
        await placePaidOrder(stack);
        await eventually(
          () => deadLetterCount(a, queueOf(profile)),
          (n) => n === 1,
          10_000,
        );
        const t = clock();
        const checks = await Promise.all([
          watchOnce(profile, a, t.now),
          watchOnce(profile, b, t.now),
        ]);
        expect(checks.flatMap((c) => c.sent).map((s) => s.notification.kind)).toEqual(["FIRING"]);
        expect(slack.messages.length - before).toBe(1);
      } finally {
        await cleanKeys(a, profile);
        await Promise.all([a.close(), b.close()]);
      }
    });
  }, 30_000);

  it("Slack down: retried, reported, the state not advanced; up again, the next check fires", async () => {
    await withStack({ faults: "webhook-5xx" }, async (stack) => {
      const profile = watchProfile(stack, { slack }, { dlqMax: 0, deliveryAttempts: 3 });
      const connections = new TargetConnections(profile);
      const t = clock();
      try {
        await placePaidOrder(stack);
        await eventually(
          () => deadLetterCount(connections, queueOf(profile)),
          (n) => n === 1,
          10_000,
        );
        slack.down = true;
        const attemptsBefore = slack.attempts;
        const failed = await watchOnce(profile, connections, t.now);
        expect(slack.attempts - attemptsBefore).toBe(3);
        expect(failed.outcome).toBe("targetUnreachable");
        expect(failed.sent).toEqual([
          expect.objectContaining({
            committed: false,
            deliveries: [
              {
                notifier: "slack",
                delivered: false,
                attempts: 3,
                error: "Slack answered 500: internal_error",
              },
            ],
          }),
        ]);
        const key = `${profile.watch.settings?.keyPrefix}:stack:webhook-dlq`;
        const state = new AlertState(connections.redis, { renotifyMs: 1, leaseMs: 1 });
        expect((await state.read(key)).state).toBe("ok");
        slack.down = false;
        t.advance(5 * MIN);
        const retried = await watchOnce(profile, connections, t.now);
        expect(retried.sent.map((s) => [s.notification.kind, s.committed])).toEqual([
          ["FIRING", true],
        ]);
        expect((await state.read(key)).state).toBe("firing");
      } finally {
        slack.down = false;
        await cleanKeys(connections, profile);
        await connections.close();
      }
    });
  }, 30_000);
});
