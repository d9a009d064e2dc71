import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { coreProfile } from "../testkit/coreProfile.ts";
import { prometheusRules } from "./prometheusRules.ts";
import type { WatchTarget } from "./watchSection.ts";

/** promtool (Debian: prometheus; .ci/run installs it when missing), its exit code and output. */
function promtool(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) =>
    execFile("promtool", args, { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        fail(
          new Error("promtool is not installed: apt-get install prometheus (.ci/run does this)"),
        );
        return;
      }
      done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    }),
  );
}

function target(): WatchTarget {
  return {
    ...coreProfile("staging"),
    queue: {
      redisUrl: "redis://127.0.0.1:6379",
      prefix: "bull",
      name: "curva-webhook",
      deadLetters: { kind: "failedSet" },
    },
    watch: {
      webhookRequests: { service: "curva", metricsPath: "/metrics", route: "/webhooks/pasukuru" },
      notifiers: { slack: { webhookUrl: "https://hooks.slack.invalid/x" } },
      links: { board: "https://pasukuru.staging.invalid/admin/queues" },
    },
  };
}

const LABELS = (rule: string) => ({ severity: "page", target: "staging", rule });
const BOARD = { board: "https://pasukuru.staging.invalid/admin/queues" };
const DLQ = {
  alertname: "CurvaWebhookDeadLetters",
  labels: LABELS("webhook-dlq"),
  summary: "Webhook dead-letter queue above 10 jobs (staging)",
  description: (value: string) =>
    `Pasukuru's order webhooks to Curva are failing for good: jobs that used up their retries are piling up in the dead-letter queue. Observed: ${value} jobs (alert above 10).`,
};
const RATE = {
  alertname: "CurvaWebhook5xxRate",
  labels: LABELS("webhook-5xx"),
  summary: "Curva answers over 5% of webhooks with 5xx (5 min) (staging)",
  description: (value: string) =>
    `Curva's webhook receiver is failing: Pasukuru's deliveries will retry, and then dead-letter. Observed: ${value} of webhook requests answered 5xx over 300s (alert above 5% of at least 20 requests).`,
};
const ok = (status: string, values: string) => ({
  series: `http_requests_total{method="POST",route="/webhooks/pasukuru",status="${status}"}`,
  values,
});

describe("the Prometheus rules file, checked and tested by promtool", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "prom-rules-"));
    await writeFile(join(dir, "rules.yml"), prometheusRules(target()));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("promtool check rules: clean", async () => {
    const run = await promtool(["check", "rules", "rules.yml"], dir);
    expect(run.output).toContain("SUCCESS: 2 rules found");
    expect(run.code, run.output).toBe(0);
  });

  async function testRules(tests: unknown[]): Promise<{ code: number; output: string }> {
    await writeFile(
      join(dir, "tests.yml"),
      stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests }),
    );
    return promtool(["test", "rules", "tests.yml"], dir);
  }

  it("promtool test rules: breaching series fire after 5 minutes, recovering ones resolve, 4% and a restart do not", async () => {
    const run = await testRules([
      {
        // The DLQ climbs to 11 at minute 5 and is drained at minute 20.
        interval: "1m",
        input_series: [
          { series: 'webhook_queue_jobs{state="failed"}', values: "0x4 11x15 0x10" },
          { series: 'webhook_queue_jobs{state="waiting"}', values: "50x30" },
        ],
        alert_rule_test: [
          { eval_time: "8m", alertname: DLQ.alertname, exp_alerts: [] },
          {
            eval_time: "12m",
            alertname: DLQ.alertname,
            exp_alerts: [
              {
                exp_labels: DLQ.labels,
                exp_annotations: {
                  summary: DLQ.summary,
                  description: DLQ.description("11"),
                  ...BOARD,
                },
              },
            ],
          },
          { eval_time: "25m", alertname: DLQ.alertname, exp_alerts: [] },
        ],
      },
      {
        // 6 of every 100 webhooks answered 503 for 15 minutes, then none.
        interval: "1m",
        input_series: [ok("200", "0+94x15 1410+100x20"), ok("503", "0+6x15 90x20")],
        alert_rule_test: [
          { eval_time: "3m", alertname: RATE.alertname, exp_alerts: [] },
          {
            eval_time: "12m",
            alertname: RATE.alertname,
            exp_alerts: [
              {
                exp_labels: RATE.labels,
                exp_annotations: {
                  summary: RATE.summary,
                  description: RATE.description("6%"),
                  ...BOARD,
                },
              },
            ],
          },
          { eval_time: "30m", alertname: RATE.alertname, exp_alerts: [] },
        ],
      },
      {
        // 4% never fires; neither does Curva restarting (its counters back to zero).
        interval: "1m",
        input_series: [ok("200", "0+96x10 0+96x10"), ok("503", "0+4x10 0+4x10")],
        alert_rule_test: [
          { eval_time: "10m", alertname: RATE.alertname, exp_alerts: [] },
          { eval_time: "18m", alertname: RATE.alertname, exp_alerts: [] },
        ],
      },
      {
        // Too few requests to judge: 3 of 10 is 30%, but under 20 requests in the window.
        interval: "1m",
        input_series: [ok("200", "0+1x20"), ok("503", "0+1x20")],
        alert_rule_test: [{ eval_time: "15m", alertname: RATE.alertname, exp_alerts: [] }],
      },
    ]);
    expect(run.output).toContain("SUCCESS");
    expect(run.code, run.output).toBe(0);
  });

  it("and says no when the rules would not fire where they must", async () => {
    const run = await testRules([
      {
        interval: "1m",
        input_series: [ok("200", "0+96x15"), ok("503", "0+4x15")],
        alert_rule_test: [
          {
            eval_time: "12m",
            alertname: RATE.alertname,
            exp_alerts: [{ exp_labels: RATE.labels }],
          },
        ],
      },
    ]);
    expect(run.code, run.output).toBe(1);
  });
});
