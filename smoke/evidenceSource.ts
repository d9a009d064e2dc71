import type { DatabaseName } from "../lib/config/targetProfile.ts";
import { redactUrl } from "../lib/redact.ts";
import type { SmokeTarget } from "./smokeSection.ts";

/** The connection a check reads its evidence through, named for a "could not judge" hint. */
export function evidenceSource(target: SmokeTarget, store: DatabaseName | "redis"): string {
  if (store === "redis") return `Redis at ${redactUrl(target.queue.redisUrl)}`;
  return `Postgres (${store}) at ${redactUrl(target.databases[store].url)}`;
}
