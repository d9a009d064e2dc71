import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import type { ProbeWebhook } from "../lib/config/probeProfile.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { countOf } from "../testkit/leftovers.ts";
import { localProfile, probeOn } from "../testkit/localRun.ts";
import { secretPiece } from "../testkit/secretPiece.ts";
import { scrapeMetrics, withStack } from "../testkit/stackTestKit.ts";
import { PROBES } from "./probeCatalogue.ts";

/** The probes run against each webhook receiver (part 2's run once, against the HTTP surface). */
const RECEIVER_PROBES = PROBES.filter(
  (p) => p.family === "webhook" || p.family === "handshake",
).map((p) => p.id);

/** "W2 curvaLine" → status: each probe against each receiver; "C1 http" for the HTTP surface's. */
function verdicts(result: { checks: { name: string; status: string }[] }): Record<string, string> {
  return Object.fromEntries(
    result.checks.map((c) => {
      const [, id, receiver] = /^(\S+) .*?(?: \((\w+)\))?$/.exec(c.name) ?? [];
      return [`${id} ${receiver ?? "http"}`, c.status];
    }),
  );
}

/** Requests a route of Pasukuru answered, from its own /metrics. */
async function routeCount(stack: StackHandle, route: string): Promise<number> {
  const text = await scrapeMetrics(stack, "pasukuru");
  const matches = text.matchAll(/^http_requests_total\{([^}]*)\} (\d+)$/gm);
  return [...matches]
    .filter((m) => m[1]?.includes(`route="${route}"`))
    .reduce((sum, m) => sum + Number(m[2]), 0);
}

/** Everything a probe run could leave in Curva's tables (a fresh stack per test: all of it is the run's). */
async function curvaRows(stack: StackHandle): Promise<number> {
  const c = stack.schemas.curva;
  let n = 0;
  for (const table of ["webhook_log", "processed_events", "line_events"])
    n += await countOf(stack, `SELECT count(*)::int AS n FROM "${c}".${table}`, []);
  return n;
}

function withoutReadBack(profile: TargetProfile): TargetProfile {
  const probe = profile.probe as NonNullable<TargetProfile["probe"]>;
  const orders = probe.webhooks?.curvaOrders;
  if (!orders) throw new Error("the local profile has no curvaOrders receiver");
  const { processedCount: _, ...receiver }: ProbeWebhook = orders;
  return { ...profile, probe: { ...probe, webhooks: { curvaOrders: receiver } } };
}

describe("runProbe against the local reference stack", () => {
  it("passes every probe on a clean stack, both receivers, with evidence, and leaves nothing", async () => {
    await withStack({}, async (stack) => {
      const result = await probeOn(stack);
      const ran = verdicts(result);
      expect(
        Object.values(ran).every((s) => s === "passed"),
        JSON.stringify(ran),
      ).toBe(true);
      // The pasukuru scheme has no handshake; LINE signs no timestamp and carries one signature.
      expect(Object.keys(ran).filter((k) => k.endsWith("curvaOrders"))).toEqual(
        RECEIVER_PROBES.filter((id) => !id.startsWith("H")).map((id) => `${id} curvaOrders`),
      );
      expect(Object.keys(ran).filter((k) => k.endsWith("curvaLine"))).toEqual(
        RECEIVER_PROBES.filter((id) => !["W5", "W6", "W8", "H1", "H2"].includes(id)).map(
          (id) => `${id} curvaLine`,
        ),
      );
      // The stack has no Telegram Mini App backend (A3) and no session login (A6) no shared-secret route (A7), and no second identity or limiter store on identify (R4, R5): the examples and the probes' own tests cover them.
      expect(result.options.notApplicable).toBe(
        "curvaOrders: H1,H2,H3; curvaLine: W5,W6,W8,H1,H2; http: A3,A6,A7,R4,R5",
      );
      // The HTTP surface, once: every other family of part 2 configured for the local stack.
      expect(Object.keys(ran).filter((k) => k.endsWith(" http"))).toEqual(
        PROBES.filter(
          (p) => !RECEIVER_PROBES.includes(p.id) && !["A3", "A6", "A7", "R4", "R5"].includes(p.id),
        ).map((p) => `${p.id} http`),
      );
      // No piece of a credential or of the stack's secrets reaches the result (a cut one neither).
      for (const secret of Object.values(stack.secrets)) {
        expect(secretPiece(JSON.stringify(result), secret)).toBeUndefined();
      }
      expect(result).toMatchObject({
        suite: "probe",
        outcome: "pass",
        cleanup: { status: "done" },
      });
      const w2 = result.checks.find((c) => c.name === "W2 unsigned (curvaOrders)");
      expect(w2?.evidence?.[0]).toBe("[no signature]");
      expect(w2?.evidence?.[1]).toMatch(
        /^> POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/pasukuru \(\d+ bytes\)$/,
      );
      expect(w2?.evidence?.at(-1)).toMatch(/^< 401 in [\d.]+ ms/);
      // Neither signing secret reaches the result.
      const text = JSON.stringify(result);
      expect(text).not.toContain(stack.secrets.webhookSigningSecret);
      expect(text).not.toContain(stack.secrets.lineChannelSecret);
      expect(await curvaRows(stack)).toBe(0);
    });
  });

  // Each stack fault turns exactly its probes red, and no other (one fault, one flaw).
  it.each([
    ["signature-bypass", ["W2", "W3", "W4", "W5", "W6"].map((id) => `${id} curvaOrders`)],
    ["no-tolerance", ["W5 curvaOrders", "W6 curvaOrders"]],
    ["slow-ack", ["W1 curvaOrders", "W12 curvaOrders"]],
    ["signature-if-present", ["W2 curvaLine"]],
    ["reserialized-verify", ["W7 curvaLine"]],
    ["replay-twice", ["W9 curvaLine", "W10 curvaLine", "W11 curvaLine"]],
    ["dedup-race", ["W11 curvaLine"]],
    ["cors-any-origin", ["C2 http", "C3 http", "C5 http"]],
    ["cors-star", ["C1 http", "C4 http"]],
    ["cors-dev-origin", ["C5 http"]],
    ["coming-soon", ["S1 http"]],
    ["invalid-500", ["S2 http"]],
    ["health-leaks", ["HC3 http"]],
    ["board-open", ["A1 http", "A2 http", "A5 http", "E2 http"]],
    ["board-any-role", ["A5 http", "E2 http"]],
    ["no-tenant-check", ["A4 http"]],
    ["health-ignores-db", ["HC2 http"]],
    ["metrics-open", ["E1 http"]],
    ["tls-expiring", ["T1 http"]],
    ["tls-old-protocol", ["T1 http"]],
    ["no-hsts", ["T3 http"]],
    ["http-no-redirect", ["T2 http"]],
    ["jwt-no-expiry", ["A2 http"]],
    ["no-retry-after", ["R1 http", "R3 http"]],
    ["cookie-not-secure", ["T4 http"]],
    ["mixed-content", ["T5 http"]],
  ])(
    "%s fails exactly %j",
    async (faults, red) => {
      await withStack({ faults }, async (stack) => {
        const result = await probeOn(stack);
        const failed = Object.entries(verdicts(result))
          .filter(([, status]) => status !== "passed")
          .map(([key]) => key);
        expect(failed).toEqual(red);
        expect(result.outcome).toBe("checksFailed");
        for (const c of result.checks.filter((x) => x.status === "failed"))
          expect(c.hint).toBeTruthy();
        expect(await curvaRows(stack)).toBe(0);
      });
    },
    60_000,
  );

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
