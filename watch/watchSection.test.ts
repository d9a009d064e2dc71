import { describe, expect, it } from "vitest";
import { EnvReader } from "../lib/config/envReader.ts";
import { alertEnv } from "../targets/alertEnv.ts";
import { coreProfile } from "../testkit/coreProfile.ts";
import { WATCH_DEFAULTS, watchSectionProblems, watchSettings } from "./watchSection.ts";

describe("the watch section", () => {
  const valid = () => ({
    ...coreProfile("qa"),
    queue: {
      redisUrl: "redis://127.0.0.1:6379",
      prefix: "bull",
      name: "curva-webhook",
      deadLetters: { kind: "failedSet" as const },
    },
    watch: {
      webhookRequests: {
        service: "curva" as const,
        metricsPath: "/metrics",
        route: "/webhooks/pasukuru",
      },
      notifiers: { slack: { webhookUrl: "https://hooks.slack.invalid/T/B/x" } },
    },
  });

  it("a valid section has no problems, and its settings are the plan's defaults unless overridden", () => {
    expect(watchSectionProblems(valid())).toEqual([]);
    expect(watchSettings(valid().watch)).toEqual(WATCH_DEFAULTS);
    expect(watchSettings({ ...valid().watch, settings: { dlqMax: 50 } }).dlqMax).toBe(50);
    expect(WATCH_DEFAULTS).toMatchObject({ dlqMax: 10, errorRatioMax: 0.05, windowMs: 300_000 });
  });

  it("a count given as a fraction and a header name with a space are named (the old checks took both)", () => {
    const profile = valid();
    const problems = watchSectionProblems({
      ...profile,
      watch: {
        ...profile.watch,
        webhookRequests: {
          ...profile.watch.webhookRequests,
          metricsHeaders: { "x token": "t" },
        },
        settings: { deliveryAttempts: 1.5, cannotCheckAfter: 0.5 },
      },
    } as unknown as Parameters<typeof watchSectionProblems>[0]);
    expect(problems.join("\n")).toMatch(/watch\.settings\.deliveryAttempts is 1\.5: it must be/);
    expect(problems.join("\n")).toMatch(/watch\.settings\.cannotCheckAfter is 0\.5: it must be/);
    expect(problems.join("\n")).toMatch(/watch\.webhookRequests\.metricsHeaders\.x token/);
  });

  it("names every problem: no notifier, a bad route, a share given as a percentage, a negative count", () => {
    const profile = valid();
    const problems = watchSectionProblems({
      ...profile,
      watch: {
        ...profile.watch,
        webhookRequests: { service: "curva", metricsPath: "metrics", route: "" },
        notifiers: {},
        settings: { errorRatioMax: 5, dlqMax: -1 },
      },
    });
    expect(problems).toEqual([
      'targets.qa: watch.webhookRequests.metricsPath is "metrics": it must be a path starting with /, e.g. /metrics.',
      'targets.qa: watch.webhookRequests.route is "": it must be the webhook receiver\'s route label, e.g. /webhooks/pasukuru.',
      "targets.qa: watch.settings.dlqMax is -1: it must be the dead-letter count that fires, a whole number from 0 to 1000000.",
      "targets.qa: watch.settings.errorRatioMax is 5: it is a share between 0 and 1 (0.05 is 5%).",
      "targets.qa: watch.notifiers names no notifier: configure slack (a webhook URL) or email (an SMTP relay), or the watch alerts no one.",
    ]);
    // The rules file needs neither notifiers nor the queue.
    const { queue: _queue, ...noQueue } = profile;
    expect(
      watchSectionProblems({ ...noQueue, watch: { ...profile.watch, notifiers: {} } }, "rules"),
    ).toEqual([]);
  });
});

describe("alertEnv", () => {
  it("reads Slack and SMTP from the environment, and keeps the secrets for scrubbing", () => {
    const env = new EnvReader({
      STAGING_ALERT_SLACK_WEBHOOK_URL: "https://hooks.slack.invalid/T/B/secret",
      STAGING_ALERT_SMTP_URL: "smtps://alerts:p%40ss@relay.example.test",
      STAGING_ALERT_EMAIL_FROM: "watch@example.test",
      STAGING_ALERT_EMAIL_TO: "a@example.test, b@example.test",
    });
    const read = alertEnv(env, (k) => `STAGING_${k}`);
    expect(env.problems).toEqual([]);
    expect(read.notifiers).toEqual({
      slack: { webhookUrl: "https://hooks.slack.invalid/T/B/secret" },
      email: {
        host: "relay.example.test",
        port: 465,
        secure: true,
        user: "alerts",
        password: "p@ss",
        from: "watch@example.test",
        to: ["a@example.test", "b@example.test"],
      },
    });
    expect(env.secrets).toEqual(
      expect.arrayContaining(["https://hooks.slack.invalid/T/B/secret", "p@ss"]),
    );
  });

  it("names a wrong SMTP URL and missing recipients", () => {
    const env = new EnvReader({ STAGING_ALERT_SMTP_URL: "mailto:x@example.test" });
    alertEnv(env, (k) => `STAGING_${k}`);
    expect(env.problems.join("\n")).toMatch(
      /STAGING_ALERT_SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
    );
    expect(env.problems.join("\n")).toMatch(/STAGING_ALERT_EMAIL_TO/);
  });
});
