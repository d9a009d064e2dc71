import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { LatencyRecorder } from "../../../lib/latencyHistogram.ts";
import type { Tally } from "./tally.ts";
import {
  ENGINE_DEFAULTS,
  type EndpointTraffic,
  isTimeout,
  REQUEST_TIMEOUT_SEC,
} from "./traffic.ts";

export interface OpenModelOptions {
  /** Requests go to these in turn. */
  traffic: readonly EndpointTraffic[];
  /**
   * How many starts, and when each is due (seconds since the start): a
   * constant rate, or stages. A runner's share of a split schedule also
   * says each start's `index` in the whole (its endpoint and data follow it).
   */
  schedule: { total: number; dueSec: (i: number) => number; indexOf?: (i: number) => number };
  /** A start that finds this many requests still open is dropped (k6: preAllocatedVUs/maxVUs). */
  maxInFlight: number;
  tally: Tally;
  /** Stops the load (Ctrl-C) at once: requests still open are cut and counted as interrupted. */
  signal?: AbortSignal;
  /** How long requests still open at the end may take to finish (k6's gracefulStop). */
  gracefulStopMs?: number;
}

/**
 * Open model: request i is meant to start at its due time (`i / rate` for a
 * constant rate, the stages' schedule for a ramp), whether or not earlier
 * ones have answered (k6's constant- and ramping-arrival-rate). Latency is
 * measured from that intended start, so a generator or a connection that
 * made it start late adds to the latency instead of hiding (no coordinated
 * omission). A start that finds `maxInFlight` requests open is dropped and
 * counted. Bounded: exactly `schedule.total` starts, then the open ones are
 * awaited (each bounded by the request timeout, all by the graceful stop)
 * and recorded. Returns how many were still open and cut (Ctrl-C, or the
 * grace ran out).
 */
export async function runOpenModel(
  options: OpenModelOptions,
): Promise<{ interrupted: number; lateness: StartLateness }> {
  const pools = new Map<string, Pool>();
  for (const t of options.traffic) {
    if (!pools.has(t.origin)) {
      pools.set(
        t.origin,
        new Pool(t.origin, {
          connections: options.maxInFlight,
          headersTimeout: REQUEST_TIMEOUT_SEC * 1000,
          bodyTimeout: REQUEST_TIMEOUT_SEC * 1000,
        }),
      );
    }
  }
  const { total } = options.schedule;
  const open = new Set<Promise<void>>();
  const cut = new AbortController();
  // Every open request listens for the cut: up to maxInFlight listeners, on purpose.
  setMaxListeners(0, cut.signal);
  const onAbort = () => cut.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) cut.abort();
  let interrupted = 0;
  // How late each start went out after its due time: the generator's own punctuality.
  const late = new LatencyRecorder();
  const start = performance.now();
  try {
    for (let i = 0; i < total && !options.signal?.aborted; i++) {
      const due = start + options.schedule.dueSec(i) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
      if (options.signal?.aborted) break;
      const index = options.schedule.indexOf?.(i) ?? i;
      const traffic = options.traffic[index % options.traffic.length] as EndpointTraffic;
      if (open.size >= options.maxInFlight) {
        options.tally.dropped();
        continue;
      }
      const request = traffic.next(index, Math.floor(index / options.traffic.length));
      late.record((performance.now() - due) * 1000);
      const pool = pools.get(traffic.origin) as Pool;
      const sent = pool
        .request({
          ...request,
          signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_SEC * 1000), cut.signal]),
        })
        .then(async (response) => {
          await response.body.dump();
          options.tally.record(traffic.endpoint, performance.now() - due, {
            kind: "answered",
            status: response.statusCode,
          });
        })
        .catch((error: unknown) => {
          if (cut.signal.aborted) {
            interrupted++;
            return;
          }
          options.tally.record(traffic.endpoint, 0, { kind: "error", timedOut: isTimeout(error) });
        })
        .finally(() => open.delete(sent));
      open.add(sent);
    }
    // The requests still open finish and are recorded, within the grace; the rest are cut.
    const grace = setTimeout(
      () => cut.abort(),
      options.gracefulStopMs ?? ENGINE_DEFAULTS.gracefulStopMs,
    );
    await Promise.all(open);
    clearTimeout(grace);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all([...pools.values()].map((p) => p.destroy()));
  }
  const lateness = {
    starts: late.count,
    p50Ms: late.percentileUs(50) / 1000,
    p99Ms: late.percentileUs(99) / 1000,
    maxMs: late.maxUs / 1000,
  };
  late.destroy();
  return { interrupted, lateness };
}

/** How late the open model's starts went out after their due times (0 is on time). */
export interface StartLateness {
  starts: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}
