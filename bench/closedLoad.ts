import autocannon from "autocannon";
import * as hdr from "hdr-histogram-js";

export interface ClosedLoadOptions {
  url: string;
  connections: number;
  durationSec: number;
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
  errors: number;
  timeouts: number;
}

/**
 * Closed model: N connections, each sends its next request when the last
 * answer arrives. Every response time goes into our own HDR histogram
 * (microseconds): autocannon's own summary has no p95.
 */
export async function runClosedLoad(options: ClosedLoadOptions): Promise<LoadFigures> {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSec,
        timeout: 10,
        requests: [
          {
            method: options.method,
            setupRequest: (request) => ({ ...request, ...options.nextRequest() }),
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTimeMs) => {
      histogram.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  const ms = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  const figures: LoadFigures = {
    requests: histogram.totalCount,
    requestsPerSec: histogram.totalCount / options.durationSec,
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    maxMs: histogram.maxValue / 1000,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  histogram.destroy();
  return figures;
}
