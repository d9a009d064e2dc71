import { stringify } from "yaml";
import { ALERT_RULES, formatShare } from "./alertRules.ts";
import { type WatchTarget, watchSettings } from "./watchSection.ts";

/**
 * The watch's two rules as a Prometheus alerting rules file, for teams with
 * Alertmanager (which deduplicates and routes; the cron watch is for teams
 * with only Redis). Same thresholds, same window, from the same settings.
 */

/** The reference Pasukuru's gauge of dead-lettered webhook jobs (the queue's failed set). */
const DEFAULT_DEAD_LETTER_SERIES = 'webhook_queue_jobs{state="failed"}';

/** `series` with extra label matchers added. */
function withMatchers(series: string, matchers: string): string {
  if (!matchers) return series;
  return series.endsWith("}") ? `${series.slice(0, -1)},${matchers}}` : `${series}{${matchers}}`;
}

/** How long a breach must last before Prometheus fires (the plan's 5 minutes). */
const FOR = "5m";

export function prometheusRules(profile: WatchTarget): string {
  const s = watchSettings(profile.watch);
  const route = profile.watch.webhookRequests.route;
  const matchers = profile.watch.prometheus?.selector ?? "";
  const extra = matchers ? `,${matchers}` : "";
  const dlqSeries = withMatchers(
    profile.watch.prometheus?.deadLetterSeries ?? DEFAULT_DEAD_LETTER_SERIES,
    matchers,
  );
  const window = `${Math.round(s.windowMs / 1000)}s`;
  const requests = `sum(increase(http_requests_total{route=${JSON.stringify(route)}${extra}}[${window}]))`;
  const errors = `sum(increase(http_requests_total{route=${JSON.stringify(route)},status=~"5.."${extra}}[${window}]))`;
  const labels = (rule: string) => ({ severity: "page", target: profile.name, rule });
  const links = profile.watch.links ?? {};
  const linkAnnotations = {
    ...(links.board ? { board: links.board } : {}),
    ...(links.signoff ? { signoff: links.signoff } : {}),
  };
  const dlq = ALERT_RULES["webhook-dlq"];
  const rate = ALERT_RULES["webhook-5xx"];
  const doc = {
    groups: [
      {
        name: `curva-pasukuru-webhooks-${profile.name}`,
        rules: [
          {
            alert: dlq.alert,
            expr: `max(${dlqSeries}) > ${s.dlqMax}`,
            for: FOR,
            labels: labels(dlq.name),
            annotations: {
              summary: `${dlq.title(s)} (${profile.name})`,
              description: `${dlq.description} Observed: {{ $value }} jobs (alert above ${s.dlqMax}).`,
              ...linkAnnotations,
            },
          },
          {
            alert: rate.alert,
            expr: `(${errors} / ${requests}) > ${s.errorRatioMax} and ${requests} >= ${s.minRequests}`,
            for: FOR,
            labels: labels(rate.name),
            annotations: {
              summary: `${rate.title(s)} (${profile.name})`,
              description: `${rate.description} Observed: {{ $value | humanizePercentage }} of webhook requests answered 5xx over ${window} (alert above ${formatShare(s.errorRatioMax)} of at least ${s.minRequests} requests).`,
              ...linkAnnotations,
            },
          },
        ],
      },
    ],
  };
  return `# Written by \`pnpm harness alerts:rules --target ${profile.name}\` from the watch's settings; do not edit by hand.\n${stringify(doc, { lineWidth: 0 })}`;
}
