import { runClosedModel } from "../load/engines/node/closedModel.ts";
import { type EndpointFigures, Tally } from "../load/engines/node/tally.ts";
import type { EndpointTraffic } from "../load/engines/node/traffic.ts";

/** What the table shows of one phase. */
export interface LoadFigures {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

function figuresOf(f: EndpointFigures | undefined, seconds: number): LoadFigures {
  if (!f) throw new Error("no figures");
  return {
    requests: f.requests,
    requestsPerSec: f.requests / seconds,
    p50Ms: f.p50Ms,
    p95Ms: f.p95Ms,
    p99Ms: f.p99Ms,
    maxMs: f.maxMs,
    non2xx: f.requests - f.status2xx,
    errors: f.errors,
  };
}

/** The engine's closed model, with a warm-up on the same connections tallied apart. */
export async function closedLoad(
  traffic: EndpointTraffic,
  connections: number,
  durationSec: number,
  warmupSec: number,
): Promise<{ warmup: LoadFigures | undefined; measured: LoadFigures }> {
  const start = performance.now();
  const warmupTally = new Tally([traffic.endpoint], start);
  const tally = new Tally([traffic.endpoint], start + warmupSec * 1000);
  try {
    await runClosedModel({
      traffic,
      connections,
      durationSec,
      warmupSec,
      warmupTally,
      tally,
      maxRequests: 100_000 * (warmupSec + durationSec),
    });
    return {
      warmup: warmupSec > 0 ? figuresOf(warmupTally.figures().endpoints[0], warmupSec) : undefined,
      measured: figuresOf(tally.figures().endpoints[0], durationSec),
    };
  } finally {
    warmupTally.destroy();
    tally.destroy();
  }
}
