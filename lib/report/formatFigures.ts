import type { ThresholdResult } from "../result/runResult.ts";
import type { EndpointResult, RunnerRow } from "../result/scenarioResult.ts";

/*
 * How every reporter (console, Markdown, HTML, sign-off) writes a figure,
 * so one run reads the same wherever it is shown.
 */

/** 7.3 ms, 186 ms, 1.23 s. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A threshold's observed value in its unit: 812 ms, 5.00%, 3 count; "not measured" when null. */
export function formatObserved(
  t: Pick<ThresholdResult, "observed" | "unit"> & { borderline?: boolean; warning?: string },
): string {
  if (t.observed === null) return "not measured";
  if (t.warning) return `${formatObserved({ ...t, warning: undefined })} (warning: ${t.warning})`;
  // Within one histogram bucket of the limit: the verdict stands, a rerun could land either side.
  const borderline = t.borderline ? " (borderline: within one histogram bucket of the limit)" : "";
  if (t.unit === "ratio") return `${(t.observed * 100).toFixed(2)}%`;
  if (t.unit === "ms") return `${formatMs(t.observed)}${borderline}`;
  const value = Number.isInteger(t.observed) ? String(t.observed) : t.observed.toFixed(3);
  return `${value}${t.unit ? ` ${t.unit}` : ""}`;
}

/** The columns of a merged run's per-runner table in every reporter. */
export const RUNNER_COLUMNS = [
  "runner",
  "requests",
  "errors",
  "dropped",
  "interrupted",
  "p95",
  "start skew",
  "CPU",
] as const;

/** One runner's row, in RUNNER_COLUMNS order. */
export function runnerCells(r: RunnerRow): string[] {
  return [
    r.segment,
    String(r.requests),
    String(r.errors),
    String(r.dropped),
    String(r.interrupted),
    formatMs(r.p95Ms),
    r.startSkewMs === undefined ? "—" : `${r.startSkewMs} ms`,
    `${r.cpuPct === undefined ? "—" : `${Math.round(r.cpuPct)}%`}${r.generatorBound ? " GENERATOR-BOUND" : ""}`,
  ];
}

/** The columns of an endpoint row in every reporter; the latency ones are p50…max. */
export const ENDPOINT_COLUMNS = [
  "endpoint",
  "req/s",
  "p50",
  "p95",
  "p99",
  "max",
  "2xx",
  "4xx",
  "5xx",
  "errors",
] as const;

/** One endpoint's row, in ENDPOINT_COLUMNS order; `latency` writes the four latency cells. */
export function endpointCells(
  e: EndpointResult & { requestsPerSec: number },
  latency: (ms: number) => string = formatMs,
): string[] {
  return [
    e.endpoint,
    String(e.requestsPerSec),
    latency(e.p50Ms),
    latency(e.p95Ms),
    latency(e.p99Ms),
    latency(e.maxMs),
    String(e.status2xx),
    String(e.status4xx),
    String(e.status5xx),
    String(e.errors),
  ];
}

/** "1.2–3.4 s, 5.0–6.1 s and 2 more": a sampler's gaps, the first three named. */
export function gapsText(gaps: readonly { fromMs: number; toMs: number }[]): string {
  const shown = gaps
    .slice(0, 3)
    .map((g) => `${(g.fromMs / 1000).toFixed(1)}–${(g.toMs / 1000).toFixed(1)} s`);
  return `${shown.join(", ")}${gaps.length > 3 ? ` and ${gaps.length - 3} more` : ""}`;
}

/** "" for a sampler that saw the whole run; else how much it saw and where it did not. */
export function coverageNote(sampled: {
  coverage: number;
  gaps: readonly { fromMs: number; toMs: number }[];
  countedThroughout?: true;
}): string {
  if (sampled.gaps.length === 0 && sampled.coverage >= 1) return "";
  return ` · sampled ${Math.round(sampled.coverage * 100)}% of the run (no sample ${gapsText(sampled.gaps)})${sampled.countedThroughout ? "; its checkout counters were read before and after the load, so no checkout was missed" : ""}`;
}

/** A scenario's model in words: closed, open, or their stages (`stages` is "10s→100, 5s→0" in the result). */
export function modelText(
  model: Readonly<Record<string, string | number>>,
  detail = false,
): string {
  switch (model.kind) {
    case "closed":
      return `closed, ${model.connections} connections`;
    case "rampingVus":
      return `closed, ramping from ${model.startVus} users: ${model.stages}`;
    case "rampingArrivalRate":
      return `open, ramping from ${model.startRate}/s: ${model.stages}${detail ? ` (at most ${model.maxInFlight} in flight)` : ""}`;
    default:
      return `open, ${model.ratePerSec}/s${detail ? ` (at most ${model.maxInFlight} in flight)` : ""}`;
  }
}
