import { setTimeout as sleep } from "node:timers/promises";
import type { OpenTarget } from "../lib/config/openTarget.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { redactSecrets } from "../lib/redact.ts";
import { checkOnce } from "../watch/checkOnce.ts";
import { deliver, notifiersOf } from "../watch/notifiers.ts";
import { type WatchTarget, watchSettings } from "../watch/watchSection.ts";
import { testNotificationSummary, watchSummary } from "../watch/watchSummary.ts";
import type { CliOptions } from "./commandLine.ts";

/**
 * `harness watch`: one check (--once, the default), or one every --every
 * until --for has passed or a signal; `--test-notification` sends a marked
 * test message through every notifier instead. Prints each check; exits
 * with the last check's code (0 ok, 1 an alert is firing, 3 unreachable).
 */
export async function watchCommand(
  target: OpenTarget,
  options: CliOptions,
  signal: AbortSignal,
): Promise<number> {
  const profile = target.profile as WatchTarget;
  const print = (text: string) => process.stdout.write(redactSecrets(text, profile.secrets));
  const connections = new TargetConnections(profile);
  const notifiers = notifiersOf(
    profile.watch.notifiers,
    connections.http,
    options.requestTimeoutMs,
  );
  try {
    if (options.watch.testNotification) {
      const settings = watchSettings(profile.watch);
      const at = new Date().toISOString();
      const list = await deliver(
        notifiers,
        {
          kind: "TEST",
          rule: "test",
          title: "test notification: alerts reach this channel",
          target: profile.name,
          observed: "",
          threshold: "",
          at,
          links: profile.watch.links ?? {},
        },
        { attempts: settings.deliveryAttempts, backoffMs: settings.deliveryBackoffMs },
      );
      print(testNotificationSummary(profile.name, list));
      if (list.length === 0) return exitCodeFor("usageOrConfig");
      return exitCodeFor(list.every((d) => d.delivered) ? "pass" : "targetUnreachable");
    }
    const state = profile.watch.stateRedisUrl
      ? connections.redisAt(profile.watch.stateRedisUrl)
      : connections.redis;
    const stopAt = Date.now() + options.watch.forMs;
    for (;;) {
      const check = await checkOnce({
        profile,
        connections,
        state,
        notifiers,
        timeoutMs: options.requestTimeoutMs,
      });
      print(watchSummary(check));
      const everyMs = options.watch.everyMs;
      if (everyMs === undefined || signal.aborted)
        return exitCodeFor(signal.aborted ? "interrupted" : check.outcome);
      if (Date.now() + everyMs > stopAt) {
        print(`watch: --for has passed; stopping (a scheduler starts the next watch)\n`);
        return exitCodeFor(check.outcome);
      }
      try {
        await sleep(everyMs, undefined, { signal });
      } catch {
        return exitCodeFor("interrupted");
      }
    }
  } finally {
    await connections.close();
  }
}
