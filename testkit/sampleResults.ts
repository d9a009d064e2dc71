import type { RunResult } from "../lib/report/runResult.ts";

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
