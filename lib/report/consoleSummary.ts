import type { CheckResult, RunResult } from "./runResult.ts";

const COLORS = {
  green: "\u001b[32m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  dim: "\u001b[2m",
  reset: "\u001b[0m",
};

type Paint = (color: keyof typeof COLORS, text: string) => string;

function painter(useColor: boolean): Paint {
  return useColor
    ? (color, text) => `${COLORS[color]}${text}${COLORS.reset}`
    : (_color, text) => text;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function checkLine(check: CheckResult, paint: Paint, width: number): string[] {
  const mark =
    check.status === "passed"
      ? paint("green", "PASS")
      : check.status === "failed"
        ? paint("red", "FAIL")
        : paint("yellow", "SKIP");
  const lines = [
    `  ${mark}  ${check.name.padEnd(width)}  ${formatMs(check.durationMs).padStart(8)}  ${check.observed}`,
  ];
  const indent = `        ${" ".repeat(width)}  ${"".padStart(8)}  `;
  // A skipped check has nothing to compare; its hint says why it did not run.
  if (check.status === "failed") lines.push(`${indent}expected: ${check.expected}`);
  if (check.status !== "passed" && check.hint)
    lines.push(`${indent}${paint("dim", `hint: ${check.hint}`)}`);
  return lines;
}

/** The console summary: run id, one line per check with its duration, the verdict last. Returns text. */
export function consoleSummary(
  result: RunResult,
  options: { color: boolean; reportDir?: string },
): string {
  const paint = painter(options.color);
  const width = Math.max(...result.checks.map((c) => c.name.length), 10);
  const failed = result.checks.filter((c) => c.status === "failed").length;
  const skipped = result.checks.filter((c) => c.status === "skipped").length;
  const lines = [
    `smoke · target ${result.target} · run ${result.runId} · phase ${result.options.phase}`,
    ...result.checks.flatMap((c) => checkLine(c, paint, width)),
    `  cleanup: ${result.cleanup.status} (${result.cleanup.detail})`,
  ];
  if (options.reportDir) lines.push(`  reports: ${options.reportDir}`);
  const verdict =
    result.outcome === "pass"
      ? paint(
          "green",
          `PASS  ${result.checks.length} checks passed in ${formatMs(result.durationMs)}`,
        )
      : result.outcome === "interrupted"
        ? paint(
            "red",
            `STOP  interrupted after ${formatMs(result.durationMs)}: incomplete run, no verdict (${failed} failed, ${skipped} skipped)`,
          )
        : paint(
            "red",
            `FAIL  ${failed} of ${result.checks.length} checks failed in ${formatMs(result.durationMs)}`,
          );
  lines.push(verdict);
  return `${lines.join("\n")}\n`;
}
