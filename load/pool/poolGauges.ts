import type { ServiceName } from "../../lib/config/targetProfile.ts";
import { samplesOf } from "../../lib/metricsText.ts";

/** Names of a service's pg pool gauges on its /metrics (the reference stack's by default). */
export interface PoolGaugeNames {
  /** Connections the pool holds, idle or checked out. */
  total: string;
  idle: string;
  /** Callers waiting for a connection. */
  waiting: string;
  max: string;
  /** A counter of checkouts that timed out. */
  checkoutTimeouts: string;
  /** A histogram (seconds) of how long checkouts waited; needs a bucket at the grace (le="1"). */
  checkoutWait: string;
}

export const DEFAULT_POOL_GAUGES: PoolGaugeNames = {
  total: "db_pool_connections_total",
  idle: "db_pool_connections_idle",
  waiting: "db_pool_requests_waiting",
  max: "db_pool_max",
  checkoutTimeouts: "db_pool_checkout_timeouts_total",
  checkoutWait: "db_pool_checkout_wait_seconds",
};

export interface PoolSource {
  service: ServiceName;
  metricsUrl: string;
  /** Sent with each scrape (a scrape token). */
  headers?: Record<string, string>;
  gauges: PoolGaugeNames;
}

/** Sums every series of `name` in Prometheus text (any labels); undefined when absent. */
export function gaugeValue(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const { value } of samplesOf(text, name))
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  return sum;
}

/** A histogram bucket's cumulative count (`<name>_bucket{le="…"}`); undefined when absent. */
export function bucketValue(text: string, name: string, le: string): number | undefined {
  return samplesOf(text, `${name}_bucket`).find((sample) => sample.labels.le === le)?.value;
}
