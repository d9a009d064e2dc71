import autocannon from "autocannon";
import * as hdr from "hdr-histogram-js";

export interface ClosedLoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  /**
   * Seconds of the same load before measuring, in the same run (same
   * connections): a cold stack spends its first second answering every
   * connection's first request at once, which is start-up, not steady state.
   */
  warmupSec: number;
  method: "POST";
  /** Builds each request's headers and body; called once per request. */
  nextRequest: () => { headers: Record<string, string>; body: string };
}

export interface LoadFigures {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  /** Socket errors and requests unanswered after the timeout. */
  errors: number;
  /** The part of `errors` that were timeouts. */
  timeouts: number;
}

const TIMEOUT_SEC = 10;

/** One phase's tally: its own HDR histogram (microseconds) and counters. */
function createPhase() {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const counts = { non2xx: 0, errors: 0, timeouts: 0 };
  return {
    histogram,
    counts,
    figures(durationSec: number): LoadFigures {
      const ms = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
      const figures: LoadFigures = {
        requests: histogram.totalCount,
        requestsPerSec: histogram.totalCount / durationSec,
        p50Ms: ms(50),
        p95Ms: ms(95),
        p99Ms: ms(99),
        maxMs: histogram.maxValue / 1000,
        ...counts,
      };
      histogram.destroy();
      return figures;
    },
  };
}

/**
 * Closed model: N connections, each sends its next request when the last
 * answer arrives. Every response time goes into our own HDR histogram
 * (microseconds): autocannon's own summary has no p95. One autocannon run
 * covers warm-up and measurement, so the measured part reuses the warm-up's
 * connections instead of opening 1000 new ones at once.
 */
export async function runClosedLoad(
  options: ClosedLoadOptions,
): Promise<{ warmup: LoadFigures | undefined; measured: LoadFigures }> {
  const warmup = createPhase();
  const measured = createPhase();
  const measureFrom = performance.now() + options.warmupSec * 1000;
  // A request belongs to the phase it started in: one that was sent during the
  // warm-up and answered (or timed out) later is a warm-up request.
  const phaseOf = (startedAt: number) => (startedAt >= measureFrom ? measured : warmup);
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.warmupSec + options.durationSec,
        timeout: TIMEOUT_SEC,
        requests: [
          {
            method: options.method,
            setupRequest: (request) => ({ ...request, ...options.nextRequest() }),
          },
        ],
      },
      // Its own summary is not used: both phases are tallied from the events below.
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on("response", (_client, status, _bytes, responseTimeMs) => {
      const p = phaseOf(performance.now() - responseTimeMs);
      p.histogram.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
      if (status < 200 || status > 299) p.counts.non2xx++;
    });
    instance.on("reqError", (error: Error) => {
      const timedOut = error.message === "request timed out";
      const p = phaseOf(performance.now() - (timedOut ? TIMEOUT_SEC * 1000 : 0));
      p.counts.errors++;
      if (timedOut) p.counts.timeouts++;
    });
  });
  return {
    warmup: options.warmupSec > 0 ? warmup.figures(options.warmupSec) : undefined,
    measured: measured.figures(options.durationSec),
  };
}
