import type { ScenarioResult } from "../result/scenarioResult.ts";
import {
  coverageNote,
  ENDPOINT_COLUMNS,
  endpointCells,
  modelText,
  runnerCells,
} from "./formatFigures.ts";

const LATENCY: ReadonlySet<string> = new Set(["p50", "p95", "p99", "max"]);

function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}

/** The console lines of one load scenario: figures per endpoint, pools, and the generator's own health. */
export function scenarioLines(scenario: ScenarioResult): string[] {
  // Latency columns are headed "… ms": the cells are bare numbers.
  const header = ENDPOINT_COLUMNS.map((c) => (LATENCY.has(c) ? `${c} ms` : c));
  const rows = scenario.endpoints.map((e) => endpointCells(e, ms));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `    ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")}`;
  const lines = [
    `  ${scenario.name} · ${modelText(scenario.model, true)} · ${(scenario.durationMs / 1000).toFixed(1)} s · ${scenario.engine.name}${scenario.dropped > 0 ? ` · ${scenario.dropped} dropped starts` : ""}`,
    line(header),
    ...rows.map(line),
  ];
  const ramp = scenario.connectionRamp;
  if (ramp) {
    lines.push(
      `    connections: ${ramp.answered}/${ramp.connections} answered · first answer p50 ${ms(ramp.firstAnswerP50Ms)} ms, p99 ${ms(ramp.firstAnswerP99Ms)} ms, max ${ms(ramp.firstAnswerMaxMs)} ms${ramp.firstAnswerMaxMs > 1_000 ? " (slow ramp: some connections waited over a second for a first answer; a saturated Node target accepts slowly, bench/README.md: the 1000-connection burst)" : ""}`,
    );
  }
  for (const pool of scenario.pools) {
    lines.push(
      pool.exhaustedBy === "pgStatActivity"
        ? `    ${pool.service} pool: max ${pool.maxInUse}/${pool.max ?? "?"} connections (pg_stat_activity; waiting not exposed), at its size past the grace ${pool.saturated?.length ?? 0}× (longest ${Math.round(pool.longestSaturationMs)} ms), judged by the answers of those seconds (${pool.samples} samples${pool.failedScrapes ? `, ${pool.failedScrapes} failed` : ""})${coverageNote(pool)}`
        : `    ${pool.service} pool: max ${pool.maxInUse}/${pool.max ?? "?"} in use, ${pool.maxWaiting === null ? "waiting not exposed" : `${pool.maxWaiting} waiting`}, ${pool.checkoutTimeouts ?? 0} checkout timeouts, ${pool.slowCheckouts === null ? "no wait histogram (judged by saturation)" : `${pool.slowCheckouts} checkouts waited over 1 s`}, longest saturation ${Math.round(pool.longestSaturationMs)} ms (${pool.samples} samples${pool.failedScrapes ? `, ${pool.failedScrapes} failed` : ""})${coverageNote(pool)}`,
    );
  }
  if (scenario.database) {
    const db = scenario.database;
    lines.push(
      `    postgres: peak ${db.peakConnections}/${db.usableConnections} connections${db.atLimitSamples ? `, AT LIMIT in ${db.atLimitSamples} samples` : ""}${db.reconnects ? `, reconnected ${db.reconnects}×` : ""}${coverageNote(db)}`,
    );
  }
  if (scenario.runners)
    lines.push(
      `    merged from ${scenario.runners.length} runner${scenario.runners.length === 1 ? "" : "s"}: ${scenario.runners
        .map((r) => {
          const [segment, requests, , , , p95, skew] = runnerCells(r);
          return `${segment?.split(" ")[0]} ${requests} req, p95 ${p95}, skew ${skew}${r.generatorBound ? " GENERATOR-BOUND" : ""}`;
        })
        .join(" · ")}`,
    );
  const g = scenario.generator;
  const health =
    scenario.engine.name === "k6"
      ? g.cpuPct === undefined
        ? "k6 CPU not measured (its results do not say)"
        : `k6 CPU ${Math.round(g.cpuPct)}% (100% = one core)`
      : `event-loop lag p99 ${g.eventLoopLagP99Ms === undefined ? "not measured" : `${ms(g.eventLoopLagP99Ms)} ms`}, CPU ${g.cpuPct === undefined ? "not measured" : `${Math.round(g.cpuPct)}% of a core`}`;
  lines.push(
    `    generator: ${health}${g.generatorBound ? ` · GENERATOR-BOUND (${g.reason}): latency includes the generator's own delay` : ""}`,
  );
  return lines;
}
