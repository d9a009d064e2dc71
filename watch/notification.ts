import type { RuleName } from "./alertRules.ts";

/** What one notification says; every notifier renders it its own way. */
export interface Notification {
  kind: "FIRING" | "REMINDER" | "RESOLVED" | "TEST";
  rule: RuleName | "test";
  title: string;
  target: string;
  observed: string;
  threshold: string;
  /** When the incident began (ISO). */
  since?: string;
  at: string;
  links: { board?: string; signoff?: string };
}

const EMOJI: Record<Notification["kind"], string> = {
  FIRING: "🔴",
  REMINDER: "🔴",
  RESOLVED: "✅",
  TEST: "🧪",
};

export function headline(n: Notification): string {
  const kind = n.kind === "REMINDER" ? "FIRING (reminder)" : n.kind;
  return `${kind} · ${n.target} · ${n.title}`;
}

function duration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** The lines every rendering shares, in order. */
function notificationLines(n: Notification): string[] {
  const lines = [
    n.kind === "TEST"
      ? "This is a test notification from `harness watch --test-notification`: no alert is firing."
      : `Observed: ${n.observed} (threshold ${n.threshold}).`,
  ];
  if (n.since && n.kind !== "TEST")
    lines.push(
      n.kind === "RESOLVED"
        ? `Lasted ${duration(n.since, n.at)}, since ${n.since}.`
        : `Since ${n.since} (${duration(n.since, n.at)}).`,
    );
  if (n.links.board) lines.push(`DLQ board: ${n.links.board}`);
  if (n.links.signoff) lines.push(`Latest sign-off: ${n.links.signoff}`);
  lines.push(`Checked at ${n.at}.`);
  return lines;
}

/** A Slack incoming-webhook message (Block Kit), with a plain-text fallback. */
export function slackMessage(n: Notification): unknown {
  const links = [
    n.links.board ? `<${n.links.board}|DLQ board>` : undefined,
    n.links.signoff ? `<${n.links.signoff}|latest sign-off>` : undefined,
  ].filter(Boolean);
  const fields = [
    { type: "mrkdwn", text: `*Target*\n${n.target}` },
    { type: "mrkdwn", text: `*Rule*\n${n.rule}` },
  ];
  if (n.kind !== "TEST") {
    fields.push({ type: "mrkdwn", text: `*Observed*\n${n.observed}` });
    fields.push({ type: "mrkdwn", text: `*Threshold*\n${n.threshold}` });
    if (n.since)
      fields.push({ type: "mrkdwn", text: `*Since*\n${n.since} (${duration(n.since, n.at)})` });
  }
  return {
    text: `${EMOJI[n.kind]} ${headline(n)}`,
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: `${EMOJI[n.kind]} ${headline(n)}`.slice(0, 150) },
      },
      ...(n.kind === "TEST"
        ? [{ type: "section", text: { type: "mrkdwn", text: notificationLines(n)[0] } }]
        : []),
      { type: "section", fields },
      ...(links.length > 0
        ? [{ type: "context", elements: [{ type: "mrkdwn", text: links.join(" · ") }] }]
        : []),
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `Checked at ${n.at} by harness watch` }],
      },
    ],
  };
}

export function emailMessage(n: Notification): { subject: string; text: string } {
  return {
    subject: `[${n.kind === "REMINDER" ? "FIRING" : n.kind}] ${n.target}: ${n.title}`,
    text: `${headline(n)}\n\n${notificationLines(n).join("\n")}\n\nSent by harness watch.\n`,
  };
}
