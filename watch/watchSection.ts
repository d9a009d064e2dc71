import { jointCoreProblems } from "../lib/config/jointCoreProblems.ts";
import { schemaProblems } from "../lib/config/schemas/schemaProblems.ts";
import { watchSectionSchema } from "../lib/config/schemas/watchSchema.ts";
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
  p.push(
    ...schemaProblems(watchSectionSchema, watch, `targets.${profile.name}`, "watch", {
      // The rules file needs no notifiers: Alertmanager routes.
      keep: (issue) => use === "watch" || issue.path.join(".") !== "notifiers",
    }),
  );
  const n = watch.notifiers ?? {};
  if (use === "watch" && !n.slack && !n.email)
    p.push(
      `${at("watch.notifiers")} names no notifier: configure slack (a webhook URL) or email (an SMTP relay), or the watch alerts no one.`,
    );
  return p;
}
