import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { STACK_DEFAULTS } from "../fixtures/referenceStack.ts";
import { spawnHarnessGroup as harnessGroup, outputContains } from "../testkit/processGroup.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { withStack } from "../testkit/stackTestKit.ts";
import { stagingEnv } from "../testkit/stagingEnv.ts";

/*
 * Processes that die together, and a harness dependency (the LINE token
 * helper) that fails the same way in the smoke and the load: its fault, not
 * the target's. Wall times are printed, not asserted.
 */

async function schemasNamed(instanceId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: STACK_DEFAULTS.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)",
      [[`pasukuru_${instanceId}`, `curva_${instanceId}`]],
    );
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

/** The pids whose parent is `pid` (Linux /proc through ps). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await sleep(100);
  }
  return !existsSync(`/proc/${pid}`);
}

describe("the load stack dies with the harness", () => {
  it("SIGKILL of the harness during load: the stack process stops within seconds and removes its data", async () => {
    const instanceId = `kill_${randomBytes(3).toString("hex")}`;
    const run = harnessGroup(
      [
        "load",
        "--engine",
        "node",
        "--scenario",
        "webhook",
        "--duration",
        "60s",
        "--connections",
        "5",
      ],
      { STACK_INSTANCE: instanceId },
    );
    let stackPid: number | undefined;
    try {
      await outputContains(run, run.stderr, "webhook: 5 connections for 60 s");
      stackPid = childrenOf(run.child.pid as number)[0];
      expect(stackPid, "the stack's process").toBeDefined();
      expect((await schemasNamed(instanceId)).length).toBe(2);
      const started = performance.now();
      // A CI timeout: the harness alone, with no chance to clean up.
      run.child.kill("SIGKILL");
      expect(await gone(stackPid as number, 15_000)).toBe(true);
      console.log(
        `stack gone ${Math.round(performance.now() - started)} ms after SIGKILL of the harness`,
      );
      expect(await schemasNamed(instanceId)).toEqual([]);
    } finally {
      run.signalGroup("SIGKILL");
      if (stackPid && existsSync(`/proc/${stackPid}`)) process.kill(stackPid, "SIGKILL");
      await run.closed;
    }
  });

  it("Ctrl-C to the process group during a 1000-connection load: the load stops, cleanup is clean, exit 130", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-group-sigint-"));
    try {
      const run = harnessGroup(
        [
          "load",
          "--engine",
          "node",
          "--scenario",
          "identify",
          "--duration",
          "30s",
          "--connections",
          "1000",
          "--report-dir",
          dir,
        ],
        {},
      );
      await outputContains(run, run.stderr, "identify: 1000 connections for 30 s", 60_000);
      await sleep(2_000);
      const started = performance.now();
      // A terminal's Ctrl-C reaches the whole foreground group; the stack runs in its own.
      run.signalGroup("SIGINT");
      const code = await run.closed;
      console.log(
        `1000-connection load stopped and cleaned up ${Math.round(performance.now() - started)} ms after Ctrl-C`,
      );
      const summary = await readSummary(dir);
      expect(code, run.stderr()).toBe(130);
      expect(summary.outcome).toBe("interrupted");
      expect(summary.cleanup.status, summary.cleanup.detail).toBe("done");
      expect(run.stdout()).not.toMatch(/left behind/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A LINE token helper that refuses every secret. */
async function refusingHelper(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(401, { "content-type": "application/json" }).end('{"error":"bad secret"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the LINE token helper is the harness's dependency: the smoke and the load agree", () => {
  it("refusing the secret is exit 2 naming the variable; down is exit 3; in both suites", async () => {
    await withStack({}, async (stack) => {
      const helper = await refusingHelper();
      try {
        const base = {
          ...stagingEnv(stack),
          STAGING_LOAD_ALLOWED: "true",
          STAGING_WEBHOOK_SIGNING_SECRET: stack.secrets.webhookSigningSecret,
        };
        const load = [
          "load",
          "--target",
          "staging",
          "--engine",
          "node",
          "--scenario",
          "identify",
          "--duration",
          "2s",
          "--connections",
          "2",
        ];
        const smoke = ["smoke", "--target", "staging"];
        for (const args of [smoke, load]) {
          const refused = await runHarness(args, { ...base, STAGING_LINE_TOKEN_URL: helper.url });
          expect(refused.code, `${args[0]}: ${refused.stdout}${refused.stderr}`).toBe(2);
          expect(refused.stderr).toMatch(
            /The LINE token helper at http:\/\/127\.0\.0\.1:\d+\/test\/id-tokens answered 401: it refused the test-helper secret\. Set STAGING_TEST_HELPER_SECRET/,
          );
          const down = await runHarness(args, {
            ...base,
            STAGING_LINE_TOKEN_URL: "http://127.0.0.1:1",
          });
          expect(down.code, `${args[0]}: ${down.stdout}${down.stderr}`).toBe(3);
          expect(`${down.stdout}${down.stderr}`).toMatch(
            /LINE token helper at http:\/\/127\.0\.0\.1:1\/test\/id-tokens is unreachable \(.*ECONNREFUSED/,
          );
          expect(`${down.stdout}${down.stderr}`).not.toMatch(
            /Pasukuru rejected|The service stopped answering/,
          );
        }
      } finally {
        await helper.close();
      }
    });
  });
});
