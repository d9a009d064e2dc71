import type { TargetProfile } from "../config/targetProfile.ts";
import { httpJson } from "./httpJson.ts";
import {
  type DependencyStatus,
  probeDependency,
  REACH_TIMEOUT_MS,
  reachPostgres,
  reachRedis,
} from "./reachability.ts";
import type { TargetConnections } from "./targetConnections.ts";

const SERVICE_LABEL: Readonly<Record<string, string>> = { pasukuru: "Pasukuru", curva: "Curva" };

/** How messages name a service: the joint services by their product names, any other by its key. */
const labelOf = (name: string) => SERVICE_LABEL[name] ?? name;

/** The services' own versions, as their health endpoints reported them during preflight. */
export function serviceVersions(statuses: readonly DependencyStatus[]): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const status of statuses) {
    const name = status.service;
    if (name && status.version) versions[name] = status.version;
  }
  return versions;
}

/** Reaches every dependency the target's profile names, in parallel, before a run creates anything. */
export function checkDependencies(
  profile: TargetProfile,
  connections: TargetConnections,
): Promise<DependencyStatus[]> {
  const probes: Promise<DependencyStatus>[] = [];
  for (const [name, service] of Object.entries(profile.services)) {
    const label = labelOf(name);
    const healthUrl = `${service.url}${service.healthPath}`;
    probes.push(
      probeDependency(
        `${label} HTTP`,
        healthUrl,
        `Is ${label} deployed and is the URL in the target profile right?`,
        async () => {
          const response = await httpJson(connections.http, {
            method: "GET",
            url: healthUrl,
            timeoutMs: REACH_TIMEOUT_MS,
          });
          if (response.status < 200 || response.status >= 300) {
            throw new Error(`health answered ${response.status}`);
          }
          // The deployed build, when its health says: the sign-off names what was tested.
          const version = (response.body as { version?: unknown } | undefined)?.version;
          return typeof version === "string" ? { version } : {};
        },
      ).then((status) => ({ ...status, service: name })),
    );
  }
  for (const [name, spec] of Object.entries(profile.databases)) {
    const urls =
      spec.cleanupUrl && spec.cleanupUrl !== spec.url ? [spec.url, spec.cleanupUrl] : [spec.url];
    urls.forEach((url, i) => {
      probes.push(
        probeDependency(
          `Postgres (${name}${i === 0 ? "" : ", cleanup"})`,
          url,
          "Is Postgres running, and may this user connect?",
          () => reachPostgres(url),
        ),
      );
    });
  }
  const queue = profile.queue;
  if (queue) {
    probes.push(
      probeDependency("Redis", queue.redisUrl, "Is Redis running at that address?", () =>
        reachRedis(queue.redisUrl),
      ),
    );
  }
  return Promise.all(probes);
}
