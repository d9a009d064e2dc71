import type { RunResult } from "./runResult.ts";

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

/** JUnit XML (the Jenkins xUnit junit-10.xsd dialect): one testcase per check. */
export function junitXml(result: RunResult): string {
  const suiteName = `smoke.${result.target}`;
  const failures = result.checks.filter((c) => c.status === "failed").length;
  const skipped = result.checks.filter((c) => c.status === "skipped").length;
  const cases = result.checks.map((check) => {
    const open = `    <testcase name="${escapeXml(check.name)}" classname="${escapeXml(suiteName)}" time="${seconds(check.durationMs)}"`;
    const detail = `expected: ${check.expected}\nobserved: ${check.observed}${check.hint ? `\nhint: ${check.hint}` : ""}`;
    if (check.status === "failed") {
      return `${open}>\n      <failure type="checkFailed" message="${escapeXml(check.hint ?? check.observed)}">${escapeXml(detail)}</failure>\n    </testcase>`;
    }
    if (check.status === "skipped") {
      return `${open}>\n      <skipped message="${escapeXml(check.hint ?? check.observed)}"/>\n    </testcase>`;
    }
    return `${open}/>`;
  });
  const properties = [
    ["runId", result.runId],
    ["target", result.target],
    ["phase", String(result.options.phase)],
    ["schemaVersion", String(result.schemaVersion)],
    ["cleanup", `${result.cleanup.status}: ${result.cleanup.detail}`],
  ]
    .map(
      ([name, value]) =>
        `      <property name="${escapeXml(name ?? "")}" value="${escapeXml(value ?? "")}"/>`,
    )
    .join("\n");
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="smoke" tests="${result.checks.length}" failures="${failures}" errors="0" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${result.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}" timestamp="${escapeXml(result.startedAt.replace(/Z$/, ""))}" id="${escapeXml(result.runId)}">`,
    "    <properties>",
    properties,
    "    </properties>",
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
