import { redactUrl } from "../lib/redact.ts";
import type { SmokeTarget } from "./smokeSection.ts";

/** The connection a check reads its evidence through, named for a "could not judge" hint. */
export function evidenceSource(target: SmokeTarget, store: string): string {
  if (store === "redis") return `Redis at ${redactUrl(target.queue.redisUrl)}`;
  const url = target.databases[store]?.url;
  return `Postgres (${store})${url ? ` at ${redactUrl(url)}` : ""}`;
}
