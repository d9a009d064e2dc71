import { describe, expect, it } from "vitest";
import { leftovers, NOTHING_LEFT } from "../testkit/leftovers.ts";
import { spawnHarnessGroup as harnessGroup, outputContains } from "../testkit/processGroup.ts";
import { type ProxiedStack, withProxiedStack } from "../testkit/proxiedStack.ts";
import { readSummary as summaryIn } from "../testkit/readSummary.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { check } from "../testkit/smokeRuns.ts";
import { inTempDir } from "../testkit/tempDir.ts";

/*
 * The harness's own Postgres and Redis failing under it, through a fault
 * proxy of our own (the shared servers are never touched): every run ends
 * within its bound, with exit 3 (the harness's dependency, not the target),
 * and leaves nothing once the proxy passes again. Wall times are printed,
 * not asserted.
 */

/**
 * A smoke through the proxies whose `store` stalls once preflight has reached
 * every dependency (from there on the harness's connection to it never
 * answers) and passes again when cleanup starts. Prints the wall time.
 */
async function smokeWithStalledStore(
  proxied: ProxiedStack,
  dir: string,
  store: "postgres" | "redis",
  timeout = "3s",
) {
  const run = harnessGroup(
    ["smoke", ...proxied.args, "--timeout", timeout, "--report-dir", dir],
    proxied.env,
  );
  await outputContains(run, run.stderr, "dependencies reachable");
  proxied[store].stall();
  const started = performance.now();
  await outputContains(run, run.stderr, "cleaning up run");
  proxied[store].pass();
  const code = await run.closed;
  console.log(
    `${store} stalled during polling: exit ${code} after ${Math.round(performance.now() - started)} ms`,
  );
  const result = await summaryIn(dir);
  const nothingLeft = async () =>
    expect(
      await leftovers(proxied.stack, {
        runId: result.runId,
        eventIds: [result.testData.eventId ?? ""],
      }),
    ).toEqual(NOTHING_LEFT);
  return { run, code, result, nothingLeft };
}

describe("the harness's own dependencies failing mid-run", () => {
  it("Postgres stalled while the checks poll: those checks could not judge, exit 3, nothing left", async () => {
    await withProxiedStack({}, (proxied) =>
      inTempDir(async (dir) => {
        const { run, code, result, nothingLeft } = await smokeWithStalledStore(
          proxied,
          dir,
          "postgres",
        );
        expect(code, run.stderr()).toBe(3);
        expect(result.outcome).toBe("targetUnreachable");
        const log = check(result, "webhookLogHasOrder");
        expect(log?.status).toBe("error");
        expect(log?.hint).toMatch(
          /^Could not judge: (the harness's own connection to )?Postgres \(curva\) at postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/\S*( is unreachable| did not answer)/,
        );
        expect(log?.hint).toContain("says nothing about the target");
        expect(check(result, "memberHasLineUserId")?.status).toBe("error");
        // Redis still answered: the delivery was seen, on evidence.
        expect(check(result, "webhookNotInDlq")?.status).toBe("passed");
        expect(run.stdout()).toMatch(/^ERROR {2}could not judge the target/m);
        expect(result.cleanup.status).toBe("done");
        await nothingLeft();
      }),
    );
  });

  it("Redis stalled while the checks poll: webhookNotInDlq could not judge (not 'Curva rejects'), exit 3", async () => {
    await withProxiedStack({}, (proxied) =>
      inTempDir(async (dir) => {
        const { run, code, result, nothingLeft } = await smokeWithStalledStore(
          proxied,
          dir,
          "redis",
        );
        expect(code, run.stderr()).toBe(3);
        const dlq = check(result, "webhookNotInDlq");
        expect(dlq?.status).toBe("error");
        expect(dlq?.hint).toMatch(
          /^Could not judge: (the harness's own connection to )?Redis at redis:\/\/127\.0\.0\.1:\d+\/?\S*( is unreachable| did not answer)/,
        );
        expect(dlq?.hint).not.toMatch(/Curva rejects/);
        expect(check(result, "webhookLogHasOrder")?.status).toBe("passed");
        expect(check(result, "memberHasLineUserId")?.status).toBe("passed");
        expect(result.cleanup.status).toBe("done");
        await nothingLeft();
      }),
    );
  });

  it("Redis that accepts TCP and never answers fails preflight within its bound: exit 3, nothing created", async () => {
    await withProxiedStack({}, async (proxied) => {
      proxied.redis.stall();
      const started = performance.now();
      const run = await runHarness(["smoke", ...proxied.args], proxied.env);
      console.log(
        `Redis silent at preflight: exit ${run.code} after ${Math.round(performance.now() - started)} ms`,
      );
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(
        /^Redis at redis:\/\/127\.0\.0\.1:\d+\/?\S* is unreachable \(connect and PING: no answer within 3000 ms\)/m,
      );
      expect(run.stderr).toContain("Nothing was created.");
    });
  });

  it("Postgres reset while a check's query is in flight, then refusing: could not judge, exit 3", async () => {
    await withProxiedStack({}, (proxied) =>
      inTempDir(async (dir) => {
        const run = harnessGroup(
          ["smoke", ...proxied.args, "--timeout", "4s", "--report-dir", dir],
          proxied.env,
        );
        // Held by a stall, the checks' first queries are in flight when the reset comes.
        await outputContains(run, run.stderr, "dependencies reachable");
        proxied.postgres.stall();
        await outputContains(run, run.stderr, "waiting up to");
        // A check's query is held by the stall: in flight when the reset comes.
        await proxied.postgres.holding();
        proxied.postgres.cut();
        proxied.postgres.refuse();
        const started = performance.now();
        await outputContains(run, run.stderr, "cleaning up run");
        proxied.postgres.pass();
        const code = await run.closed;
        console.log(
          `Postgres reset mid-query: exit ${code} ${Math.round(performance.now() - started)} ms after the reset`,
        );
        const result = await summaryIn(dir);
        const log = check(result, "webhookLogHasOrder");
        expect(log?.status, JSON.stringify(log)).toBe("error");
        expect(log?.observed).toMatch(/the last read failed: /);
        expect(check(result, "webhookNotInDlq")?.status).toBe("passed");
        expect(code, run.stderr()).toBe(3);
        expect(result.cleanup.status).toBe("done");
      }),
    );
  });

  it("a check that fails on evidence wins over one that could not judge: exit 1, the other listed", async () => {
    // webhook-5xx: every delivery fails, so webhookNotInDlq fails on what Redis says; Postgres is gone.
    await withProxiedStack({ faults: "webhook-5xx" }, (proxied) =>
      inTempDir(async (dir) => {
        const { run, code, result } = await smokeWithStalledStore(proxied, dir, "postgres");
        expect(check(result, "webhookNotInDlq")?.status).toBe("failed");
        expect(check(result, "webhookLogHasOrder")?.status).toBe("error");
        expect(code).toBe(1);
        expect(run.stdout()).toMatch(
          /^FAIL .*; could not judge webhookLogHasOrder, memberHasLineUserId/m,
        );
      }),
    );
  });

  it("Postgres reset once while a query is in flight and then back: retried within the deadline, exit 0", async () => {
    await withProxiedStack({}, (proxied) =>
      inTempDir(async (dir) => {
        const run = harnessGroup(
          ["smoke", ...proxied.args, "--timeout", "5s", "--report-dir", dir],
          proxied.env,
        );
        await outputContains(run, run.stderr, "dependencies reachable");
        proxied.postgres.stall();
        await outputContains(run, run.stderr, "waiting up to");
        await proxied.postgres.holding();
        // The queries in flight are reset; the next ones get through: a blip, not a verdict.
        proxied.postgres.cut();
        proxied.postgres.pass();
        const code = await run.closed;
        expect(code, run.stdout()).toBe(0);
        expect((await summaryIn(dir)).checks.every((c) => c.status === "passed")).toBe(true);
      }),
    );
  });
});
