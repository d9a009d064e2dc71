import type { RunResult, VerdictStatus } from "../result/runResult.ts";

/** XML 1.0 allows tab, LF and CR but no other control character, escaped or not. */
function isXmlChar(char: string): boolean {
  const code = char.charCodeAt(0);
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function escapeXml(text: string): string {
  return [...text]
    .filter(isXmlChar)
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

interface Case {
  name: string;
  status: VerdictStatus;
  durationMs: number;
  /** The failure's one-line message. */
  message: string;
  detail: string;
  type: "checkFailed" | "thresholdFailed";
}

function testcase(c: Case, classname: string): string {
  const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(classname)}" time="${seconds(c.durationMs)}"`;
  if (c.status === "failed") {
    return `${open}>\n      <failure type="${c.type}" message="${escapeXml(c.message)}">${escapeXml(c.detail)}</failure>\n    </testcase>`;
  }
  if (c.status === "error") {
    return `${open}>\n      <error type="couldNotJudge" message="${escapeXml(c.message)}">${escapeXml(c.detail)}</error>\n    </testcase>`;
  }
  if (c.status === "skipped") {
    return `${open}>\n      <skipped message="${escapeXml(c.message)}"/>\n    </testcase>`;
  }
  return `${open}/>`;
}

/**
 * JUnit XML (the Jenkins xUnit junit-10.xsd dialect) of any suite's result:
 * one testcase per check and one per threshold.
 */
export function junitXml(result: RunResult): string {
  const suiteName = `${result.suite}.${result.target.name}`;
  const cases: Case[] = [
    ...result.checks.map((check) => ({
      name: check.name,
      status: check.status,
      durationMs: check.durationMs,
      message: check.hint ?? check.observed,
      detail: `expected: ${check.expected}\nobserved: ${check.observed}${check.hint ? `\nhint: ${check.hint}` : ""}${check.evidence?.length ? `\nevidence:\n${check.evidence.map((l) => `  ${l}`).join("\n")}` : ""}`,
      type: "checkFailed" as const,
    })),
    ...result.thresholds.map((t) => {
      const observed = t.observed === null ? "not measured" : `${t.observed} ${t.unit}`.trim();
      return {
        name: `${t.name}: ${t.condition}`,
        status: t.status,
        // A threshold holds over the whole run.
        durationMs: result.durationMs,
        message: t.hint ?? `${t.metric} ${t.condition}: observed ${observed}`,
        detail: `threshold: ${t.metric} ${t.condition}\nobserved: ${observed}${t.hint ? `\nhint: ${t.hint}` : ""}`,
        type: "thresholdFailed" as const,
      };
    }),
  ];
  const failures = cases.filter((c) => c.status === "failed").length;
  const skipped = cases.filter((c) => c.status === "skipped").length;
  const errors = cases.filter((c) => c.status === "error").length;
  const properties = [
    ["runId", result.runId],
    ["suite", result.suite],
    ["target", result.target.name],
    ["schemaVersion", String(result.schemaVersion)],
    ...Object.entries(result.options).map(([key, value]) => [key, String(value)]),
    ["cleanup", `${result.cleanup.status}: ${result.cleanup.detail}`],
  ]
    .map(
      ([name, value]) =>
        `      <property name="${escapeXml(name ?? "")}" value="${escapeXml(value ?? "")}"/>`,
    )
    .join("\n");
  const time = seconds(result.durationMs);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(result.suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${escapeXml(result.startedAt.replace(/Z$/, ""))}" id="${escapeXml(result.runId)}">`,
    "    <properties>",
    properties,
    "    </properties>",
    ...cases.map((c) => testcase(c, suiteName)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
