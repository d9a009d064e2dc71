import { LatencyRecorder } from "../latencyHistogram.ts";
import type { RunResult, VerdictStatus } from "../result/runResult.ts";
import type { ScenarioResult } from "../result/scenarioResult.ts";
import { percentileCeiling } from "../thresholdCondition.ts";
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
import { escapeHtml as e, htmlPage } from "./htmlPage.ts";
import { lineChart, percentileChart } from "./svgChart.ts";

const STATUS: Record<VerdictStatus, string> = {
  passed: '<span class="ok">pass</span>',
  failed: '<span class="bad">FAIL</span>',
  error: '<span class="skip">could not judge</span>',
  skipped: '<span class="skip">skip</span>',
};

function status(s: VerdictStatus): string {
  return STATUS[s];
}

function verdict(result: RunResult): string {
  const all = [...result.checks, ...result.thresholds];
  const failed = all.filter((v) => v.status === "failed").length;
  if (result.outcome === "pass")
    return `<div class="verdict pass">PASS · ${e(result.suite)} · ${e(result.target.name)}: all ${all.length} checks and thresholds passed</div>`;
  if (result.outcome === "interrupted")
    return `<div class="verdict stop">INTERRUPTED · ${e(result.suite)} · ${e(result.target.name)}: no verdict</div>`;
  if (result.outcome === "incomplete")
    return `<div class="verdict stop">INCOMPLETE · ${e(result.suite)} · ${e(result.target.name)}: the shards do not make the whole run; no verdict</div>`;
  if (result.outcome === "targetUnreachable")
    return `<div class="verdict stop">COULD NOT JUDGE · ${e(result.suite)} · ${e(result.target.name)}: a dependency of the harness failed; no verdict</div>`;
  return `<div class="verdict fail">FAIL · ${e(result.suite)} · ${e(result.target.name)}: ${failed} of ${all.length} checks and thresholds failed</div>`;
}

/** A check's evidence, folded: the request and answer lines, literal. */
function evidence(lines: readonly string[] | undefined): string {
  return lines && lines.length > 0
    ? `<details><summary>evidence</summary><pre>${e(lines.join("\n"))}</pre></details>`
    : "";
}

function why(result: RunResult): string {
  const items = [
    ...result.checks
      .filter((c) => c.status === "failed" || c.status === "error")
      .map(
        (c) =>
          `<li><b>${e(c.name)}</b>: expected ${e(c.expected)}; observed ${e(c.observed)}.${c.hint ? ` <span class="muted">${e(c.hint)}</span>` : ""}${evidence(c.evidence)}</li>`,
      ),
    ...result.thresholds
      .filter((t) => t.status === "failed" || t.status === "error")
      .map(
        (t) =>
          `<li><b>${e(t.name)}</b>: <code>${e(t.metric)}</code> must be <code>${e(t.condition)}</code>; observed ${e(observed(t))}.${t.hint ? ` <span class="muted">${e(t.hint)}</span>` : ""}</li>`,
      ),
  ];
  return items.length > 0 ? `<h2>Why it failed</h2><ul class="why">${items.join("")}</ul>` : "";
}

/** The lowest p95 limit of a scenario's thresholds (the line its p95 chart draws). */
function p95Limit(result: RunResult, scenario: string): number | undefined {
  const limits = result.thresholds
    .filter((t) => t.metric.startsWith(`http_req_duration{scenario:${scenario}`))
    .map((t) => percentileCeiling(t.condition, 95))
    .filter((v): v is number => v !== undefined);
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

const COLORS = ["#0969da", "#8250df", "#bf8700", "#1a7f37"];

/** Percentiles the distribution chart plots, as far as the sample count resolves them. */
const DISTRIBUTION_POINTS = [
  0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.995, 99.999,
];

/** The latency distribution of each endpoint that carries its histogram, the p95 limit marked. */
function distributionCharts(result: RunResult, s: ScenarioResult): string {
  const withLatency = s.endpoints.filter((x) => x.latency && x.latency.count > 0);
  if (withLatency.length === 0) return "";
  return withLatency
    .map((endpoint, i) => {
      const recorder = LatencyRecorder.decode(
        endpoint.latency as NonNullable<typeof endpoint.latency>,
      );
      try {
        // A percentile finer than 1 / count is the max: plot up to where the samples say something.
        const finest = 100 * (1 - 1 / recorder.count);
        const points = DISTRIBUTION_POINTS.filter((p) => p <= finest).map(
          (p) => [p, recorder.percentileUs(p) / 1000] as const,
        );
        const limit = result.thresholds
          .filter(
            (t) =>
              t.metric === `http_req_duration{scenario:${s.name},endpoint:${endpoint.endpoint}}`,
          )
          .map((t) => percentileCeiling(t.condition, 95))
          .find((v): v is number => v !== undefined);
        return percentileChart({
          title: `${endpoint.endpoint} latency distribution, ${recorder.count} answers`,
          lines: [{ label: endpoint.endpoint, color: COLORS[i % COLORS.length] as string, points }],
          ...(limit !== undefined
            ? { limit: { percentile: 95, valueMs: limit, label: `p95 limit ${limit} ms` } }
            : {}),
        });
      } finally {
        recorder.destroy();
      }
    })
    .join("");
}

function charts(result: RunResult, s: ScenarioResult): string {
  if (s.series.length === 0)
    return `<p class="muted">No per-second series (${e(s.engine.name)} keeps none).</p>`;
  const limit = p95Limit(result, s.name);
  const parts = [
    distributionCharts(result, s),
    lineChart({
      title: "p95 latency per second",
      unit: "ms",
      lines: [
        {
          label: "p95",
          color: COLORS[0] as string,
          points: s.series.map((r) => [r.second, r.p95Ms]),
        },
      ],
      ...(limit !== undefined ? { limit: { value: limit, label: `limit ${limit} ms` } } : {}),
    }),
    lineChart({
      title: "Requests per second",
      unit: "req/s",
      lines: [
        {
          label: "req/s",
          color: COLORS[1] as string,
          points: s.series.map((r) => [r.second, r.requests]),
        },
      ],
    }),
    lineChart({
      title: "5xx and errors per second",
      unit: "count",
      lines: [
        { label: "5xx", color: "#cf222e", points: s.series.map((r) => [r.second, r.status5xx]) },
        {
          label: "errors",
          color: COLORS[2] as string,
          points: s.series.map((r) => [r.second, r.errors]),
        },
      ],
      limit: { value: 0, label: "limit 0" },
    }),
  ];
  for (const [i, pool] of s.pools.entries()) {
    parts.push(
      lineChart({
        title: `${pool.service} pool: connections in use`,
        unit: "connections",
        lines: [
          {
            label: "in use",
            color: COLORS[i % COLORS.length] as string,
            points: s.series.map((r) => [r.second, r.pools?.[pool.service]?.inUse ?? 0]),
          },
          // pg_stat_activity shows connections, not callers waiting: no line rather than a line of zeros.
          ...(pool.exhaustedBy === "pgStatActivity"
            ? []
            : [
                {
                  label: "waiting",
                  color: "#cf222e",
                  points: s.series.map((r): [number, number] => [
                    r.second,
                    r.pools?.[pool.service]?.waiting ?? 0,
                  ]),
                },
              ]),
        ],
        ...(pool.max !== null ? { limit: { value: pool.max, label: `max ${pool.max}` } } : {}),
      }),
    );
  }
  return parts.join("");
}

function scenario(result: RunResult, s: ScenarioResult): string {
  const model = modelText(s.model);
  const rows = s.endpoints
    .map(
      (x) =>
        `<tr>${endpointCells(x)
          .map((c, i) => (i === 0 ? `<td>${e(c)}</td>` : `<td class="n">${e(c)}</td>`))
          .join("")}</tr>`,
    )
    .join("");
  const notes = [
    ...s.pools.map(
      (p) =>
        `${e(p.service)} pool: at most ${p.maxInUse} of ${p.max ?? "?"} in use, ${p.maxWaiting === null ? "waiting not measured" : `${p.maxWaiting} waiting`}, ${p.checkoutTimeouts === null ? "checkout timeouts not measured" : `${p.checkoutTimeouts} checkout timeouts`}${p.slowCheckouts === null ? "" : `, ${p.slowCheckouts} waited over 1 s`}${e(coverageNote(p))}`,
    ),
    ...(s.connectionRamp
      ? [
          `connections: ${s.connectionRamp.answered}/${s.connectionRamp.connections} answered; first answer p50 ${ms(s.connectionRamp.firstAnswerP50Ms)}, p99 ${ms(s.connectionRamp.firstAnswerP99Ms)}`,
        ]
      : []),
    ...(s.generator.generatorBound
      ? [
          `<span class="bad">generator-bound</span> (${e(s.generator.reason ?? "")}): latency includes the generator's own delay`,
        ]
      : []),
  ];
  const runners = s.runners
    ? `<p>Merged from ${s.runners.length} runner${s.runners.length === 1 ? "" : "s"} (the figures above are the whole's, added exactly):</p><table><tr>${RUNNER_COLUMNS.map((c) => `<th>${c}</th>`).join("")}</tr>${s.runners
        .map(
          (r) =>
            `<tr>${runnerCells(r)
              .map((c, i) => (i === 0 ? `<td>${e(c)}</td>` : `<td class="n">${e(c)}</td>`))
              .join("")}</tr>`,
        )
        .join("")}</table>`
    : "";
  return [
    `<h3>${e(s.name)} · ${e(model)} · ${(s.durationMs / 1000).toFixed(1)} s · ${e(s.engine.name)}</h3>`,
    `<table><tr>${ENDPOINT_COLUMNS.map((c) => `<th>${c}</th>`).join("")}</tr>${rows}</table>`,
    `<ul>${notes.map((n) => `<li>${n}</li>`).join("")}</ul>`,
    runners,
    charts(result, s),
  ].join("");
}

/**
 * The run as one self-contained HTML file: no script, no stylesheet or font
 * fetched, charts drawn as inline SVG. The verdict is the first thing on
 * the page, then why it failed, then the evidence.
 */
export function htmlReport(result: RunResult): string {
  const env = result.environment;
  const checks =
    result.checks.length > 0
      ? `<h2>Checks</h2><table><tr><th>check</th><th>result</th><th>took</th><th>observed</th></tr>${result.checks
          .map(
            (c) =>
              `<tr><td>${e(c.name)}</td><td>${status(c.status)}</td><td class="n">${c.status === "skipped" ? "—" : ms(c.durationMs)}</td><td>${e(c.observed)}${c.hint && c.status !== "passed" ? `<br><span class="muted">${e(c.hint)}</span>` : ""}${evidence(c.evidence)}</td></tr>`,
          )
          .join("")}</table>`
      : "";
  const thresholds =
    result.thresholds.length > 0
      ? `<h2>Thresholds</h2><table><tr><th>threshold</th><th>metric</th><th>limit</th><th>observed</th><th>result</th></tr>${result.thresholds
          .map(
            (t) =>
              `<tr><td>${e(t.name)}</td><td><code>${e(t.metric)}</code></td><td><code>${e(t.condition)}</code></td><td class="n">${e(observed(t))}</td><td>${status(t.status)}</td></tr>`,
          )
          .join("")}</table>`
      : "";
  const versions = Object.entries(result.target.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const title = `${result.outcome === "pass" ? "PASS" : result.outcome === "interrupted" ? "INTERRUPTED" : result.outcome === "incomplete" ? "INCOMPLETE" : "FAIL"} · ${result.suite} · ${result.target.name} · ${result.runId}`;
  return htmlPage(title, verdict(result), [
    `<p class="muted">Run <code>${e(result.runId)}</code>, ${e(result.startedAt)}, ${(result.durationMs / 1000).toFixed(2)} s.</p>`,
    why(result),
    checks,
    thresholds,
    result.scenarios.length > 0
      ? `<h2>Scenarios</h2>${result.scenarios.map((s) => scenario(result, s)).join("")}`
      : "",
    "<h2>Run</h2><ul>",
    `<li>target: ${e(result.target.name)}${versions ? ` (${e(versions)})` : ""}</li>`,
    `<li>cleanup: ${e(result.cleanup.status)} (${e(result.cleanup.detail)})</li>`,
    `<li>options: ${e(
      Object.entries(result.options)
        .map(([k, v]) => `${k}=${v}`)
        .join(", "),
    )}</li>`,
    `<li>harness ${e(env.harnessVersion)}${env.gitCommit ? ` (${e(env.gitCommit.slice(0, 12))})` : ""}, Node ${e(env.node)}, ${e(env.platform)}, host ${e(env.hostname)}${env.ci ? ", CI" : ""}</li>`,
    "</ul>",
  ]);
}
