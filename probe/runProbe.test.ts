import { describe, expect, it } from "vitest";
import { probeOn } from "../testkit/localRun.ts";
import { curvaRows, verdicts } from "../testkit/probeRunChecks.ts";
import { secretPiece } from "../testkit/secretPiece.ts";
import { withStack } from "../testkit/stackTestKit.ts";
import { PROBES } from "./probeCatalogue.ts";

/** The probes run against each webhook receiver (part 2's run once, against the HTTP surface). */
const RECEIVER_PROBES = PROBES.filter(
  (p) => p.family === "webhook" || p.family === "handshake",
).map((p) => p.id);

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
});
