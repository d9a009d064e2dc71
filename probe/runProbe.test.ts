import { describe, expect, it } from "vitest";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { countOf } from "../testkit/leftovers.ts";
import { localProfile, probeOn } from "../testkit/localRun.ts";
import { withStack } from "../testkit/stackTestKit.ts";
import { PROBES } from "./probeCatalogue.ts";

const ALL = PROBES.map((p) => p.id);

/** Probe id → status, for the one receiver the local profile has. */
function verdicts(result: { checks: { name: string; status: string }[] }): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.name.split(" ")[0], c.status]));
}

function withoutReadBack(profile: TargetProfile): TargetProfile {
  const probe = profile.probe as NonNullable<TargetProfile["probe"]>;
  const { processedCount: _, ...receiver } = probe.webhooks.curvaOrders as NonNullable<
    (typeof probe.webhooks)[string]
  >;
  return { ...profile, probe: { ...probe, webhooks: { curvaOrders: receiver } } };
}

describe("runProbe against the local reference stack", () => {
  it("passes every probe on a clean stack, with evidence, and leaves nothing", async () => {
    await withStack({}, async (stack) => {
      const result = await probeOn(stack);
      expect(verdicts(result)).toEqual(Object.fromEntries(ALL.map((id) => [id, "passed"])));
      expect(result).toMatchObject({
        suite: "probe",
        outcome: "pass",
        cleanup: { status: "done" },
      });
      const w2 = result.checks.find((c) => c.name.startsWith("W2 "));
      expect(w2?.evidence?.[0]).toBe("[no signature]");
      expect(w2?.evidence?.[1]).toMatch(
        /^> POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/pasukuru \(\d+ bytes\)$/,
      );
      expect(w2?.evidence?.at(-1)).toMatch(/^< 401 in [\d.]+ ms/);
      // The signing secret never reaches the result.
      expect(JSON.stringify(result)).not.toContain(stack.secrets.webhookSigningSecret);
      expect(
        await countOf(
          stack,
          `SELECT count(*)::int AS n FROM "${stack.schemas.curva}".webhook_log`,
          [],
        ),
      ).toBe(0);
    });
  });

  // Each stack fault turns exactly its probes red, and no other.
  it.each([
    ["signature-bypass", ["W2", "W3", "W4", "W5", "W6"]],
    ["duplicate-log", ["W1", "W5", "W7", "W8", "W9", "W10", "W11"]],
  ])("%s fails exactly %j", async (faults, red) => {
    await withStack({ faults }, async (stack) => {
      const result = await probeOn(stack);
      const failed = Object.entries(verdicts(result))
        .filter(([, status]) => status !== "passed")
        .map(([id]) => id);
      expect(failed).toEqual(red);
      expect(result.outcome).toBe("checksFailed");
      for (const c of result.checks.filter((x) => x.status === "failed"))
        expect(c.hint).toBeTruthy();
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
        W1: "passed",
        W9: "skipped",
        W10: "skipped",
        W11: "skipped",
      });
      expect(result.checks[1]?.observed).toMatch(/^not judged: the profile has no read-back/);
      expect(result.outcome).toBe("checksFailed");
    });
  });

  it("on a production target: only read-only probes run; a write probe asked for is refused naming the opt-in", async () => {
    await withStack({}, async (stack) => {
      const production = { ...localProfile(stack), production: true };
      const result = await probeOn(stack, {}, production);
      expect(Object.keys(verdicts(result))).toEqual(
        PROBES.filter((p) => p.safety === "readOnly").map((p) => p.id),
      );
      expect(result.options.notRunOnProduction).toBe(
        PROBES.filter((p) => p.safety === "writes")
          .map((p) => p.id)
          .join(","),
      );
      const refused = await probeOn(stack, { only: ["W2", "W9"] }, production).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toMatch(
        /W9 writes to it[\s\S]*probe\.productionOptIn and pass --confirm-production/,
      );
      // Opted in and confirmed, it runs.
      const optedIn = {
        ...production,
        probe: {
          ...(production.probe as NonNullable<TargetProfile["probe"]>),
          productionOptIn: ["W9"],
        },
      };
      const ran = await probeOn(stack, { only: ["W9"], confirmProduction: true }, optedIn);
      expect(verdicts(ran)).toEqual({ W9: "passed" });
    });
  });
});
