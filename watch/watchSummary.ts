import type { WatchCheck } from "./checkOnce.ts";
import { headline } from "./notification.ts";
import type { Delivery } from "./notifiers.ts";

function deliveries(list: readonly Delivery[]): string {
  if (list.length === 0) return "no notifier configured";
  return list
    .map((d) =>
      d.delivered
        ? `${d.notifier} delivered${d.attempts > 1 ? ` (attempt ${d.attempts})` : ""}`
        : `${d.notifier} FAILED after ${d.attempts} attempt(s): ${d.error}`,
    )
    .join("; ");
}

/** One check as console lines: each rule's state, what was sent, and the verdict last. */
export function watchSummary(check: WatchCheck): string {
  const lines = [`watch · target ${check.target} · ${check.at}`];
  if (check.problem) lines.push(`  CANNOT CHECK  ${check.problem}`);
  for (const o of check.outcomes) {
    const state = o.breached === true ? "BREACHED" : o.breached === false ? "ok" : "—";
    lines.push(
      `  ${state.padEnd(8)}  ${o.rule.padEnd(12)}  ${o.observed} (alert when ${o.threshold})`,
    );
  }
  for (const s of check.sent) {
    lines.push(`  sent: ${headline(s.notification)} → ${deliveries(s.deliveries)}`);
    if (!s.committed)
      lines.push(
        "        not delivered anywhere: the alert state did not advance; the next check sends it again",
      );
  }
  const verdict =
    check.outcome === "pass"
      ? "OK: nothing breached"
      : check.outcome === "checksFailed"
        ? `ALERT: ${check.outcomes
            .filter((o) => o.breached === true)
            .map((o) => o.rule)
            .join(", ")} breached`
        : "UNREACHABLE: a source, the alert state or every notifier could not be reached";
  lines.push(verdict);
  return `${lines.join("\n")}\n`;
}

export function testNotificationSummary(target: string, list: readonly Delivery[]): string {
  if (list.length === 0)
    return `watch --test-notification · target ${target}: no notifier is configured (watch.notifiers: slack, email)\n`;
  const failed = list.filter((d) => !d.delivered);
  return `watch --test-notification · target ${target}: ${deliveries(list)}\n${failed.length === 0 ? "OK: every notifier delivered the test message" : `FAILED: ${failed.map((d) => d.notifier).join(", ")} did not deliver it`}\n`;
}
