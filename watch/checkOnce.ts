import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { deadLetterCount } from "../lib/drivers/webhookJobProbe.ts";
import { describeError } from "../lib/errors.ts";
import {
  judgeCannotCheck,
  judgeDeadLetters,
  judgeErrorRate,
  type RuleOutcome,
} from "./alertRules.ts";
import { AlertState, type Transition } from "./alertState.ts";
import type { Notification } from "./notification.ts";
import { type Delivery, deliver, type Notifier } from "./notifiers.ts";
import { type WatchTarget, watchSettings } from "./watchSection.ts";
import { readWebhookErrorRate } from "./webhookErrorRate.ts";

/** A notification this check sent (or tried to), and whether the alert state advanced. */
export interface SentNotification {
  notification: Notification;
  deliveries: Delivery[];
  /** The state advanced: at least one notifier delivered it. */
  committed: boolean;
}

export interface WatchCheck {
  target: string;
  at: string;
  outcomes: RuleOutcome[];
  sent: SentNotification[];
  /** Why the sources could not be read, when they could not. */
  problem?: string;
  /** pass: nothing breached · checksFailed: an alert is firing · targetUnreachable: a source, the alert state or every notifier failed. */
  outcome: "pass" | "checksFailed" | "targetUnreachable";
}

const KIND: Record<Transition, Notification["kind"]> = {
  fire: "FIRING",
  remind: "REMINDER",
  resolve: "RESOLVED",
};

/** Consecutive failed checks are counted this long; a watch stopped for a week starts again at zero. */
const FAILURES_TTL_MS = 7 * 24 * 3_600_000;

/**
 * One check of a target: reads the dead-letter depth and Curva's webhook 5xx
 * rate, judges the rules, and sends what the shared alert state says is due
 * (a FIRING once per incident, one reminder, a RESOLVED). A check that
 * cannot read its sources counts toward one "cannot check" alert.
 */
export async function checkOnce(input: {
  profile: WatchTarget;
  connections: TargetConnections;
  /** Where alert state lives (the queue's Redis unless the profile names another). */
  state: Redis;
  notifiers: readonly Notifier[];
  timeoutMs: number;
  now?: () => number;
}): Promise<WatchCheck> {
  const { profile, connections, state } = input;
  const now = input.now ?? Date.now;
  const settings = watchSettings(profile.watch);
  const keyBase = `${settings.keyPrefix}:${profile.name}`;
  const at = now();
  const base = { target: profile.name, at: new Date(at).toISOString() };

  let outcomes: RuleOutcome[];
  let problem: string | undefined;
  try {
    const queue = profile.queue;
    if (!queue) throw new Error("the profile has no queue");
    const [depth, rate] = await Promise.all([
      deadLetterCount(connections, queue),
      readWebhookErrorRate({
        section: profile.watch,
        settings,
        serviceUrl: profile.services[profile.watch.webhookRequests.service].url,
        http: connections.http,
        state,
        keyBase,
        now: at,
        timeoutMs: input.timeoutMs,
      }),
    ]);
    outcomes = [judgeDeadLetters(depth, settings), judgeErrorRate(rate, settings)];
  } catch (error) {
    problem = describeError(error);
    outcomes = [];
  }

  const alerts = new AlertState(state, {
    renotifyMs: settings.renotifyMs,
    leaseMs: settings.claimLeaseMs,
  });
  const sent: SentNotification[] = [];
  try {
    const failuresKey = `${keyBase}:cannot-check:failures`;
    let failures = 0;
    if (problem !== undefined) {
      failures = await state.incr(failuresKey);
      await state.pexpire(failuresKey, FAILURES_TTL_MS);
    } else await state.del(failuresKey);
    outcomes.push(judgeCannotCheck(failures, problem, settings));

    for (const outcome of outcomes) {
      if (outcome.breached === null) continue;
      const key = `${keyBase}:${outcome.rule}`;
      const claim = await alerts.claim(key, outcome.breached, now(), randomUUID());
      if (!claim) continue;
      const notification: Notification = {
        kind: KIND[claim.transition],
        rule: outcome.rule,
        title: outcome.title,
        target: profile.name,
        observed: outcome.observed,
        threshold: outcome.threshold,
        since: new Date(claim.since).toISOString(),
        at: new Date(now()).toISOString(),
        links: profile.watch.links ?? {},
      };
      const deliveries = await deliver(input.notifiers, notification, {
        attempts: settings.deliveryAttempts,
        backoffMs: settings.deliveryBackoffMs,
      });
      const delivered = deliveries.some((d) => d.delivered);
      if (delivered) await alerts.commit(key, claim, now());
      else await alerts.release(key, claim);
      sent.push({ notification, deliveries, committed: delivered });
    }
  } catch (error) {
    // The alert state itself is out of reach: nothing can be decided or sent.
    const stateProblem = `alert state in Redis: ${describeError(error)}`;
    return {
      ...base,
      outcomes,
      sent,
      problem: problem ? `${problem}; ${stateProblem}` : stateProblem,
      outcome: "targetUnreachable",
    };
  }

  const undelivered = sent.some((s) => !s.committed);
  const firing = outcomes.some((o) => o.breached === true);
  return {
    ...base,
    outcomes,
    sent,
    ...(problem !== undefined ? { problem } : {}),
    outcome:
      problem !== undefined || undelivered ? "targetUnreachable" : firing ? "checksFailed" : "pass",
  };
}
