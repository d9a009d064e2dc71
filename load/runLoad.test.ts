import pg from "pg";
import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import { ConfigError } from "../lib/errors.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { loadOn, localProfile } from "../testkit/localRun.ts";
import { withStack } from "../testkit/stackTestKit.ts";

function threshold(result: RunResult, name: string) {
  const found = result.thresholds.find((t) => t.name === name);
  if (!found)
    throw new Error(`no threshold ${name} in ${result.thresholds.map((t) => t.name).join(", ")}`);
  return found;
}

function failed(result: RunResult): string[] {
  return result.thresholds.filter((t) => t.status === "failed").map((t) => t.name);
}

/** What a load run left on the stack: members it minted, webhook rows it caused. */
async function loadLeftovers(
  stack: StackHandle,
  runId: string,
): Promise<{ members: number; webhookLog: number }> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const count = async (sql: string) =>
      Number((await client.query<{ n: number }>(sql, [runId])).rows[0]?.n ?? -1);
    return {
      members: await count(
        `SELECT count(*)::int AS n FROM "${stack.schemas.pasukuru}".members WHERE display_name = 'harness ' || $1`,
      ),
      webhookLog: await count(
        `SELECT count(*)::int AS n FROM "${stack.schemas.curva}".webhook_log WHERE run_id = $1`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe("runLoad against the local reference stack (short, small)", () => {
  it("a clean stack passes identify and webhook (closed) and sustained (open), and nothing is left", async () => {
    await withStack({}, async (stack) => {
      const result = await loadOn(stack, { scenarios: ["identify", "webhook", "sustained"] });
      expect(failed(result), JSON.stringify(result.thresholds, null, 1)).toEqual([]);
      expect(result).toMatchObject({
        suite: "load",
        outcome: "pass",
        checks: [],
        target: { versions: { pasukuru: "reference-1.0.0", curva: "reference-1.0.0" } },
      });
      expect(result.scenarios.map((s) => [s.name, s.model.kind])).toEqual([
        ["identify", "closed"],
        ["webhook", "closed"],
        ["sustained", "open"],
      ]);
      const [identify, webhook, sustained] = result.scenarios;
      expect(identify?.endpoints[0]?.status2xx).toBeGreaterThan(0);
      expect(webhook?.endpoints[0]?.status2xx).toBeGreaterThan(0);
      // The open model started exactly rate × duration requests, half to each endpoint.
      expect(sustained?.endpoints.map((e) => e.requests + e.errors)).toEqual([20, 20]);
      expect(identify?.series.length).toBeGreaterThanOrEqual(2);
      expect(identify?.connectionRamp).toMatchObject({ connections: 10, answered: 10 });
      expect(sustained?.connectionRamp).toBeUndefined();
      expect(identify?.pools.map((p) => p.service)).toEqual(["pasukuru", "curva"]);
      expect(identify?.pools[0]?.samples).toBeGreaterThanOrEqual(8);
      // The stack exposes its checkout waits: pools are judged by callers that waited, not by saturation.
      expect(identify?.pools.map((p) => [p.exhaustedBy, p.slowCheckouts])).toEqual([
        ["waitHistogram", 0],
        ["waitHistogram", 0],
      ]);
      expect(identify?.database?.peakByApplication).toHaveProperty(
        `pasukuru:${stack.schemas.pasukuru}`,
      );
      expect(result.cleanup.status).toBe("done");
      expect(await loadLeftovers(stack, result.runId)).toEqual({ members: 0, webhookLog: 0 });
    });
  });

  it("slow-identify:800 fails the identify p95 threshold, named with limit and observed value", async () => {
    await withStack({ faults: "slow-identify:800" }, async (stack) => {
      const result = await loadOn(stack, { scenarios: ["identify"], durationSec: 3 });
      expect(failed(result)).toEqual(["identify identify p95"]);
      const p95 = threshold(result, "identify identify p95");
      expect(p95).toMatchObject({
        metric: "http_req_duration{scenario:identify,endpoint:identify}",
        condition: "p(95)<500",
        unit: "ms",
      });
      expect(p95.observed).toBeGreaterThanOrEqual(800);
      expect(result.outcome).toBe("checksFailed");
    });
  });

  it("identify-5xx:5 fails the 5xx threshold", async () => {
    await withStack({ faults: "identify-5xx:5" }, async (stack) => {
      const result = await loadOn(stack, { scenarios: ["identify"] });
      // A 5xx is outside the expected statuses too: both name it.
      expect(failed(result)).toEqual(["identify failed requests", "identify 5xx"]);
      // Exactly every 20th identify failed: 5%, give or take the last second's rounding.
      expect(threshold(result, "identify 5xx").observed).toBeCloseTo(0.05, 2);
    });
  });

  it("pool-exhaust fails Pasukuru's pool threshold", async () => {
    await withStack({ faults: "pool-exhaust" }, async (stack) => {
      const result = await loadOn(stack, {
        scenarios: ["identify"],
        connections: 20,
        durationSec: 4,
      });
      expect(failed(result)).toContain("identify pasukuru pool");
      const pool = result.scenarios[0]?.pools.find((p) => p.service === "pasukuru");
      expect(pool?.max).toBe(2);
      expect(pool?.checkoutTimeouts).toBeGreaterThan(0);
      expect(threshold(result, "identify curva pool").status).toBe("passed");
    });
  });

  it("webhook-5xx fails the webhook scenario, and cleanup still runs", async () => {
    await withStack({ faults: "webhook-5xx" }, async (stack) => {
      const result = await loadOn(stack, { scenarios: ["webhook"] });
      expect(failed(result)).toEqual(["webhook failed requests", "webhook 5xx"]);
      expect(threshold(result, "webhook 5xx").observed).toBe(1);
      expect(result.cleanup.status).toBe("done");
    });
  });

  it("is refused (exit 2) against a target whose profile does not allow load", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      const closed = {
        ...profile,
        load: { ...(profile.load as NonNullable<typeof profile.load>), allowed: false },
      };
      const error = await loadOn(stack, { scenarios: ["identify"] }, closed).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(
        /load\.allowed is false: this target does not accept load/,
      );
    });
  });
});
