import autocannon from "autocannon";
import type { ConnectionRamp } from "../../lib/report/runResult.ts";
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
export function runClosedModel(options: ClosedModelOptions): Promise<ConnectionRamp> {
  const { traffic, tally } = options;
  const warmupSec = options.warmupSec ?? 0;
  const measureFrom = performance.now() + warmupSec * 1000;
  // A request belongs to the phase it started in: one sent during the warm-up
  // and answered (or timed out) later is a warm-up request.
  const tallyOf = (startedAt: number) =>
    startedAt >= measureFrom ? tally : (options.warmupTally ?? tally);
  // When each connection got its first answer: a slow ramp is a target accepting slowly.
  const firstAnswers: number[] = [];
  const answeredClients = new WeakSet<object>();
  const start = performance.now();
  return new Promise<ConnectionRamp>((resolve, reject) => {
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
        else resolve(rampOf(options.connections, firstAnswers));
      },
    );
    // autocannon acts on stop() at its next one-second tick: the load ends within a second.
    const stop = () => instance.stop();
    options.signal?.addEventListener("abort", stop);
    if (options.signal?.aborted) stop();
    instance.on("response", (client, status, _bytes, responseTimeMs) => {
      if (!answeredClients.has(client)) {
        answeredClients.add(client);
        firstAnswers.push(performance.now() - start);
      }
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
