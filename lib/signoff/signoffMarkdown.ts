import { formatObserved } from "../report/formatFigures.ts";
import type { Change } from "./baselineComparison.ts";
import { type Signoff, signoffSubject } from "./signoff.ts";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function changeText(c: Change, digits: number, unit = ""): string {
  const figures = `${c.baseline.toFixed(digits)} → ${c.current.toFixed(digits)}${unit}`;
  return c.change === null
    ? figures
    : `${figures} (${c.change >= 0 ? "+" : ""}${(c.change * 100).toFixed(0)}%)`;
}

/**
 * The sign-off as Markdown, for the release page and a CI job summary: the
 * verdict on the first line, then every reason, then the evidence.
 */
export function signoffMarkdown(signoff: Signoff): string {
  const env = signoff.environment;
  const go = signoff.verdict === "GO";
  const versions = Object.entries(env.targetVersions)
    .map(([service, version]) => `${service} ${version}`)
    .join(", ");
  const lines = [
    go ? `# ✅ GO: ${signoffSubject(signoff)}` : `# ❌ NO-GO: ${signoffSubject(signoff)}`,
    "",
    go
      ? "Every smoke check and every load threshold passed; nothing required is missing."
      : `${signoff.reasons.length} reason${signoff.reasons.length === 1 ? "" : "s"}:`,
    "",
    ...signoff.reasons.map((r) => `- ${r}`),
    ...(signoff.reasons.length > 0 ? [""] : []),
    ...(signoff.warnings.length > 0
      ? ["Warnings:", "", ...signoff.warnings.map((w) => `- ⚠ ${w}`), ""]
      : []),
    "## Thresholds",
    "",
    row(["threshold", "metric", "limit", "observed", "result", "run"]),
    "|---|---|---|---:|---|---|",
    ...signoff.thresholds.map((t) =>
      row([
        t.name,
        `\`${t.metric}\``,
        `\`${t.condition}\``,
        formatObserved(t),
        t.status === "passed" ? "✅ pass" : "❌ FAIL",
        t.runId,
      ]),
    ),
    "",
    ...(signoff.probes.length > 0
      ? [
          "## Probes",
          "",
          row(["probe", "result", "observed", "run"]),
          "|---|---|---|---|",
          ...signoff.probes.map((c) =>
            row([
              c.name,
              c.status === "passed"
                ? "✅ pass"
                : c.status === "failed"
                  ? "❌ FAIL"
                  : "⏭ not judged",
              c.observed,
              c.runId,
            ]),
          ),
          "",
        ]
      : []),
    "## Smoke checks",
    "",
    row(["check", "result", "observed"]),
    "|---|---|---|",
    ...signoff.checks.map((c) =>
      row([
        c.name,
        c.status === "passed" ? "✅ pass" : c.status === "failed" ? "❌ FAIL" : "⏭ skip",
        c.observed,
      ]),
    ),
    "",
  ];
  if (signoff.comparison.length > 0) {
    lines.push(
      `## Against the baseline (${signoff.baselineRunIds.join(", ")})`,
      "",
      row(["scenario", "endpoint", "p95 ms", "req/s", "error rate %", ""]),
      "|---|---|---:|---:|---:|---|",
      ...signoff.comparison.map((c) =>
        row([
          c.scenario,
          c.endpoint,
          changeText(c.p95Ms, 0),
          changeText(c.requestsPerSec, 0),
          changeText(
            {
              ...c.errorRate,
              baseline: c.errorRate.baseline * 100,
              current: c.errorRate.current * 100,
            },
            2,
          ),
          c.regressions.length > 0 ? "⚠ regression" : "",
        ]),
      ),
      "",
    );
  }
  lines.push(
    "## Environment",
    "",
    ...(signoff.release ? [`- release: ${signoff.release}`] : []),
    `- target: ${env.target}${env.production ? " (production)" : ""}${versions ? `; ${versions}` : "; its services report no version"}`,
    `- harness ${env.harnessVersion}${env.gitCommit ? ` (${env.gitCommit.slice(0, 12)})` : ""}; engines: ${env.engines.join(", ") || "none"}`,
    ...env.runs.map((r) => `- ${r.suite} run \`${r.runId}\`, ${r.startedAt}, ${r.outcome}`),
    `- signed off ${signoff.createdAt}`,
    "",
  );
  return lines.join("\n");
}
