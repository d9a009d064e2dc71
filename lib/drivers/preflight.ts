import type { TargetProfile } from "../config/targetProfile.ts";
import { DependencyUnreachableError, describeError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { httpJson } from "./httpJson.ts";
import type { TargetConnections } from "./targetConnections.ts";

export interface DependencyStatus {
  dependency: string;
  /** Redacted. */
  url: string;
  reachable: boolean;
  reason?: string;
  hint: string;
}

const PREFLIGHT_TIMEOUT_MS = 3_000;

async function probe(
  dependency: string,
  rawUrl: string,
  hint: string,
  reach: () => Promise<void>,
): Promise<DependencyStatus> {
  const url = redactUrl(rawUrl);
  try {
    await reach();
    return { dependency, url, reachable: true, hint };
  } catch (error) {
    return { dependency, url, reachable: false, reason: describeError(error), hint };
  }
}

/** Reaches every dependency of the target, in parallel, before the run creates anything. */
export async function checkDependencies(
  profile: TargetProfile,
  connections: TargetConnections,
): Promise<DependencyStatus[]> {
  const probes: Promise<DependencyStatus>[] = [];
  for (const [name, service] of Object.entries(profile.services)) {
    const label = name === "curva" ? "Curva HTTP" : "Pasukuru HTTP";
    const healthUrl = `${service.url}${service.healthPath}`;
    probes.push(
      probe(
        label,
        healthUrl,
        `Is ${label.split(" ")[0]} deployed and is the URL in the target profile right?`,
        async () => {
          const response = await httpJson(connections.http, {
            method: "GET",
            url: healthUrl,
            timeoutMs: PREFLIGHT_TIMEOUT_MS,
          });
          if (response.status < 200 || response.status >= 300) {
            throw new Error(`health answered ${response.status}`);
          }
        },
      ),
    );
  }
  for (const [name, spec] of Object.entries(profile.databases) as [
    keyof TargetProfile["databases"],
    { url: string; cleanupUrl?: string },
  ][]) {
    const urls =
      spec.cleanupUrl && spec.cleanupUrl !== spec.url ? [spec.url, spec.cleanupUrl] : [spec.url];
    urls.forEach((url, i) => {
      const purpose = i === 0 ? "read" : "cleanup";
      probes.push(
        probe(
          `Postgres (${name}${i === 0 ? "" : ", cleanup"})`,
          url,
          "Is Postgres running, and may this user connect?",
          async () => {
            await connections.pool(name, purpose).query("SELECT 1");
          },
        ),
      );
    });
  }
  probes.push(
    probe("Redis", profile.queue.redisUrl, "Is Redis running at that address?", async () => {
      try {
        if (connections.redis.status === "wait") await connections.redis.connect();
        await connections.redis.ping();
      } catch (error) {
        throw connections.lastRedisError ?? error;
      }
    }),
  );
  return Promise.all(probes);
}

/** Throws for the first unreachable dependency, naming the others in the hint. */
export function assertReachable(statuses: readonly DependencyStatus[]): void {
  const down = statuses.filter((s) => !s.reachable);
  const [first, ...others] = down;
  if (!first) return;
  const also = others.map((s) => `${s.dependency} at ${s.url} (${s.reason})`).join("; ");
  throw new DependencyUnreachableError(
    first.dependency,
    first.url,
    first.reason ?? "unreachable",
    also ? `${first.hint} Also unreachable: ${also}.` : `${first.hint} Nothing was created.`,
  );
}
