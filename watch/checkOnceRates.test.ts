import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { WEBHOOK_ROUTE } from "../targets/referenceParts.ts";
import { type SlackReceiver, startSlackReceiver } from "../testkit/alertReceivers.ts";
import { withStack } from "../testkit/stackTestKit.ts";
import { cleanKeys, clock, MIN, watchOnce, watchProfile } from "../testkit/watchTarget.ts";

// checkOnce when the 5xx rate decides, and when the sources cannot be read.
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
      const first = await watchOnce(profile, connections, t.now);
      expect(first.outcomes.find((o) => o.rule === "webhook-5xx")?.breached).toBeNull();
      counters = to;
      t.advance(5 * MIN);
      return await watchOnce(profile, connections, t.now);
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
        await watchOnce(profile, connections, t.now);
        counters = { ok: 1100, failed: 100 };
        t.advance(40 * MIN);
        const late = await watchOnce(profile, connections, t.now);
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
            const c = await watchOnce(profile, connections, t.now);
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
          const back = await watchOnce(profile, connections, t.now);
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
