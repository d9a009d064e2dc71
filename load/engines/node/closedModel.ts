import type { ConnectionRamp } from "../../../lib/result/scenarioResult.ts";
import {
  connectionTarget,
  Http1Connection,
  type OnSent,
  requestBytes,
  requestHead,
  SENT,
} from "./http1Connection.ts";
import type { Tally } from "./tally.ts";
import { ENGINE_DEFAULTS, type EndpointTraffic, REQUEST_TIMEOUT_SEC } from "./traffic.ts";

export interface ClosedModelOptions {
  traffic: EndpointTraffic;
  /** Connections opened (the peak, when `vusAt` ramps them). */
  connections: number;
  durationSec: number;
  /**
   * Stages (ramping-vus): how many users may be active `ms` after the start;
   * user i sends only while i is below it, and waits otherwise (one in
   * flight finishes first). Without it, every connection is active.
   */
  vusAt?: (ms: number) => number;
  /**
   * Seconds of the same load first, on the same connections, recorded into
   * `warmupTally` instead (bench:stack; a scenario has none: its first burst
   * of connections is what it measures).
   */
  warmupSec?: number;
  warmupTally?: Tally;
  tally: Tally;
  /** Stops the load (Ctrl-C) at once: requests still open are cut and counted as interrupted. */
  signal?: AbortSignal;
  /** A bound on the request count besides the duration; the run stops itself at either. */
  maxRequests: number;
  /** How long requests still open at the end may take to finish (k6's gracefulStop). */
  gracefulStopMs?: number;
}

export interface ClosedModelResult {
  ramp: ConnectionRamp;
  /** Requests still open when the load stopped and the grace ran out (or Ctrl-C): cut, not counted as answers. */
  interrupted: number;
}

/**
 * Closed model: N connections, each sends its next request when the last
 * answer arrives (k6's constant-vus). One `Http1Connection` per user (one
 * socket, no pipelining); every response time goes into the harness's own
 * HDR histograms. When the duration ends, no new request
 * starts and those still open are waited for, at most `gracefulStopMs`
 * (default 30 s, like k6's gracefulStop; each is bounded by its 10 s timeout
 * anyway), and recorded: the figures hold every request the run sent, and
 * cleanup runs only after the last of them has answered.
 */
export async function runClosedModel(options: ClosedModelOptions): Promise<ClosedModelResult> {
  const { traffic, tally } = options;
  const warmupSec = options.warmupSec ?? 0;
  const start = performance.now();
  const measureFrom = start + warmupSec * 1000;
  const endAt = measureFrom + options.durationSec * 1000;
  // A request belongs to the phase it started in: one sent during the warm-up
  // and answered (or timed out) later is a warm-up request.
  const tallyOf = (startedAt: number) =>
    startedAt >= measureFrom ? tally : (options.warmupTally ?? tally);
  const firstAnswers: number[] = [];
  const target = connectionTarget(traffic.origin);
  const connections = Array.from(
    { length: options.connections },
    () => new Http1Connection(target, REQUEST_TIMEOUT_SEC * 1000),
  );
  // Cut at Ctrl-C, or when the grace after the end runs out.
  let cutting = false;
  const cutOpen = () => {
    cutting = true;
    for (const connection of connections) connection.cut();
  };
  let stopping = false;
  let sent = 0;
  let interrupted = 0;
  // A request the traffic could not build (a header that would break the framing): the run stops with it.
  let refused: unknown;
  // Users waiting for the stages to let them in (ramping-vus), by index.
  const parked = new Map<number, () => void>();
  const stop = () => {
    stopping = true;
    for (const index of [...parked.keys()]) {
      parked.delete(index);
      userStopped();
    }
  };
  const stopTimer = setTimeout(stop, Math.max(0, endAt - performance.now()));
  const onAbort = () => {
    stop();
    cutOpen();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const vusAt = options.vusAt;
  const rampTimer = vusAt
    ? setInterval(() => {
        if (stopping) return;
        const target = vusAt(performance.now() - measureFrom);
        for (const [index, resume] of [...parked])
          if (index < target) {
            parked.delete(index);
            resume();
          }
      }, 20)
    : undefined;
  let running = connections.length;
  let allStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    allStopped = resolve;
  });
  const userStopped = () => {
    if (--running === 0) allStopped();
  };

  /**
   * One user on its own connection: sends, and on each answer sends again
   * until the load stops. Callback-driven, one callback reused for every
   * request (no promise, stream, timer or abort listener per request): the
   * generator's own cost per request stays small.
   */
  const user = (connection: Http1Connection, index: number): void => {
    // A connection is one user: a fixed request, its bytes built when it opens, or a fresh one each time.
    const fixedRequest = traffic.perConnection?.();
    const fixed = fixedRequest && requestBytes(target, fixedRequest);
    let answeredOnce = false;
    let startedAt = 0;
    const onSent: OnSent = (how, status) => {
      if (how === SENT.cut || cutting) {
        interrupted++;
        userStopped();
        return;
      }
      const now = performance.now();
      if (how === SENT.answered) {
        if (!answeredOnce) {
          answeredOnce = true;
          firstAnswers.push(now - start);
        }
        tallyOf(startedAt).record(traffic.endpoint, now - startedAt, { kind: "answered", status });
        next();
        return;
      }
      tallyOf(startedAt).record(traffic.endpoint, 0, {
        kind: "error",
        timedOut: how === SENT.timedOut,
      });
      // The next request goes out on the next turn: a refused connection does not spin the event loop.
      setImmediate(next);
    };
    const next = (): void => {
      if (stopping || sent >= options.maxRequests) {
        userStopped();
        return;
      }
      if (vusAt && index >= vusAt(performance.now() - measureFrom)) {
        parked.set(index, next);
        return;
      }
      let bytes: Buffer | string;
      try {
        if (fixed) bytes = fixed;
        else {
          const request = traffic.next();
          bytes = requestHead(target, request) + (request.body ?? "");
        }
      } catch (error) {
        refused ??= error;
        stop();
        userStopped();
        return;
      }
      sent++;
      startedAt = performance.now();
      connection.send(bytes, onSent, startedAt);
    };
    next();
  };

  try {
    for (const [index, connection] of connections.entries()) user(connection, index);
    // Ends when every user has stopped: at the end (requests in flight finish first), Ctrl-C or the bound.
    const afterEnd = setTimeout(
      () => {
        stop();
        cutOpen();
      },
      Math.max(0, endAt - performance.now()) +
        (options.gracefulStopMs ?? ENGINE_DEFAULTS.gracefulStopMs),
    );
    await stopped;
    clearTimeout(afterEnd);
    if (refused) throw refused;
  } finally {
    clearTimeout(stopTimer);
    if (rampTimer) clearInterval(rampTimer);
    options.signal?.removeEventListener("abort", onAbort);
    for (const connection of connections) connection.close();
  }
  return { ramp: rampOf(options.connections, firstAnswers), interrupted };
}

function rampOf(connections: number, firstAnswers: number[]): ConnectionRamp {
  const sorted = [...firstAnswers].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? 0
      : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
  return {
    connections,
    answered: sorted.length,
    firstAnswerP50Ms: Math.round(at(50)),
    firstAnswerP99Ms: Math.round(at(99)),
    firstAnswerMaxMs: Math.round(sorted.at(-1) ?? 0),
  };
}
