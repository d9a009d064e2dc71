import { formatObserved } from "../report/formatFigures.ts";
import { escapeHtml as e, htmlPage } from "../report/htmlPage.ts";
import type { Change } from "./baselineComparison.ts";
import { type Signoff, signoffSubject } from "./signoff.ts";

function changeCell(c: Change, digits: number, scale = 1): string {
  const figures = `${(c.baseline * scale).toFixed(digits)} → ${(c.current * scale).toFixed(digits)}`;
  return c.change === null
    ? figures
    : `${figures} (${c.change >= 0 ? "+" : ""}${(c.change * 100).toFixed(0)}%)`;
}

/**
 * The sign-off as one self-contained HTML page for the release manager: the
 * verdict and the first reason in the banner, every reason, then the
 * evidence (thresholds, smoke checks, the baseline comparison, environment).
 */
export function signoffHtml(signoff: Signoff): string {
  const env = signoff.environment;
  const go = signoff.verdict === "GO";
  const versions = Object.entries(env.targetVersions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const banner = go
    ? `<div class="verdict pass">GO · ${e(signoffSubject(signoff))}: every smoke check and load threshold passed</div>`
    : `<div class="verdict fail">NO-GO · ${e(signoffSubject(signoff))}: ${e(signoff.reasons[0] ?? "")}</div>`;
  const reasons =
    signoff.reasons.length > 0
      ? `<h2>${signoff.reasons.length} reason${signoff.reasons.length === 1 ? "" : "s"} for NO-GO</h2><ul class="why">${signoff.reasons.map((r) => `<li>${e(r)}</li>`).join("")}</ul>`
      : "";
  const warnings =
    signoff.warnings.length > 0
      ? `<h2>Warnings</h2><ul>${signoff.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`
      : "";
  const thresholds = `<h2>Thresholds</h2><table><tr><th>threshold</th><th>metric</th><th>limit</th><th>observed</th><th>result</th><th>run</th></tr>${signoff.thresholds
    .map(
      (t) =>
        `<tr><td>${e(t.name)}</td><td><code>${e(t.metric)}</code></td><td><code>${e(t.condition)}</code></td><td class="n">${e(formatObserved(t))}</td><td>${t.status === "passed" ? '<span class="ok">pass</span>' : '<span class="bad">FAIL</span>'}</td><td><code>${e(t.runId)}</code></td></tr>`,
    )
    .join("")}</table>`;
  const checks = `<h2>Smoke checks</h2><table><tr><th>check</th><th>result</th><th>observed</th></tr>${signoff.checks
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td>${c.status === "passed" ? '<span class="ok">pass</span>' : c.status === "failed" ? '<span class="bad">FAIL</span>' : '<span class="skip">skip</span>'}</td><td>${e(c.observed)}</td></tr>`,
    )
    .join("")}</table>`;
  const probes =
    signoff.probes.length > 0
      ? `<h2>Probes</h2><table><tr><th>probe</th><th>result</th><th>observed</th><th>run</th></tr>${signoff.probes
          .map(
            (c) =>
              `<tr><td>${e(c.name)}</td><td>${c.status === "passed" ? '<span class="ok">pass</span>' : c.status === "failed" ? '<span class="bad">FAIL</span>' : '<span class="skip">not judged</span>'}</td><td>${e(c.observed)}</td><td><code>${e(c.runId)}</code></td></tr>`,
          )
          .join("")}</table>`
      : "";
  const comparison =
    signoff.comparison.length > 0
      ? `<h2>Against the baseline</h2><p class="muted">${signoff.baselineRunIds.map((id) => `<code>${e(id)}</code>`).join(", ")}</p><table><tr><th>scenario</th><th>endpoint</th><th>p95 ms</th><th>req/s</th><th>error rate %</th><th></th></tr>${signoff.comparison
          .map(
            (c) =>
              `<tr><td>${e(c.scenario)}</td><td>${e(c.endpoint)}</td><td class="n">${changeCell(c.p95Ms, 0)}</td><td class="n">${changeCell(c.requestsPerSec, 0)}</td><td class="n">${changeCell(c.errorRate, 2, 100)}</td><td>${c.regressions.length > 0 ? '<span class="bad">regression</span>' : ""}</td></tr>`,
          )
          .join("")}</table>`
      : "";
  return htmlPage(`${signoff.verdict} · ${signoffSubject(signoff)}`, banner, [
    reasons,
    warnings,
    thresholds,
    ...(probes ? [probes] : []),
    checks,
    comparison,
    "<h2>Environment</h2><ul>",
    ...(signoff.release ? [`<li>release: ${e(signoff.release)}</li>`] : []),
    `<li>target: ${e(env.target)}${env.production ? " (production)" : ""}${versions ? `; ${e(versions)}` : "; its services report no version"}</li>`,
    `<li>harness ${e(env.harnessVersion)}${env.gitCommit ? ` (${e(env.gitCommit.slice(0, 12))})` : ""}; engines: ${e(env.engines.join(", ") || "none")}</li>`,
    ...env.runs.map(
      (r) =>
        `<li>${e(r.suite)} run <code>${e(r.runId)}</code>, ${e(r.startedAt)}, ${e(r.outcome)}</li>`,
    ),
    `<li>signed off ${e(signoff.createdAt)}</li>`,
    "</ul>",
  ]);
}
