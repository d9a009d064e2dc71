import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StackHandle, startStack } from "../fixtures/referenceStack.ts";
import {
  type MailReceiver,
  type SlackReceiver,
  startMailReceiver,
  startSlackReceiver,
} from "../testkit/alertReceivers.ts";
import { outputContains, spawnGroup } from "../testkit/processGroup.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { stagingEnv } from "../testkit/stagingEnv.ts";

describe("harness watch (the CLI, against a stack reached through STAGING_* variables)", () => {
  let stack: StackHandle;
  let slack: SlackReceiver;
  let mail: MailReceiver;
  let env: Record<string, string>;
  beforeAll(async () => {
    [stack, slack, mail] = await Promise.all([
      startStack(),
      startSlackReceiver(),
      startMailReceiver(),
    ]);
    env = {
      ...stagingEnv(stack),
      STAGING_ALERT_SLACK_WEBHOOK_URL: slack.url,
      STAGING_ALERT_SMTP_URL: `smtp://${mail.user}:${mail.password}@127.0.0.1:${mail.port}`,
      STAGING_ALERT_EMAIL_FROM: "watch@example.test",
      STAGING_ALERT_EMAIL_TO: "oncall@example.test, lead@example.test",
      STAGING_ALERT_KEY_PREFIX: `test:alerts:${randomUUID()}`,
    };
  });
  afterAll(async () => {
    await Promise.all([stack?.stop(), slack?.close(), mail?.close()]);
  });

  it("--test-notification delivers a marked test message through Slack and email; exit 0", async () => {
    const run = await runHarness(["watch", "--target", "staging", "--test-notification"], env);
    const output = run.stdout + run.stderr;
    expect(output).toContain("slack delivered; email delivered");
    expect(run.code, output).toBe(0);
    expect(slack.messages.at(-1)?.text).toBe(
      "🧪 TEST · staging · test notification: alerts reach this channel",
    );
    expect(mail.mails.at(-1)?.to).toEqual(["oncall@example.test", "lead@example.test"]);
    expect(mail.mails.at(-1)?.data).toContain("[TEST] staging");
    // Secrets never printed: the webhook URL, the SMTP password.
    expect(output).not.toContain(slack.url);
    expect(output).not.toContain(mail.password);
  });

  it("--test-notification with Slack down: exit 3, naming it", async () => {
    slack.down = true;
    try {
      const run = await runHarness(["watch", "--target", "staging", "--test-notification"], env);
      const output = run.stdout + run.stderr;
      expect(output).toMatch(/slack FAILED after 3 attempt\(s\): Slack answered 500/);
      expect(output).toContain("FAILED: slack did not deliver it");
      expect(run.code, output).toBe(3);
    } finally {
      slack.down = false;
    }
  }, 30_000);

  it("--once on a healthy stack: exit 0, every rule named", async () => {
    const run = await runHarness(["watch", "--target", "staging", "--once"], env);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/^ {2}ok {8}webhook-dlq {3}0 jobs in the dead-letter queue/m);
    expect(output).toMatch(/^ {2}— {9}webhook-5xx {3}no judgement yet/m);
    expect(output).toMatch(/^OK: nothing breached$/m);
    expect(run.code, output).toBe(0);
  });

  it("--every stops by itself once --for has passed", async () => {
    const run = await runHarness(
      ["watch", "--target", "staging", "--every", "10s", "--for", "1s"],
      env,
    );
    const output = run.stdout + run.stderr;
    expect(output.match(/^watch · target staging · /gm)).toHaveLength(1);
    expect(output).toContain("watch: --for has passed; stopping");
    expect(run.code, output).toBe(0);
  });

  it("--every stops on Ctrl-C between checks: exit 130", async () => {
    const run = spawnGroup(
      process.execPath,
      ["bin/harness.mjs", "watch", "--target", "staging", "--every", "10m"],
      env,
    );
    // Readiness, not a sleep: interrupt once the first check has printed its verdict.
    await outputContains(run, run.stdout, "OK: nothing breached");
    run.child.kill("SIGINT");
    expect(await run.closed).toBe(130);
    expect(run.stderr()).toContain("Interrupted: stopping after the current check");
  });

  it("unreachable Redis: exit 3", async () => {
    const run = await runHarness(["watch", "--target", "staging", "--once"], {
      ...env,
      STAGING_REDIS_URL: "redis://127.0.0.1:1",
    });
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/CANNOT CHECK/);
    expect(run.code, output).toBe(3);
  }, 30_000);

  it("alerts:rules prints a rules file promtool accepts, with the target's name and the board link", async () => {
    const run = await runHarness(["alerts:rules", "--target", "staging"], {
      ...env,
      STAGING_ALERT_BOARD_URL: "https://pasukuru.staging.invalid/admin/queues",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("alert: CurvaWebhookDeadLetters");
    expect(run.stdout).toContain("summary: Webhook dead-letter queue above 10 jobs (staging)");
    expect(run.stdout).toContain("board: https://pasukuru.staging.invalid/admin/queues");
    expect(run.stdout).not.toContain(slack.url);
    const dir = await mkdtemp(join(tmpdir(), "rules-cli-"));
    try {
      await writeFile(join(dir, "rules.yml"), run.stdout);
      const check = await new Promise<{ code: number; output: string }>((done) =>
        execFile("promtool", ["check", "rules", join(dir, "rules.yml")], (error, out, err) =>
          done({ code: error ? Number(error.code ?? 1) : 0, output: `${out}${err}` }),
        ),
      );
      expect(check.code, check.output).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("bad scheduling flags are usage errors (exit 2)", async () => {
    const fast = await runHarness(["watch", "--target", "staging", "--every", "5s"], env);
    expect(fast.stderr).toContain('--every="5s" is not a check interval. Use 10s or more');
    expect(fast.code).toBe(2);
    const both = await runHarness(["watch", "--once", "--every", "5m"], env);
    expect(both.stderr).toContain("--once and --every exclude each other");
    expect(both.code).toBe(2);
  });
});

describe("harness watch on the local target (every suite can be tried on the stack)", () => {
  it("--once starts a stack, judges every rule on it, and exits 0; --test-notification reaches its Slack stand-in", async () => {
    const once = await runHarness(["watch", "--target", "local", "--once"]);
    expect(once.code, once.stdout + once.stderr).toBe(0);
    expect(once.stdout).toMatch(/ok\s+webhook-dlq/);
    expect(once.stdout).toContain("OK: nothing breached");
    const test = await runHarness(["watch", "--target", "local", "--test-notification"]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout + test.stderr).toContain("slack delivered");
  });
});
