import type { CheckResult, RunResult, ThresholdResult } from "../result/runResult.ts";
import type { ScenarioResult } from "../result/scenarioResult.ts";
import {
  coverageNote,
  ENDPOINT_COLUMNS,
  endpointCells,
  modelText,
  formatMs as ms,
  formatObserved as observed,
  RUNNER_COLUMNS,
  runnerCells,
} from "./formatFigures.ts";

/** A table cell: pipes escaped, lines joined, so a cell never breaks the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: string,
): string[] {
  return [row(header), align ?? `|${header.map(() => "---").join("|")}|`, ...rows.map(row)];
}

const MARK: Record<CheckResult["status"], string> = {
  passed: "✅ pass",
  failed: "❌ FAIL",
  error: "⚠️ could not judge",
  skipped: "⏭ skip",
};

function verdictLine(result: RunResult): string {
  const verdicts = [...result.checks, ...result.thresholds];
  const failed = verdicts.filter((v) => v.status === "failed").length;
  const took = ms(result.durationMs);
  if (result.outcome === "pass")
    return `✅ **PASS**: all ${verdicts.length} checks and thresholds passed in ${took}.`;
  if (result.outcome === "interrupted")
    return `⏹ **INTERRUPTED** after ${took}: the run was stopped before it finished; no verdict.`;
  if (result.outcome === "incomplete")
    return `⏹ **INCOMPLETE**: the runners' shards do not make the whole run (missing, duplicated, partial or of another plan); no verdict.`;
  if (result.outcome === "targetUnreachable")
    return `⚠️ **COULD NOT JUDGE** (${took}): a dependency of the harness failed mid-run; no verdict on the target.`;
  return `❌ **FAIL**: ${failed} of ${verdicts.length} checks and thresholds failed (${took}).`;
}

/** What failed, one line each with what was expected, what was seen and the likely cause. */
function failures(result: RunResult): string[] {
  const lines: string[] = [];
  for (const c of result.checks.filter((x) => x.status === "failed" || x.status === "error")) {
    lines.push(
      `- **${c.name}**: expected ${c.expected}; observed ${c.observed}.${c.hint ? ` ${c.hint}` : ""}`,
    );
    // What was sent and seen, as sent: a code block keeps headers and bodies literal.
    if (c.evidence && c.evidence.length > 0)
      lines.push(
        "",
        "  ```text",
        ...c.evidence.map((l) => `  ${l.replaceAll("```", "'''")}`),
        "  ```",
      );
  }
  for (const t of result.thresholds.filter((x) => x.status === "failed" || x.status === "error")) {
    lines.push(
      `- **${t.name}**: \`${t.metric}\` must be \`${t.condition}\`; observed ${observed(t)}.${t.hint ? ` ${t.hint}` : ""}`,
    );
  }
  return lines.length > 0 ? ["## Why it failed", "", ...lines, ""] : [];
}

function checksSection(checks: readonly CheckResult[]): string[] {
  if (checks.length === 0) return [];
  return [
    "## Checks",
    "",
    ...table(
      ["check", "result", "took", "observed"],
      checks.map((c) => [
        c.name,
        MARK[c.status],
        c.status === "skipped" ? "—" : ms(c.durationMs),
        c.observed,
      ]),
      "|---|---|---:|---|",
    ),
    "",
  ];
}

function thresholdsSection(thresholds: readonly ThresholdResult[]): string[] {
  if (thresholds.length === 0) return [];
  return [
    "## Thresholds",
    "",
    ...table(
      ["threshold", "metric", "limit", "observed", "result"],
      thresholds.map((t) => [
        t.name,
        `\`${t.metric}\``,
        `\`${t.condition}\``,
        observed(t),
        MARK[t.status],
      ]),
      "|---|---|---|---:|---|",
    ),
    "",
  ];
}

function scenarioSection(s: ScenarioResult): string[] {
  const model = modelText(s.model);
  const lines = [
    `### ${s.name} · ${model} · ${(s.durationMs / 1000).toFixed(1)} s · ${s.engine.name}`,
    "",
    ...table(
      [...ENDPOINT_COLUMNS],
      s.endpoints.map((e) => endpointCells(e)),
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ),
    "",
  ];
  for (const p of s.pools) {
    lines.push(
      `- ${p.service} pool: at most ${p.maxInUse} of ${p.max ?? "?"} connections in use, ${p.maxWaiting === null ? "waiting not measured" : `${p.maxWaiting} callers waiting`}, ${p.checkoutTimeouts === null ? "checkout timeouts not measured" : `${p.checkoutTimeouts} checkout timeouts`}${p.slowCheckouts === null ? "" : `, ${p.slowCheckouts} checkouts waited over 1 s`}${coverageNote(p)}`,
    );
  }
  if (s.connectionRamp) {
    const r = s.connectionRamp;
    lines.push(
      `- connections: ${r.answered}/${r.connections} answered; first answer p50 ${ms(r.firstAnswerP50Ms)}, p99 ${ms(r.firstAnswerP99Ms)}`,
    );
  }
  if (s.dropped > 0) lines.push(`- ${s.dropped} scheduled starts dropped`);
  if (s.runners) {
    lines.push(
      "",
      `Merged from ${s.runners.length} runner${s.runners.length === 1 ? "" : "s"} (the figures above are the whole's, added exactly):`,
      "",
      ...table(
        [...RUNNER_COLUMNS],
        s.runners.map(runnerCells),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
      ),
      "",
    );
  }
  if (s.generator.generatorBound)
    lines.push(
      `- ⚠ generator-bound (${s.generator.reason}): latency includes the generator's own delay`,
    );
  lines.push("");
  return lines;
}

/**
 * The run as Markdown: for a CI job summary (`$GITHUB_STEP_SUMMARY`) or a PR
 * comment. The verdict first, then why it failed, then the evidence.
 */
export function markdownReport(result: RunResult): string {
  const env = result.environment;
  const lines = [
    `# ${result.suite} · ${result.target.name}${result.target.production ? " (production)" : ""}`,
    "",
    verdictLine(result),
    "",
    `Run \`${result.runId}\`, ${result.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}.`,
    "",
    ...failures(result),
    ...checksSection(result.checks),
    ...thresholdsSection(result.thresholds),
    ...(result.scenarios.length > 0
      ? ["## Scenarios", "", ...result.scenarios.flatMap(scenarioSection)]
      : []),
    "## Run",
    "",
    `- target: ${result.target.name}${
      Object.keys(result.target.versions).length > 0
        ? ` (${Object.entries(result.target.versions)
            .map(([service, version]) => `${service} ${version}`)
            .join(", ")})`
        : " (its services report no version)"
    }`,
    `- cleanup: ${result.cleanup.status} (${result.cleanup.detail})`,
    `- options: ${Object.entries(result.options)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
    `- harness ${env.harnessVersion}${env.gitCommit ? ` (${env.gitCommit.slice(0, 12)})` : ""}, Node ${env.node}, ${env.platform}, host ${env.hostname}${env.ci ? ", CI" : ""}`,
    "",
  ];
  return lines.join("\n");
}
