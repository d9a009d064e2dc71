import type { CheckResult, RunResult } from "../result/runResult.ts";
import { formatMs, formatObserved } from "./formatFigures.ts";
import { scenarioLines } from "./scenarioLines.ts";

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

const MARKS: Record<CheckResult["status"], [keyof typeof COLORS, string]> = {
  passed: ["green", "PASS"],
  failed: ["red", "FAIL"],
  // Could not judge: the harness's own dependency failed, not the target.
  error: ["yellow", "ERR "],
  skipped: ["yellow", "SKIP"],
};

function mark(status: CheckResult["status"], paint: Paint): string {
  const [color, text] = MARKS[status];
  return paint(color, text);
}

/** A verdict line, and below it what was expected and the hint when it did not pass. */
function verdictLines(
  row: { status: CheckResult["status"]; name: string; expected: string; hint?: string },
  middle: string,
  observed: string,
  paint: Paint,
  width: number,
): string[] {
  const lines = [`  ${mark(row.status, paint)}  ${row.name.padEnd(width)}  ${middle}  ${observed}`];
  const indent = " ".repeat(8 + width + 2 + middle.length + 2);
  // A skipped verdict has nothing to compare; its hint says why it did not run.
  if (row.status === "failed") lines.push(`${indent}expected: ${row.expected}`);
  if (row.status !== "passed" && row.hint)
    lines.push(`${indent}${paint("dim", `hint: ${row.hint}`)}`);
  return lines;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "3 checks and 2 thresholds": what the verdict counted. */
function counted(result: RunResult): string {
  const parts = [];
  if (result.checks.length > 0 || result.thresholds.length === 0)
    parts.push(plural(result.checks.length, "check"));
  if (result.thresholds.length > 0) parts.push(plural(result.thresholds.length, "threshold"));
  return parts.join(" and ");
}

function optionsText(options: RunResult["options"]): string {
  return Object.entries(options)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
}

/**
 * The console summary of any suite's result: the run, a line per check and
 * per threshold, cleanup, the verdict last. Returns text; the CLI prints it.
 */
export function consoleSummary(
  result: RunResult,
  options: { color: boolean; reportDir?: string },
): string {
  const paint = painter(options.color);
  const verdicts = [...result.checks, ...result.thresholds];
  const width = Math.max(...verdicts.map((v) => v.name.length), 10);
  const conditionWidth = Math.max(0, ...result.thresholds.map((t) => t.condition.length));
  const lines = [
    `${result.suite} · target ${result.target.name} · run ${result.runId} · ${optionsText(result.options)}`,
    ...result.scenarios.flatMap(scenarioLines),
    ...result.checks.flatMap((c) =>
      verdictLines(c, formatMs(c.durationMs).padStart(8), c.observed, paint, width),
    ),
    ...result.thresholds.flatMap((t) =>
      verdictLines(
        { ...t, expected: `${t.metric} ${t.condition}` },
        t.condition.padEnd(conditionWidth),
        formatObserved(t),
        paint,
        width,
      ),
    ),
    `  cleanup: ${result.cleanup.status} (${result.cleanup.detail})`,
  ];
  if (options.reportDir) lines.push(`  reports: ${options.reportDir}`);
  const failed = verdicts.filter((v) => v.status === "failed").length;
  const skipped = verdicts.filter((v) => v.status === "skipped").length;
  const errored = verdicts.filter((v) => v.status === "error");
  const took = formatMs(result.durationMs);
  const couldNotJudge =
    errored.length > 0 ? `; could not judge ${errored.map((v) => v.name).join(", ")}` : "";
  const verdict =
    result.outcome === "pass"
      ? paint("green", `PASS  ${counted(result)} passed in ${took}`)
      : result.outcome === "interrupted"
        ? paint(
            "red",
            `STOP  interrupted after ${took}: incomplete run, no verdict (${failed} failed, ${skipped} skipped)`,
          )
        : result.outcome === "incomplete"
          ? paint(
              "red",
              `INCOMPLETE  the shards do not make the whole run: no verdict (${failed} problem${failed === 1 ? "" : "s"})`,
            )
          : result.outcome === "targetUnreachable"
            ? paint(
                "red",
                `ERROR  could not judge the target: a dependency of the harness failed (${
                  [
                    ...(errored.length > 0
                      ? [`${errored.length} of ${counted(result)} could not be judged`]
                      : []),
                    ...(result.cleanup.couldNotReach
                      ? [
                          `${errored.length === 0 ? `every check was judged, but ` : ""}cleanup could not reach ${result.cleanup.couldNotReach}`,
                        ]
                      : []),
                  ].join("; ") || "see the checks"
                }) in ${took}`,
              )
            : paint(
                "red",
                `FAIL  ${failed} of ${counted(result)} failed in ${took}${couldNotJudge}`,
              );
  lines.push(verdict);
  return `${lines.join("\n")}\n`;
}
