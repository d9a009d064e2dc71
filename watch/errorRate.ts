import type { Sample } from "../lib/metricsText.ts";

/**
 * Curva's inbound 5xx rate on the webhook route over a window, from two
 * readings of its `http_requests_total` counters. A counter that went down
 * was reset (the service restarted): its increase is then its new value, as
 * Prometheus' `increase()` reads it, never a negative rate.
 */

/** One reading of the webhook route's counters: total requests and 5xx, per series. */
export interface CounterReading {
  at: number;
  /** Per series (its labels, as a key): requests counted so far. */
  series: Record<string, { value: number; is5xx: boolean }>;
}

export function readingOf(samples: readonly Sample[], route: string, at: number): CounterReading {
  const series: CounterReading["series"] = {};
  for (const s of samples) {
    if (s.labels.route !== route) continue;
    const key = Object.entries(s.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    series[key] = { value: s.value, is5xx: /^5\d\d$/.test(s.labels.status ?? "") };
  }
  return { at, series };
}

export interface ErrorRate {
  requests: number;
  errors5xx: number;
  /** errors5xx / requests, or null when there were no requests. */
  ratio: number | null;
  windowSec: number;
  /** Series whose counter went down between the readings. */
  resets: number;
}

/** The increase between `earlier` and `later`, series by series, resets handled. */
export function errorRate(earlier: CounterReading, later: CounterReading): ErrorRate {
  let requests = 0;
  let errors5xx = 0;
  let resets = 0;
  for (const [key, now] of Object.entries(later.series)) {
    const before = earlier.series[key]?.value ?? 0;
    let increase = now.value - before;
    if (increase < 0) {
      resets += 1;
      increase = now.value;
    }
    requests += increase;
    if (now.is5xx) errors5xx += increase;
  }
  return {
    requests,
    errors5xx,
    ratio: requests > 0 ? errors5xx / requests : null,
    windowSec: Math.round((later.at - earlier.at) / 1000),
    resets,
  };
}
