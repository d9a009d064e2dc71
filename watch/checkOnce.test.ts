import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/stack/stackTypes.ts";
import type { QueueSpec, WatchSettings } from "../lib/config/targetProfile.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { deadLetterCount } from "../lib/drivers/webhookJobProbe.ts";
import { stackProfile } from "../targets/localTarget.ts";
import { WEBHOOK_ROUTE } from "../targets/referenceProfile.ts";
import {
  type MailReceiver,
  type SlackReceiver,
  startMailReceiver,
  startSlackReceiver,
} from "../testkit/alertReceivers.ts";
import { eventually, placePaidOrder, withStack } from "../testkit/stackTestKit.ts";
import { AlertState } from "./alertState.ts";
import { checkOnce } from "./checkOnce.ts";
import { notifiersOf } from "./notifiers.ts";
import type { WatchTarget } from "./watchSection.ts";

const MIN = 60_000;

/** A clock the test moves: checks "five minutes apart" without waiting five minutes. */
function clock(start = Date.parse("2026-11-23T04:00:00Z")) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function watchProfile(
  stack: StackHandle,
  receivers: { slack?: SlackReceiver; mail?: MailReceiver },
  settings: Partial<WatchSettings> = {},
  curvaUrl?: string,
): WatchTarget {
  const profile = stackProfile(stack) as WatchTarget;
  const { slack, mail } = receivers;
  profile.name = "stack";
  if (curvaUrl)
    profile.services = { ...profile.services, curva: { url: curvaUrl, healthPath: "/health" } };
  profile.watch = {
    webhookRequests: { service: "curva", metricsPath: "/metrics", route: WEBHOOK_ROUTE },
    settings: { keyPrefix: `test:alerts:${randomUUID()}`, deliveryBackoffMs: 10, ...settings },
    notifiers: {
      ...(slack ? { slack: { webhookUrl: slack.url } } : {}),
      ...(mail
        ? {
            email: {
              host: mail.host,
              port: mail.port,
              secure: false,
              user: mail.user,
              password: mail.password,
              from: "watch@example.test",
              to: ["oncall@example.test"],
            },
          }
        : {}),
    },
    links: { board: "http://127.0.0.1/admin/queues" },
  };
  return profile;
}

function queueOf(profile: WatchTarget): QueueSpec {
  if (!profile.queue) throw new Error("the stack's profile has a queue");
  return profile.queue;
}

async function check(profile: WatchTarget, connections: TargetConnections, now: () => number) {
  return checkOnce({
    profile,
    connections,
    state: connections.redis,
    notifiers: notifiersOf(profile.watch.notifiers, connections.http, 2_000),
    timeoutMs: 2_000,
    now,
  });
}

async function cleanKeys(connections: TargetConnections, profile: WatchTarget): Promise<void> {
  const keys = await connections.redis.keys(`${profile.watch.settings?.keyPrefix}:*`);
  if (keys.length > 0) await connections.redis.del(...keys);
}

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
        const first = await check(profile, connections, t.now);
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
          const again = await check(profile, connections, t.now);
          expect(again.outcome).toBe("checksFailed");
          expect(again.sent).toEqual([]);
        }
        expect([slack.messages.length, mail.mails.length]).toEqual([1, 1]);

        stack.faults.webhook5xx = false;
        await connections.queue(queueOf(profile).name).clean(0, 1000, "failed");
        t.advance(5 * MIN);
        const drained = await check(profile, connections, t.now);
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
        const first = await check(profile, connections, t.now);
        expect(first.outcomes.find((o) => o.rule === "webhook-5xx")?.breached).toBeNull();
        // 11 orders, 3 attempts each (the test stack's), every one answered 503.
        await Promise.all(Array.from({ length: 11 }, () => placePaidOrder(stack)));
        await eventually(
          () => deadLetterCount(connections, queueOf(profile)),
          (n) => n === 11,
          15_000,
        );
        t.advance(5 * MIN);
        const second = await check(profile, connections, t.now);
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
        const checks = await Promise.all([check(profile, a, t.now), check(profile, b, t.now)]);
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
        const failed = await check(profile, connections, t.now);
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
        const retried = await check(profile, connections, t.now);
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

describe("watch: Curva's webhook 5xx rate from its counters", () => {
  let slack: SlackReceiver;
  let metrics: Server;
  let counters = { ok: 0, failed: 0 };
  let metricsUrl = "";
  beforeAll(async () => {
    slack = await startSlackReceiver();
    // A stand-in for Curva's /metrics whose counters the test sets.
    metrics = createServer((_req, res) => {
      res
        .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
        .end(
          [
            "# TYPE http_requests_total counter",
            `http_requests_total{method="POST",route="${WEBHOOK_ROUTE}",status="200"} ${counters.ok}`,
            `http_requests_total{method="POST",route="${WEBHOOK_ROUTE}",status="503"} ${counters.failed}`,
            `http_requests_total{method="GET",route="/health",status="500"} 99`,
            "",
          ].join("\n"),
        );
    });
    await new Promise<void>((resolve) => metrics.listen(0, "127.0.0.1", resolve));
    metricsUrl = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await slack?.close();
    await new Promise<void>((resolve) => metrics?.close(() => resolve()));
  });

  /** Two checks five minutes apart, the counters moving from `from` to `to` between them. */
  async function rateOver(stack: StackHandle, from: typeof counters, to: typeof counters) {
    const profile = watchProfile(stack, { slack }, {}, metricsUrl);
    const connections = new TargetConnections(profile);
    const t = clock();
    try {
      counters = from;
      const first = await check(profile, connections, t.now);
      expect(first.outcomes.find((o) => o.rule === "webhook-5xx")?.breached).toBeNull();
      counters = to;
      t.advance(5 * MIN);
      return await check(profile, connections, t.now);
    } finally {
      await cleanKeys(connections, profile);
      await connections.close();
    }
  }

  it("6% of 100 requests fires; 4% does not; a counter reset does not", async () => {
    await withStack({}, async (stack) => {
      const six = await rateOver(stack, { ok: 1000, failed: 10 }, { ok: 1094, failed: 16 });
      expect(six.outcomes.find((o) => o.rule === "webhook-5xx")).toMatchObject({
        breached: true,
        observed: "6 of 100 webhook requests answered 5xx (6%) over 300 s",
      });
      expect(six.sent.map((s) => s.notification.kind)).toEqual(["FIRING"]);

      const four = await rateOver(stack, { ok: 1000, failed: 10 }, { ok: 1096, failed: 14 });
      expect(four.outcomes.find((o) => o.rule === "webhook-5xx")?.breached).toBe(false);
      expect(four.sent).toEqual([]);

      // Curva restarted: its counters start again from zero (2 of 100 since).
      const reset = await rateOver(stack, { ok: 50_000, failed: 4_000 }, { ok: 98, failed: 2 });
      expect(reset.outcomes.find((o) => o.rule === "webhook-5xx")).toMatchObject({
        breached: false,
        observed: expect.stringContaining("2 of 100 webhook requests answered 5xx (2%)"),
      });
      expect(reset.sent).toEqual([]);
    });
  }, 30_000);

  it("a reading from long ago (the watch was stopped) is not stretched into a rate", async () => {
    await withStack({}, async (stack) => {
      const profile = watchProfile(stack, { slack }, {}, metricsUrl);
      const connections = new TargetConnections(profile);
      const t = clock();
      try {
        counters = { ok: 1000, failed: 0 };
        await check(profile, connections, t.now);
        counters = { ok: 1100, failed: 100 };
        t.advance(40 * MIN);
        const late = await check(profile, connections, t.now);
        expect(late.outcomes.find((o) => o.rule === "webhook-5xx")).toMatchObject({
          breached: null,
          observed: expect.stringContaining("no judgement yet"),
        });
      } finally {
        await cleanKeys(connections, profile);
        await connections.close();
      }
    });
  }, 30_000);
});

describe("watch: a check that cannot read its sources", () => {
  it("says so every time, sends one CANNOT CHECK after 3 in a row, and RESOLVED when it can read again", async () => {
    const slack = await startSlackReceiver();
    try {
      await withStack({}, async (stack) => {
        // Curva's metrics at a port nothing listens on: the 5xx rate cannot be read.
        const profile = watchProfile(
          stack,
          { slack },
          { cannotCheckAfter: 3 },
          "http://127.0.0.1:1",
        );
        const connections = new TargetConnections(profile);
        const t = clock();
        try {
          const kinds: string[][] = [];
          for (let i = 0; i < 5; i++) {
            const c = await check(profile, connections, t.now);
            expect(c.outcome).toBe("targetUnreachable");
            expect(c.problem).toMatch(/ECONNREFUSED|connect/);
            kinds.push(c.sent.map((s) => `${s.notification.rule} ${s.notification.kind}`));
            t.advance(5 * MIN);
          }
          expect(kinds).toEqual([[], [], ["cannot-check FIRING"], [], []]);
          expect(slack.messages[0]?.text).toBe(
            "🔴 FIRING · stack · The webhook watch cannot check (3 checks in a row)",
          );
          profile.services = {
            ...profile.services,
            curva: { url: stack.urls.curva, healthPath: "/health" },
          };
          const back = await check(profile, connections, t.now);
          expect(back.outcome).toBe("pass");
          expect(back.sent.map((s) => `${s.notification.rule} ${s.notification.kind}`)).toEqual([
            "cannot-check RESOLVED",
          ]);
        } finally {
          await cleanKeys(connections, profile);
          await connections.close();
        }
      });
    } finally {
      await slack.close();
    }
  }, 30_000);
});
