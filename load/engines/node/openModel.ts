import { LatencyRecorder } from "../../../lib/latencyHistogram.ts";
import {
  type ConnectionTarget,
  connectionTarget,
  Http1Connection,
  requestHead,
  SENT,
} from "./http1Connection.ts";
import type { Tally } from "./tally.ts";
import { ENGINE_DEFAULTS, type EndpointTraffic, REQUEST_TIMEOUT_SEC } from "./traffic.ts";

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

interface OriginConnections {
  target: ConnectionTarget;
  idle: Http1Connection[];
}

/**
 * Open model: request i is meant to start at its due time (`i / rate` for a
 * constant rate, the stages' schedule for a ramp), whether or not earlier
 * ones have answered (k6's constant- and ramping-arrival-rate). Latency is
 * measured from that intended start, so a generator or a connection that
 * made it start late adds to the latency instead of hiding (no coordinated
 * omission). A start that finds `maxInFlight` requests open is dropped and
 * counted. One timer drives the schedule (and each answer's wake-up sends
 * what fell due meanwhile), and each start goes out on an
 * idle `Http1Connection` of its origin (a new one while fewer than
 * `maxInFlight` are open), so a start costs what a closed model's request
 * costs. Bounded: exactly `schedule.total` starts, then the open ones are
 * awaited (each bounded by the request timeout, all by the graceful stop)
 * and recorded. Returns how many were still open and cut (Ctrl-C, or the
 * grace ran out).
 */
export async function runOpenModel(
  options: OpenModelOptions,
): Promise<{ interrupted: number; lateness: StartLateness }> {
  // Per origin, its connections: the idle ones in a stack (the most recently used goes first, warm).
  const origins = new Map<string, OriginConnections>();
  for (const t of options.traffic)
    if (!origins.has(t.origin))
      origins.set(t.origin, { target: connectionTarget(t.origin), idle: [] });
  const connections: Http1Connection[] = [];
  const { total, dueSec, indexOf } = options.schedule;
  let inFlight = 0;
  let interrupted = 0;
  let cutting = false;
  let refused: unknown;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  // How late each start went out after its due time: the generator's own punctuality.
  const late = new LatencyRecorder();
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const settleIfDone = () => {
    if ((next >= total || cutting) && inFlight === 0) finished();
  };
  const cutAll = () => {
    cutting = true;
    if (timer) clearTimeout(timer);
    for (const connection of connections) connection.cut();
    settleIfDone();
  };
  const onAbort = () => cutAll();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const startOne = (i: number, due: number): void => {
    const index = indexOf?.(i) ?? i;
    const traffic = options.traffic[index % options.traffic.length] as EndpointTraffic;
    if (inFlight >= options.maxInFlight) {
      options.tally.dropped();
      return;
    }
    const at = origins.get(traffic.origin) as OriginConnections;
    const request = traffic.next(index, Math.floor(index / options.traffic.length));
    const bytes = requestHead(at.target, request) + (request.body ?? "");
    let connection = at.idle.pop();
    if (!connection) {
      connection = new Http1Connection(at.target, REQUEST_TIMEOUT_SEC * 1000);
      connections.push(connection);
    }
    const used = connection;
    inFlight++;
    const now = performance.now();
    late.record((now - due) * 1000);
    used.send(
      bytes,
      (how, status) => {
        inFlight--;
        at.idle.push(used);
        if (how === SENT.cut || cutting) interrupted++;
        else if (how === SENT.answered)
          options.tally.record(traffic.endpoint, performance.now() - due, {
            kind: "answered",
            status,
          });
        else
          options.tally.record(traffic.endpoint, 0, {
            kind: "error",
            timedOut: how === SENT.timedOut,
          });
        settleIfDone();
        // This answer's wake-up sends what fell due meanwhile (sendDue and nextDue are set before any answer).
        const answeredAt = performance.now();
        if (nextDue <= answeredAt) sendDue(answeredAt);
      },
      now,
    );
  };

  const start = performance.now();
  let nextDue = total > 0 ? start + dueSec(0) * 1000 : Number.POSITIVE_INFINITY;
  let timerDue = Number.NaN;
  /**
   * Sends every start now due. Called by the one timer of the schedule and
   * after each answer: an answer's wake-up sends what fell due meanwhile,
   * so a busy run needs few wake-ups of its own and starts go out sooner.
   */
  const sendDue = (now: number): void => {
    if (cutting) return;
    while (nextDue <= now) {
      try {
        startOne(next++, nextDue);
      } catch (error) {
        // A request the traffic could not build (a header that would break the framing): the run stops with it.
        refused ??= error;
        cutAll();
        return;
      }
      nextDue = next < total ? start + dueSec(next) * 1000 : Number.POSITIVE_INFINITY;
    }
    if (next >= total) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      // Every start is out: what is still open finishes and is recorded, within the grace; the rest are cut.
      grace ??= setTimeout(cutAll, options.gracefulStopMs ?? ENGINE_DEFAULTS.gracefulStopMs);
      settleIfDone();
    } else if (nextDue !== timerDue) {
      if (timer) clearTimeout(timer);
      timerDue = nextDue;
      timer = setTimeout(tick, nextDue - now);
    }
  };
  const tick = (): void => {
    timer = undefined;
    timerDue = Number.NaN;
    sendDue(performance.now());
  };
  try {
    if (options.signal?.aborted) cutAll();
    else sendDue(performance.now());
    await done;
    if (refused) throw refused;
  } finally {
    if (timer) clearTimeout(timer);
    if (grace) clearTimeout(grace);
    options.signal?.removeEventListener("abort", onAbort);
    for (const connection of connections) connection.close();
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
