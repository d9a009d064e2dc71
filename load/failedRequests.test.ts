import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import { DEFAULT_EXPECTED_STATUSES } from "../lib/expectedStatuses.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { loadOn, localProfile } from "../testkit/localRun.ts";
import { scrapeMetrics, withStack } from "../testkit/stackTestKit.ts";
import { inTempDir } from "../testkit/tempDir.ts";
import { k6RunMeasurement } from "./engines/k6/k6RunMeasurement.ts";
import { k6Options } from "./k6format/k6Options.ts";
import { readK6Raw } from "./k6format/k6Raw.ts";
import { SCENARIOS } from "./scenarios/scenarios.ts";

/*
 * A target that refuses every request is not healthy: load judges answers,
 * not only 5xx (k6's http_req_failed: a status outside the expected ones, or
 * no answer at all).
 */

function threshold(result: RunResult, name: string) {
  const found = result.thresholds.find((t) => t.name === name);
  if (!found) throw new Error(`no threshold ${name}`);
  return found;
}

/** The stack's profile with its webhook load settings changed (a copy: profiles share objects). */
function webhookChanged(
  stack: Parameters<typeof localProfile>[0],
  change: Partial<NonNullable<NonNullable<ReturnType<typeof localProfile>["load"]>["webhook"]>>,
) {
  const profile = localProfile(stack);
  if (!profile.load?.webhook) throw new Error("no load section");
  profile.load = { ...profile.load, webhook: { ...profile.load.webhook, ...change } };
  return profile;
}

describe("http_req_failed: answers outside the expected statuses fail the run", () => {
  it("a wrong webhook secret (every delivery 401) fails, though nothing answered 5xx", async () => {
    await withStack({}, async (stack) => {
      const profile = webhookChanged(stack, {
        signing: { scheme: "pasukuru", secret: "not-the-secret-curva-checks" },
      });
      const result = await loadOn(stack, { scenarios: ["webhook"] }, profile);
      const failed = threshold(result, "webhook failed requests");
      expect(failed).toMatchObject({ status: "failed", observed: 1, condition: "rate==0" });
      expect(failed.hint).toMatch(/^webhook got no expected answer \(\d+ of \d+ answers outside/);
      expect(threshold(result, "webhook 5xx").status).toBe("passed");
      const endpoint = result.scenarios[0]?.endpoints[0];
      expect(endpoint?.status4xx).toBeGreaterThan(0);
      expect(endpoint?.unexpected).toBe(endpoint?.requests);
      expect(result.outcome).toBe("checksFailed");
    });
  });

  it("a wrong identify path (every answer 404) fails, and even a lax condition cannot pass it", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      if (!profile.load?.identify) throw new Error("no load section");
      // A copy: the reference profile's identify call is shared by every profile.
      profile.load = {
        ...profile.load,
        identify: { ...profile.load.identify, path: () => "/integration/line/identfy" },
      };
      const result = await loadOn(stack, {
        scenarios: ["identify"],
        thresholds: { "http_req_failed{scenario:identify}": "rate<=1" },
      });
      expect(result.outcome).toBe("pass");
      const lax = await loadOn(
        stack,
        {
          scenarios: ["identify"],
          thresholds: { "http_req_failed{scenario:identify}": "rate<=1" },
        },
        profile,
      );
      expect(threshold(lax, "identify failed requests")).toMatchObject({
        status: "failed",
        observed: 1,
      });
      expect(lax.outcome).toBe("checksFailed");
    });
  });

  it("a configured expected status counts as expected", async () => {
    await withStack({}, async (stack) => {
      // A team whose receiver answers 401 on purpose (say, a canary) may declare it expected.
      const profile = webhookChanged(stack, {
        signing: { scheme: "pasukuru", secret: "wrong" },
        expectedStatuses: [{ min: 200, max: 299 }, 401],
      });
      const result = await loadOn(stack, { scenarios: ["webhook"] }, profile);
      expect(threshold(result, "webhook failed requests").status).toBe("passed");
    });
  });
});

describe("http_req_failed on the k6 engine", () => {
  it("k6's options judge it per scenario, and the plan tells k6 which statuses are expected", () => {
    const options = k6Options([SCENARIOS.webhook]);
    expect(options.thresholds["http_req_failed{scenario:webhook}"]).toEqual(["rate==0"]);
    expect(DEFAULT_EXPECTED_STATUSES).toEqual([{ min: 200, max: 399 }]);
  });

  it("a k6 run whose every webhook answer was 401 fails it: observed 1, every answer unexpected", async () => {
    const measured = await inTempDir(async (dir) => {
      const tags = {
        scenario: "webhook",
        endpoint: "webhook",
        status: "401",
        expected_response: "false",
      };
      const lines: string[] = [];
      for (let i = 0; i < 500; i++) {
        const time = new Date(Date.UTC(2026, 11, 7, 12, 0, 0, i * 2)).toISOString();
        for (const [metric, value] of [
          ["http_reqs", 1],
          ["http_req_duration", 2],
        ] as const)
          lines.push(JSON.stringify({ type: "Point", metric, data: { time, value, tags } }));
      }
      const file = join(dir, "k6-raw-webhook.json.gz");
      await writeFile(file, gzipSync(`${lines.join("\n")}\n`));
      return k6RunMeasurement(
        await readK6Raw(file, [SCENARIOS.webhook], "k6 v1.3.0"),
        { metrics: { http_reqs: { values: { count: 500 } } } },
        SCENARIOS.webhook,
        { version: "k6 v1.3.0", generator: { generatorBound: false } },
        { aborted: false },
      );
    });
    const spec = SCENARIOS.webhook.thresholds.find((t) => t.metric === "http_req_failed");
    expect(spec && measured.observe(spec)).toBe(1);
    expect(measured.endpoints[0]).toMatchObject({ requests: 500, unexpected: 500, status2xx: 0 });
  });
});

/** How many identify requests Pasukuru has counted, from its own /metrics. */
async function identifyRequestsSeen(stack: StackHandle): Promise<number> {
  const text = await scrapeMetrics(stack, "pasukuru");
  let sum = 0;
  for (const match of text.matchAll(
    /^http_requests_total\{[^}]*route="\/integration\/line\/identify"[^}]*\} (\d+)$/gm,
  ))
    sum += Number(match[1]);
  return sum;
}

describe("graceful stop: the last requests finish, are counted, and are cleaned up", () => {
  it("a slow target under load: every request the target saw is in the figures, and nothing is left", async () => {
    await withStack({ faults: "slow-identify:800" }, async (stack) => {
      const before = await identifyRequestsSeen(stack);
      const result = await loadOn(stack, { scenarios: ["identify"], durationSec: 3 });
      const seen = (await identifyRequestsSeen(stack)) - before;
      const scenario = result.scenarios[0];
      const identify = scenario?.endpoints[0];
      const counted = (identify?.requests ?? 0) + (identify?.errors ?? 0);
      console.log(
        `slow identify: target saw ${seen} requests, the figures hold ${counted}, interrupted ${scenario?.interrupted}`,
      );
      // Each of the 10 users had one request open when the 3 s ended: waited for, and counted.
      expect(counted).toBe(seen);
      expect(scenario?.interrupted).toBe(0);
      expect(result.cleanup.status).toBe("done");
      const client = new pg.Client({ connectionString: stack.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${stack.schemas.pasukuru}".members WHERE display_name = $1`,
          [`harness ${result.runId}`],
        );
        expect(rows[0]?.n).toBe(0);
      } finally {
        await client.end();
      }
    });
  });
});
