import { checkUrl, jointCoreProblems } from "../lib/config/profileChecks.ts";
import type {
  JointProfile,
  TargetProfile,
  WatchSection,
  WatchSettings,
} from "../lib/config/targetProfile.ts";

/** The plan's alert: DLQ > 10 jobs, or Curva's inbound 5xx > 5% over 5 minutes; once per incident. */
export const WATCH_DEFAULTS: WatchSettings = {
  dlqMax: 10,
  errorRatioMax: 0.05,
  windowMs: 5 * 60_000,
  minRequests: 20,
  renotifyMs: 4 * 3_600_000,
  cannotCheckAfter: 3,
  keyPrefix: "harness:alerts",
  claimLeaseMs: 60_000,
  deliveryAttempts: 3,
  deliveryBackoffMs: 1000,
};

/** A profile the watch can run against. */
export type WatchTarget = JointProfile & { watch: WatchSection };

export function watchSettings(section: WatchSection): WatchSettings {
  return { ...WATCH_DEFAULTS, ...section.settings };
}

/**
 * Every problem of the profile's watch section. The rules file (`use:
 * "rules"`) needs neither the queue nor notifiers: Alertmanager routes.
 */
export function watchSectionProblems(
  profile: TargetProfile,
  use: "watch" | "rules" = "watch",
): string[] {
  const p: string[] = jointCoreProblems(profile, "watch");
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  const watch = profile.watch;
  if (watch === undefined)
    return [
      `${at("watch")} is missing: this target has no watch section (webhookRequests, notifiers). Add one, or pick another target.`,
    ];
  if (use === "watch" && profile.queue === undefined)
    p.push(
      `${at("queue")} is missing: the watch reads the dead-letter depth from the webhook queue.`,
    );
  const requests = watch.webhookRequests;
  if (requests?.service !== "pasukuru" && requests?.service !== "curva")
    p.push(
      `${at("watch.webhookRequests.service")} is ${JSON.stringify(requests?.service)}; allowed: "pasukuru", "curva".`,
    );
  if (typeof requests?.metricsPath !== "string" || !requests.metricsPath.startsWith("/"))
    p.push(
      `${at("watch.webhookRequests.metricsPath")} must be a path starting with /, e.g. /metrics.`,
    );
  if (typeof requests?.route !== "string" || requests.route === "")
    p.push(
      `${at("watch.webhookRequests.route")} must name the webhook receiver's route label, e.g. /webhooks/pasukuru.`,
    );
  if (requests?.prometheusUrl !== undefined)
    checkUrl(p, at("watch.webhookRequests.prometheusUrl"), requests.prometheusUrl, [
      "http:",
      "https:",
    ]);
  if (watch.stateRedisUrl !== undefined)
    checkUrl(p, at("watch.stateRedisUrl"), watch.stateRedisUrl, ["redis:", "rediss:"]);
  const s = watchSettings(watch);
  const positive: (keyof WatchSettings)[] = [
    "windowMs",
    "renotifyMs",
    "claimLeaseMs",
    "cannotCheckAfter",
    "deliveryAttempts",
    "deliveryBackoffMs",
  ];
  for (const key of positive)
    if (typeof s[key] !== "number" || !(Number(s[key]) > 0))
      p.push(
        `${at(`watch.settings.${key}`)} must be a positive number; it is ${JSON.stringify(s[key])}.`,
      );
  for (const key of ["dlqMax", "minRequests"] as const)
    if (!Number.isInteger(s[key]) || s[key] < 0)
      p.push(
        `${at(`watch.settings.${key}`)} must be a whole number ≥ 0; it is ${JSON.stringify(s[key])}.`,
      );
  if (!(s.errorRatioMax > 0 && s.errorRatioMax < 1))
    p.push(
      `${at("watch.settings.errorRatioMax")} is a share between 0 and 1 (0.05 is 5%); it is ${JSON.stringify(s.errorRatioMax)}.`,
    );
  if (!/^[A-Za-z0-9:_-]+$/.test(s.keyPrefix))
    p.push(`${at("watch.settings.keyPrefix")} may hold letters, digits and : _ - only.`);
  const n = watch.notifiers ?? {};
  if (use === "watch" && !n.slack && !n.email)
    p.push(
      `${at("watch.notifiers")} names no notifier: configure slack (a webhook URL) or email (an SMTP relay), or the watch alerts no one.`,
    );
  if (n.slack)
    checkUrl(p, at("watch.notifiers.slack.webhookUrl"), n.slack.webhookUrl, ["https:", "http:"]);
  if (n.email) {
    if (typeof n.email.host !== "string" || n.email.host === "")
      p.push(`${at("watch.notifiers.email.host")} is missing: the SMTP relay's host.`);
    if (!Number.isInteger(n.email.port) || n.email.port <= 0 || n.email.port > 65_535)
      p.push(`${at("watch.notifiers.email.port")} must be a port number.`);
    if (typeof n.email.from !== "string" || !n.email.from.includes("@"))
      p.push(`${at("watch.notifiers.email.from")} must be an email address.`);
    if (
      !Array.isArray(n.email.to) ||
      n.email.to.length === 0 ||
      !n.email.to.every((a) => a.includes("@"))
    )
      p.push(`${at("watch.notifiers.email.to")} must list at least one email address.`);
  }
  return p;
}
