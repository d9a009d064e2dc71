import { PROFILE_SHAPE } from "./knownKeys.ts";
import { checkUrl } from "./profileChecks.ts";
import type { TargetProfile } from "./targetProfile.ts";

/** The profile's own keys, from the one table of known keys (name and production are the harness's). */
const PROFILE_KEYS = Object.keys(PROFILE_SHAPE).filter((k) => k !== "name" && k !== "production");

/** Keys of the first (flat) profile shape, and where each lives now. */
const MOVED_KEYS: Record<string, string> = {
  identity: "smoke.identity",
  helpers: "smoke.helpers",
  assertions: "smoke.assertions",
  cleanup: "smoke.cleanup",
};

/** The profile less the first shape's keys, which profileProblems names with where each lives now. */
export function withoutMovedKeys(profile: object): object {
  return Object.fromEntries(
    Object.entries(profile).filter(([key]) => !Object.hasOwn(MOVED_KEYS, key)),
  );
}

/**
 * Checks the core of a profile a target's setup returned (services,
 * databases, queue), so a hand-edited config fails with exit 2 naming the
 * key, not with a TypeError mid-run. Sections are checked by their users.
 */
export function profileProblems(profile: TargetProfile): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  for (const key of Object.keys(profile)) {
    if (key === "name" || key === "production" || PROFILE_KEYS.includes(key)) continue;
    p.push(
      MOVED_KEYS[key]
        ? `${at(key)} now lives in the smoke section: write it as ${MOVED_KEYS[key]}.`
        : `${at(key)} is not a profile key; allowed: ${PROFILE_KEYS.join(", ")}.`,
    );
  }
  if (typeof (profile.queue as { jobId?: unknown } | undefined)?.jobId === "function") {
    p.push(
      `${at("queue.jobId")} is now smoke.webhookJobId(ids, lookup), which may also look the job up (async).`,
    );
  }
  const services = Object.keys(profile.services ?? {});
  if (services.length === 0)
    p.push(
      `${at("services")} names no service: add at least one, e.g. { app: { url, healthPath } }.`,
    );
  for (const service of services) {
    checkUrl(p, at(`services.${service}.url`), profile.services[service]?.url, ["http:", "https:"]);
    const health = profile.services[service]?.healthPath;
    if (typeof health !== "string" || !health.startsWith("/"))
      p.push(
        `${at(`services.${service}.healthPath`)} must be a path starting with /, e.g. /health.`,
      );
  }
  if (typeof profile.databases !== "object" || profile.databases === null)
    p.push(`${at("databases")} must be an object of { url, cleanupUrl? } by name ({} for none).`);
  for (const db of Object.keys(profile.databases ?? {})) {
    const spec = profile.databases[db];
    checkUrl(p, at(`databases.${db}.url`), spec?.url, ["postgres:", "postgresql:"]);
    if (spec?.cleanupUrl !== undefined)
      checkUrl(p, at(`databases.${db}.cleanupUrl`), spec.cleanupUrl, ["postgres:", "postgresql:"]);
  }
  const queue = profile.queue;
  if (queue !== undefined) {
    checkUrl(p, at("queue.redisUrl"), queue.redisUrl, ["redis:", "rediss:"]);
    if (!queue.name)
      p.push(`${at("queue.name")} is missing; the webhook queue's name, e.g. curva-webhook.`);
    if (typeof queue.prefix !== "string" || queue.prefix === "")
      p.push(`${at("queue.prefix")} is missing; BullMQ's key prefix, "bull" unless set.`);
    const dl = queue.deadLetters;
    if (
      dl?.kind !== "failedSet" &&
      !(dl?.kind === "queue" && typeof dl.name === "string" && dl.name)
    ) {
      p.push(
        `${at("queue.deadLetters")} must be { kind: "failedSet" } or { kind: "queue", name }.`,
      );
    }
  }
  if (!Array.isArray(profile.secrets))
    p.push(`${at("secrets")} must be a list of values to scrub from every output.`);
  return p;
}
