import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import type { Tally } from "./tally.ts";
import { type EndpointTraffic, REQUEST_TIMEOUT_SEC } from "./traffic.ts";

export interface OpenModelOptions {
  /** Requests go to these in turn. */
  traffic: readonly EndpointTraffic[];
  ratePerSec: number;
  durationSec: number;
  /** A start that finds this many requests still open is dropped (k6: preAllocatedVUs/maxVUs). */
  maxInFlight: number;
  tally: Tally;
  signal?: AbortSignal;
}

/**
 * Open model: request i is meant to start at `start + i / rate`, whether or
 * not earlier ones have answered (k6's constant-arrival-rate). Latency is
 * measured from that intended start, so a generator or a connection that
 * made it start late adds to the latency instead of hiding (no coordinated
 * omission). A start that finds `maxInFlight` requests open is dropped and
 * counted. Bounded: exactly `rate × duration` starts, then the open ones are
 * awaited (each bounded by the request timeout).
 */
export async function runOpenModel(options: OpenModelOptions): Promise<void> {
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
  const intervalMs = 1000 / options.ratePerSec;
  const total = Math.round(options.ratePerSec * options.durationSec);
  const open = new Set<Promise<void>>();
  const start = performance.now();
  try {
    for (let i = 0; i < total && !options.signal?.aborted; i++) {
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
      if (options.signal?.aborted) break;
      const traffic = options.traffic[i % options.traffic.length] as EndpointTraffic;
      if (open.size >= options.maxInFlight) {
        options.tally.dropped();
        continue;
      }
      const request = traffic.next();
      const pool = pools.get(traffic.origin) as Pool;
      const sent = pool
        .request({ ...request, signal: AbortSignal.timeout(REQUEST_TIMEOUT_SEC * 1000) })
        .then(async (response) => {
          await response.body.dump();
          options.tally.record(traffic.endpoint, performance.now() - due, {
            kind: "answered",
            status: response.statusCode,
          });
        })
        .catch((error: unknown) => {
          const timedOut =
            error instanceof Error &&
            (error.name === "TimeoutError" ||
              /timeout/i.test((error as { code?: string }).code ?? ""));
          options.tally.record(traffic.endpoint, 0, { kind: "error", timedOut });
        })
        .finally(() => open.delete(sent));
      open.add(sent);
    }
    await Promise.all(open);
  } finally {
    await Promise.all([...pools.values()].map((p) => p.destroy()));
  }
}
