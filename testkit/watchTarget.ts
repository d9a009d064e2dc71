import { randomUUID } from "node:crypto";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import type { QueueSpec, WatchSettings } from "../lib/config/targetProfile.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { stackProfile } from "../targets/localTarget.ts";
import { WEBHOOK_ROUTE } from "../targets/referenceParts.ts";
import { checkOnce, type WatchCheck } from "../watch/checkOnce.ts";
import { notifiersOf } from "../watch/notifiers.ts";
import type { WatchTarget } from "../watch/watchSection.ts";
import type { MailReceiver, SlackReceiver } from "./alertReceivers.ts";

/**
 * Test support for the watch: a stack's profile with a watch section (its
 * own alert-key prefix), a clock the test moves, one check, and cleanup of
 * the keys it left.
 */

export const MIN = 60_000;

/** A clock the test moves: checks "five minutes apart" without waiting five minutes. */
export function clock(start = Date.parse("2026-11-23T04:00:00Z")) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

export function watchProfile(
  stack: StackHandle,
  receivers: { slack?: SlackReceiver; mail?: MailReceiver },
  settings: Partial<WatchSettings> = {},
  curvaUrl?: string,
): WatchTarget {
  const profile = stackProfile(stack) as WatchTarget;
  const { slack, mail } = receivers;
  profile.name = "stack";
  if (curvaUrl)
    profile.services = { ...profile.services, curva: { url: curvaUrl, healthPath: "/health" } };
  profile.watch = {
    webhookRequests: {
      service: "curva",
      metricsPath: "/metrics",
      metricsHeaders: { authorization: `Bearer ${stack.secrets.metricsToken}` },
      route: WEBHOOK_ROUTE,
    },
    settings: { keyPrefix: `test:alerts:${randomUUID()}`, deliveryBackoffMs: 10, ...settings },
    notifiers: {
      ...(slack ? { slack: { webhookUrl: slack.url } } : {}),
      ...(mail
        ? {
            email: {
              host: mail.host,
              port: mail.port,
              secure: false,
              user: mail.user,
              password: mail.password,
              from: "watch@example.test",
              to: ["oncall@example.test"],
            },
          }
        : {}),
    },
    links: { board: "http://127.0.0.1/admin/queues" },
  };
  return profile;
}

export function queueOf(profile: WatchTarget): QueueSpec {
  if (!profile.queue) throw new Error("the stack's profile has a queue");
  return profile.queue;
}

/** One watch round against the test's profile and clock ("check" means a smoke check elsewhere). */
export function watchOnce(
  profile: WatchTarget,
  connections: TargetConnections,
  now: () => number,
): Promise<WatchCheck> {
  return checkOnce({
    profile,
    connections,
    state: connections.redis,
    notifiers: notifiersOf(profile.watch.notifiers, connections.http, 2_000),
    timeoutMs: 2_000,
    now,
  });
}

export async function cleanKeys(
  connections: TargetConnections,
  profile: WatchTarget,
): Promise<void> {
  const keys = await connections.redis.keys(`${profile.watch.settings?.keyPrefix}:*`);
  if (keys.length > 0) await connections.redis.del(...keys);
}
