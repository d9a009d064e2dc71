import type { ServiceName } from "../../lib/config/targetProfile.ts";
import type { LoadTarget } from "../scenarios/loadSection.ts";
import { POOL_SERVICES } from "../scenarios/scenarios.ts";
import { DEFAULT_POOL_GAUGES, type PoolSource } from "./poolGauges.ts";
import { PoolSamplerThread } from "./poolSamplerThread.ts";

/* The pool sampler a scenario runs beside: its sources from the target's monitoring, on a thread of its own. */

function poolSources(target: LoadTarget): PoolSource[] {
  return (
    Object.entries(target.load.monitoring?.metrics ?? {}) as [
      ServiceName,
      {
        path: string;
        gauges?: Partial<typeof DEFAULT_POOL_GAUGES>;
        headers?: Record<string, string>;
      },
    ][]
  ).map(([service, source]) => ({
    service,
    metricsUrl: `${target.services[service]?.url}${source.path}`,
    ...(source.headers ? { headers: source.headers } : {}),
    gauges: { ...DEFAULT_POOL_GAUGES, ...source.gauges },
  }));
}

/** The pool sampler for a scenario, loaded on its own thread and waiting for the load's time zero. */
export async function bootPoolSampler(
  target: LoadTarget,
): Promise<{ sampler: PoolSamplerThread; sources: PoolSource[] }> {
  const sources = poolSources(target);
  const sampler = await PoolSamplerThread.boot({
    sources,
    ...(target.load.monitoring?.databaseUrl
      ? { monitoringDatabaseUrl: target.load.monitoring.databaseUrl }
      : {}),
    ...(target.load.monitoring?.applications
      ? { applications: target.load.monitoring.applications }
      : {}),
    services: POOL_SERVICES,
  });
  return { sampler, sources };
}
