import type { RunResult } from "../lib/result/runResult.ts";

/**
 * Test support: hand-built results for reporter tests. One smoke-shaped
 * (checks) and one load-shaped (thresholds and metrics), so each reporter is
 * shown to work for any suite.
 */
export function smokeResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 2,
    suite: "smoke",
    runId: "smoke-20251122t192530z-a1b2c3d4",
    target: {
      name: "local",
      production: false,
      versions: { pasukuru: "reference-1.0.0", curva: "reference-1.0.0" },
    },
    startedAt: "2025-11-22T19:25:30.000Z",
    finishedAt: "2025-11-22T19:25:31.234Z",
    durationMs: 1234,
    outcome: "pass",
    environment: {
      harnessVersion: "0.1.0",
      node: "v20.20.2",
      platform: "linux-x64",
      hostname: "ci",
      ci: true,
    },
    options: { phase: 3, timeoutMs: 10_000, requestTimeoutMs: 10_000, keepData: false },
    checks: [
      {
        name: "webhookLogHasOrder",
        status: "passed",
        durationMs: 120,
        expected: "exactly 1 row",
        observed: "1 row after 80 ms",
      },
    ],
    thresholds: [],
    metrics: [],
    scenarios: [],
    testData: { lineUserId: "U0123456789abcdef0123456789abcdef" },
    cleanup: { status: "done", detail: "removed 5 rows", durationMs: 20 },
    stages: { preflight: 1, steps: 2, assertions: 3, cleanup: 4 },
    ...overrides,
  };
}

export function loadResult(overrides: Partial<RunResult> = {}): RunResult {
  return smokeResult({
    suite: "load",
    runId: "load-20251122t192530z-a1b2c3d4",
    durationMs: 60_000,
    outcome: "checksFailed",
    options: { scenario: "identify", engine: "node", durationMs: 60_000, connections: 1000 },
    checks: [],
    thresholds: [
      {
        name: "identify p95",
        metric: "http_req_duration{scenario:identify}",
        condition: "p(95)<500",
        observed: 812.4,
        unit: "ms",
        status: "failed",
        hint: "identify answered slower than the release threshold",
      },
      {
        name: "identify 5xx",
        metric: "http_5xx{scenario:identify}",
        condition: "rate==0",
        observed: 0,
        unit: "ratio",
        status: "passed",
      },
    ],
    metrics: [
      {
        name: "http_req_duration",
        kind: "trend",
        unit: "ms",
        tags: { scenario: "identify" },
        values: { p50: 300, p95: 812.4, max: 1200 },
      },
    ],
    scenarios: [
      {
        name: "identify",
        model: { kind: "closed", connections: 1000, durationSec: 60 },
        engine: { name: "node", version: "node v20.20.2, autocannon 9.0.0, undici 7.30.2" },
        durationMs: 60_012,
        endpoints: [
          {
            endpoint: "identify",
            requests: 180_000,
            p50Ms: 300,
            p90Ms: 700,
            p95Ms: 812.4,
            p99Ms: 1100,
            maxMs: 1200,
            meanMs: 350,
            status2xx: 180_000,
            status4xx: 0,
            status5xx: 0,
            errors: 0,
            timeouts: 0,
            unexpected: 0,
            requestsPerSec: 2999.4,
          },
        ],
        dropped: 0,
        connectionRamp: {
          connections: 1000,
          answered: 1000,
          firstAnswerP50Ms: 830,
          firstAnswerP99Ms: 1210,
          firstAnswerMaxMs: 1220,
        },
        series: [],
        pools: [
          {
            service: "pasukuru",
            max: 20,
            maxInUse: 20,
            maxWaiting: 31,
            checkoutTimeouts: 0,
            saturatedOverGrace: 2,
            longestSaturationMs: 1400,
            slowCheckouts: 0,
            exhaustedBy: "waitHistogram",
            samples: 300,
            failedScrapes: 0,
            exhausted: 0,
            coverage: 1,
            gaps: [],
          },
        ],
        generator: {
          eventLoopLagP99Ms: 27,
          eventLoopLagMaxMs: 60,
          cpuPct: 26,
          generatorBound: false,
        },
      },
    ],
    ...overrides,
  });
}

/** A smoke with one check passed, one failed (its job dead-lettered) and one skipped. */
export function failingSmokeResult(overrides: Partial<RunResult> = {}): RunResult {
  return smokeResult({
    outcome: "checksFailed",
    checks: [
      {
        name: "lineIdentify",
        status: "passed",
        durationMs: 21,
        expected: "a member id",
        observed: "member m1 (created)",
      },
      {
        name: "webhookLogHasOrder",
        status: "failed",
        durationMs: 7852,
        expected: "exactly 1 webhook_log row for order ord_1",
        observed:
          "0 rows after 7852 ms; job evt_1: failed after 5 attempt(s) | (Curva answered 503)",
        hint: "Deliveries to Curva failed and the job was dead-lettered (see webhookNotInDlq).",
      },
      {
        name: "followerLinkedToMember",
        status: "skipped",
        durationMs: 0,
        expected: "x",
        observed: "not run",
      },
    ],
    ...overrides,
  });
}

/** A probe run: one probe passed with its evidence, one failed (an unsigned delivery accepted), one not judged. */
export function failingProbeResult(): RunResult {
  return smokeResult({
    suite: "probe",
    runId: "probe-20261123t003224z-a1b2c3d4",
    outcome: "checksFailed",
    options: { probes: "W1,W2,W9", requestTimeoutMs: 10_000, timeoutMs: 10_000, keepData: false },
    testData: { deliveries: "4" },
    checks: [
      {
        name: "W1 valid delivery (orders)",
        status: "passed",
        durationMs: 306.2,
        expected: "2xx within 200 ms, processed once",
        observed: "200 in 4.8 ms; processed 1×",
        evidence: [
          "> POST http://127.0.0.1:4030/webhooks/pasukuru (221 bytes)",
          "> content-type: application/json",
          "> x-pasukuru-signature: t=1763857944,v1=6a0e0e6f7c1a9d3b2c5e8f0a1b2c3d4e5f60718293…",
          '< 200 in 4.8 ms: {"received":true,"duplicate":false}',
          "read-back: evt_probe_20261123t003224z_a1b2c3d4_1 processed 1×",
        ],
      },
      {
        name: "W2 unsigned (orders)",
        status: "failed",
        durationMs: 3.1,
        expected: "4xx, not processed",
        observed: "no signature: 200 in 2.7 ms",
        hint: "The receiver accepted a delivery whose signature is wrong or missing: it must verify every delivery, before anything else, and answer 4xx.",
        evidence: [
          "[no signature]",
          "> POST http://127.0.0.1:4030/webhooks/pasukuru (221 bytes)",
          "> content-type: application/json",
          '< 200 in 2.7 ms: {"received":true,"duplicate":false}',
          "read-back: evt_probe_20261123t003224z_a1b2c3d4_2 processed 1×",
        ],
      },
      {
        name: "W9 byte-identical redelivery (orders)",
        status: "skipped",
        durationMs: 5.2,
        expected: "2xx both times, processed once",
        observed: "not judged: the profile has no read-back for this receiver",
        hint: 'Add probe.webhooks.<name>.processedCount so "processed once" can be seen.',
      },
    ],
    cleanup: { status: "done", detail: "removed 2 rows", durationMs: 12 },
    stages: { preflight: 40, probes: 320, cleanup: 12 },
  });
}

/** The sample load run with every threshold passing and identify's p95 at `p95Ms`. */
export function passingLoadResult(p95Ms = 180): RunResult {
  const base = loadResult();
  return {
    ...base,
    outcome: "pass",
    thresholds: base.thresholds
      .map((t) =>
        t.metric.startsWith("http_req_duration")
          ? { ...t, observed: p95Ms, status: "passed" as const }
          : { ...t, status: "passed" as const },
      )
      .map(({ hint: _hint, ...t }) => t),
    scenarios: base.scenarios.map((s) => ({
      ...s,
      endpoints: s.endpoints.map((e) => ({ ...e, p95Ms })),
    })),
  };
}

/**
 * `result` with `seconds` of per-second rows on each scenario, pool use
 * included, so the HTML draws every chart. Fixed arithmetic, no randomness.
 */
export function withSeries(result: RunResult, seconds: number, p95Ms = 780): RunResult {
  const series = Array.from({ length: seconds }, (_, i) => ({
    second: i + 1,
    requests: 3000 + (i % 7) * 13,
    p50Ms: Math.round(p95Ms * 0.37) + (i % 5),
    p95Ms: p95Ms + (i % 11) * 7,
    status5xx: i % 97 === 0 ? 1 : 0,
    errors: 0,
    dropped: 0,
    pools: { pasukuru: { inUse: 12 + (i % 9), waiting: i % 13 === 0 ? 4 : 0 } },
  }));
  return { ...result, scenarios: result.scenarios.map((s) => ({ ...s, series })) };
}

/** The four fixed results every reporter is shown on: a passing and a failing smoke and load run. */
export const REPORTER_SAMPLES: Readonly<Record<string, RunResult>> = {
  "smoke-pass": smokeResult(),
  "smoke-fail": failingSmokeResult(),
  "load-pass": withSeries(passingLoadResult(), 30, 150),
  "load-fail": withSeries(loadResult(), 30),
  "probe-fail": failingProbeResult(),
};

/** A sample result as if it had just run (a sign-off takes no run older than --max-age). */
export function fresh(result: RunResult, ageMs = 60_000, now = new Date()): RunResult {
  const finishedAt = new Date(now.getTime() - ageMs);
  return {
    ...result,
    startedAt: new Date(finishedAt.getTime() - result.durationMs).toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
}
