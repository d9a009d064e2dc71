import autocannon from "autocannon";
import type { Tally } from "./tally.ts";
import { type EndpointTraffic, type LoadRequest, REQUEST_TIMEOUT_SEC } from "./traffic.ts";

export interface ClosedModelOptions {
  traffic: EndpointTraffic;
  connections: number;
  durationSec: number;
  /**
   * Seconds of the same load first, on the same connections, recorded into
   * `warmupTally` instead (bench:stack; a scenario has none: its first burst
   * of connections is what it measures).
   */
  warmupSec?: number;
  warmupTally?: Tally;
  tally: Tally;
  /** Stops the load (Ctrl-C), within a second. */
  signal?: AbortSignal;
  /** A bound on the request count besides the duration; the run stops itself at either. */
  maxRequests: number;
}

/**
 * Closed model: N connections, each sends its next request when the last
 * answer arrives (k6's constant-vus). autocannon drives the connections;
 * every response time goes into the harness's own HDR histograms, because
 * autocannon's summary has no p95.
 */
export function runClosedModel(options: ClosedModelOptions): Promise<void> {
  const { traffic, tally } = options;
  const warmupSec = options.warmupSec ?? 0;
  const measureFrom = performance.now() + warmupSec * 1000;
  // A request belongs to the phase it started in: one sent during the warm-up
  // and answered (or timed out) later is a warm-up request.
  const tallyOf = (startedAt: number) =>
    startedAt >= measureFrom ? tally : (options.warmupTally ?? tally);
  return new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: traffic.origin,
        connections: options.connections,
        duration: warmupSec + options.durationSec,
        timeout: REQUEST_TIMEOUT_SEC,
        // Split across the connections; the duration still applies, whichever ends first.
        maxOverallRequests: Math.max(options.maxRequests, options.connections),
        ...(traffic.perConnection
          ? {
              method: "POST" as const,
              setupClient: (client: autocannon.Client) => {
                client.setRequests([(traffic.perConnection as () => LoadRequest)()]);
              },
            }
          : {
              requests: [
                {
                  method: "POST" as const,
                  setupRequest: (request: autocannon.Request) =>
                    Object.assign(request, traffic.next()),
                },
              ],
            }),
      },
      // Its own summary is not used: everything is tallied from the events below.
      (error) => {
        options.signal?.removeEventListener("abort", stop);
        if (error) reject(error);
        else resolve();
      },
    );
    // autocannon acts on stop() at its next one-second tick: the load ends within a second.
    const stop = () => instance.stop();
    options.signal?.addEventListener("abort", stop);
    if (options.signal?.aborted) stop();
    instance.on("response", (_client, status, _bytes, responseTimeMs) => {
      tallyOf(performance.now() - responseTimeMs).record(traffic.endpoint, responseTimeMs, {
        kind: "answered",
        status,
      });
    });
    instance.on("reqError", (error: Error) => {
      const timedOut = error.message === "request timed out";
      tallyOf(performance.now() - (timedOut ? REQUEST_TIMEOUT_SEC * 1000 : 0)).record(
        traffic.endpoint,
        0,
        { kind: "error", timedOut },
      );
    });
  });
}
