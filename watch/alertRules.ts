import type { WatchSettings } from "../lib/config/targetProfile.ts";
import type { RateReading } from "./webhookErrorRate.ts";

/**
 * The alert rules, as data: the watch judges them, and the Prometheus rules
 * file is written from them (prometheusRules.ts), so both kinds of teams
 * alert on one definition.
 */

export type RuleName = "webhook-dlq" | "webhook-5xx" | "cannot-check";

export interface RuleDefinition {
  name: RuleName;
  /** The Prometheus alert name. */
  alert: string;
  title: (s: WatchSettings) => string;
  description: string;
}

export const ALERT_RULES: Record<RuleName, RuleDefinition> = {
  "webhook-dlq": {
    name: "webhook-dlq",
    alert: "CurvaWebhookDeadLetters",
    title: (s) => `Webhook dead-letter queue above ${s.dlqMax} jobs`,
    description:
      "Pasukuru's order webhooks to Curva are failing for good: jobs that used up their retries are piling up in the dead-letter queue.",
  },
  "webhook-5xx": {
    name: "webhook-5xx",
    alert: "CurvaWebhook5xxRate",
    title: (s) =>
      `Curva answers over ${formatShare(s.errorRatioMax)} of webhooks with 5xx (${Math.round(s.windowMs / 60_000)} min)`,
    description:
      "Curva's webhook receiver is failing: Pasukuru's deliveries will retry, and then dead-letter.",
  },
  "cannot-check": {
    name: "cannot-check",
    alert: "CurvaWebhookWatchBlind",
    title: (s) => `The webhook watch cannot check (${s.cannotCheckAfter} checks in a row)`,
    description:
      "The watch could not read the dead-letter queue or Curva's counters: it cannot tell whether webhooks work. Silence is not health.",
  },
};

export function formatShare(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))}%`;
}

/** One rule's judgement at one check. `breached: null` is no judgement (not enough data). */
export interface RuleOutcome {
  rule: RuleName;
  title: string;
  breached: boolean | null;
  observed: string;
  threshold: string;
}

export function judgeDeadLetters(depth: number, s: WatchSettings): RuleOutcome {
  return {
    rule: "webhook-dlq",
    title: ALERT_RULES["webhook-dlq"].title(s),
    breached: depth > s.dlqMax,
    observed: `${depth} job${depth === 1 ? "" : "s"} in the dead-letter queue`,
    threshold: `> ${s.dlqMax} jobs`,
  };
}

export function judgeErrorRate(reading: RateReading, s: WatchSettings): RuleOutcome {
  const base = {
    rule: "webhook-5xx" as const,
    title: ALERT_RULES["webhook-5xx"].title(s),
    threshold: `> ${formatShare(s.errorRatioMax)} of at least ${s.minRequests} requests over ${Math.round(s.windowMs / 60_000)} min`,
  };
  if (reading.kind === "warmingUp")
    return {
      ...base,
      breached: null,
      observed: `no judgement yet: a rate needs a counter reading from about ${Math.round(s.windowMs / 1000)} s ago, and there is none (the first check, or the watch was stopped); this check's reading serves the next`,
    };
  const share = reading.ratio === null ? "no requests" : formatShare(reading.ratio);
  const counted = `${reading.errors5xx} of ${reading.requests} webhook requests answered 5xx (${share}) over ${reading.windowSec} s${reading.resets > 0 ? `; ${reading.resets} counter reset(s) (a restart) counted from zero` : ""}`;
  if (reading.requests < s.minRequests)
    return {
      ...base,
      breached: null,
      observed: `${counted}: fewer than ${s.minRequests} requests, no judgement`,
    };
  return { ...base, breached: (reading.ratio ?? 0) > s.errorRatioMax, observed: counted };
}

export function judgeCannotCheck(
  failures: number,
  problem: string | undefined,
  s: WatchSettings,
): RuleOutcome {
  return {
    rule: "cannot-check",
    title: ALERT_RULES["cannot-check"].title(s),
    breached: failures >= s.cannotCheckAfter,
    observed:
      failures === 0
        ? "the last check read every source"
        : `${failures} check(s) in a row could not read their sources${problem ? `: ${problem}` : ""}`,
    threshold: `${s.cannotCheckAfter} failed checks in a row`,
  };
}
