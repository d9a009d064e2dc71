import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import type { ProbeWebhook } from "../lib/config/probeProfile.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { countOf } from "../testkit/leftovers.ts";
import { localProfile, probeOn } from "../testkit/localRun.ts";
import { curvaRows, verdicts } from "../testkit/probeRunChecks.ts";
import { scrapeMetrics, withStack } from "../testkit/stackTestKit.ts";
import { PROBES } from "./probeCatalogue.ts";

/*
 * A probe run's bounds and refusals on the local reference stack: nothing
 * applicable is exit 2, never a vacuous pass; R1's burst stops at its count
 * and its window; a read-back that reads nothing is exit 2, and no read-back
 * is not judged; a production target runs read-only probes unless opted in.
 */

/** Requests a route of Pasukuru answered, from its own /metrics. */
async function routeCount(stack: StackHandle, route: string): Promise<number> {
  const text = await scrapeMetrics(stack, "pasukuru");
  const matches = text.matchAll(/^http_requests_total\{([^}]*)\} (\d+)$/gm);
  return [...matches]
    .filter((m) => m[1]?.includes(`route="${route}"`))
    .reduce((sum, m) => sum + Number(m[2]), 0);
}

function withoutReadBack(profile: TargetProfile): TargetProfile {
  const probe = profile.probe as NonNullable<TargetProfile["probe"]>;
  const orders = probe.webhooks?.curvaOrders;
  if (!orders) throw new Error("the local profile has no curvaOrders receiver");
  const { processedCount: _, ...receiver }: ProbeWebhook = orders;
  return { ...profile, probe: { ...probe, webhooks: { curvaOrders: receiver } } };
}

describe("runProbe's bounds and refusals on the local reference stack", () => {
  it("a run in which no asked-for probe applies is exit 2 before anything is sent, never a vacuous pass", async () => {
    await withStack({}, async (stack) => {
      // H1 is Meta's handshake: neither local receiver is Meta's.
      const refused = await probeOn(stack, { only: ["H1"] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toContain(
        "Nothing to probe on local: H1 does not apply",
      );
      expect(await curvaRows(stack)).toBe(0);
    });
  });

  it("R1's burst is bounded: against a route that never limits it sends exactly limit + 5, and at the window's end it stops", async () => {
    await withStack({ faults: "slow-identify:300" }, async (stack) => {
      const base = localProfile(stack);
      const probe = base.probe as NonNullable<TargetProfile["probe"]>;
      const never = {
        ...base,
        probe: {
          ...probe,
          http: {
            rateLimit: {
              service: "pasukuru",
              method: "GET" as const,
              path: "/health",
              limit: 10,
              windowMs: 60_000,
            },
          },
        },
      };
      const healthBefore = await routeCount(stack, "/health");
      const counted = await probeOn(stack, { only: ["R1"] }, never);
      expect(counted.checks[0]?.status).toBe("failed");
      expect(counted.checks[0]?.observed).toMatch(
        /^no 429 after 15 requests in \d+ ms \(stopped at the count bound/,
      );
      // What the target saw: preflight's one health call and the burst's 15, not one more.
      expect((await routeCount(stack, "/health")) - healthBefore).toBe(16);
      // A slow route (300 ms an answer) and a 500 ms window: the burst ends with the window.
      const slow = {
        ...base,
        probe: {
          ...probe,
          http: {
            rateLimit: {
              service: "pasukuru",
              method: "POST" as const,
              path: "/integration/line/identify",
              body: '{"idToken":"x"}',
              limit: 10,
              windowMs: 500,
            },
          },
        },
      };
      const timed = await probeOn(stack, { only: ["R1"] }, slow);
      expect(timed.checks[0]?.observed).toMatch(
        /^no 429 after [1-3] requests in \d+ ms \(stopped at the window's end/,
      );
    });
  });

  it("a read-back that reads no count column is exit 2 naming it, not a silent 0 that passes every refusal", async () => {
    await withStack({}, async (stack) => {
      const base = localProfile(stack);
      const probe = base.probe as NonNullable<TargetProfile["probe"]>;
      const orders = probe.webhooks?.curvaOrders as ProbeWebhook;
      const wrong = {
        ...base,
        probe: {
          ...probe,
          webhooks: {
            curvaOrders: {
              ...orders,
              processedCount: { database: "curva", text: "SELECT 0 AS n", values: () => [] },
            },
          },
        },
      };
      const refused = await probeOn(stack, { only: ["W2"] }, wrong).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toContain(
        "probe.webhooks.curvaOrders.processedCount must return one row with an integer count column",
      );
    });
  });

  it("without a read-back, 'processed once' is not judged, and the run does not pass", async () => {
    await withStack({}, async (stack) => {
      const result = await probeOn(
        stack,
        { only: ["W1", "W9", "W10", "W11"] },
        withoutReadBack(localProfile(stack)),
      );
      expect(verdicts(result)).toEqual({
        "W1 curvaOrders": "passed",
        "W9 curvaOrders": "skipped",
        "W10 curvaOrders": "skipped",
        "W11 curvaOrders": "skipped",
      });
      expect(result.checks[1]?.observed).toMatch(/^not judged: the profile has no read-back/);
      expect(result.outcome).toBe("checksFailed");
    });
  });

  it("on a production target: only read-only probes run; a write probe asked for is refused naming the opt-in", async () => {
    await withStack({}, async (stack) => {
      const production = { ...localProfile(stack), production: true };
      const result = await probeOn(stack, {}, production);
      const readOnly = PROBES.filter((p) => p.safety === "readOnly").map((p) => p.id);
      expect(
        Object.keys(verdicts(result)).every((k) => readOnly.includes(k.split(" ")[0] as string)),
      ).toBe(true);
      expect(Object.keys(verdicts(result))).toContain("W2 curvaOrders");
      const ids = (safety: string) =>
        PROBES.filter((p) => p.safety === safety)
          .map((p) => p.id)
          .join(",");
      expect(result.options.notRunOnProduction).toBe(
        `${ids("writes")} (write: not opted in); ${ids("burst")} (bursts never run on production); ${ids("outage")} (outages never run on production)`,
      );
      const refused = await probeOn(stack, { only: ["W2", "W9"] }, production).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toMatch(
        /W9 writes to it[\s\S]*probe\.productionOptIn\.probes \(with its inertEventType\) and pass --confirm-production/,
      );
      const burst = await probeOn(
        stack,
        { only: ["R1"], confirmProduction: true },
        production,
      ).catch((e: unknown) => e);
      expect((burst as ConfigError).message).toContain(
        "R1 bursts requests at it, which never runs against production (no opt-in)",
      );
      const outage = await probeOn(
        stack,
        { only: ["HC2"], confirmProduction: true },
        production,
      ).catch((e: unknown) => e);
      expect((outage as ConfigError).message).toContain(
        "HC2 takes one of its dependencies down, which never runs against production (no opt-in)",
      );
      // Opted in and confirmed, it runs.
      const optedIn = {
        ...production,
        probe: {
          ...(production.probe as NonNullable<TargetProfile["probe"]>),
          productionOptIn: { probes: ["W9"], inertEventType: "order.ping" },
        },
      };
      const ran = await probeOn(
        stack,
        { only: ["W9"], confirmProduction: true, keepData: true },
        optedIn,
      );
      expect(verdicts(ran)).toEqual({ "W9 curvaOrders": "passed", "W9 curvaLine": "passed" });
      // What it sent to the order receiver was of the inert type only.
      const c = stack.schemas.curva;
      expect(
        await countOf(
          stack,
          `SELECT count(*)::int AS n FROM "${c}".webhook_log WHERE event_type <> 'order.ping'`,
          [],
        ),
      ).toBe(0);
      expect(
        await countOf(
          stack,
          `SELECT count(*)::int AS n FROM "${c}".webhook_log WHERE event_type = 'order.ping'`,
          [],
        ),
      ).toBe(1);
    });
  });
});
