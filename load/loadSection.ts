import type { LoadSection } from "../lib/config/loadProfile.ts";
import {
  checkFunction,
  checkHelper,
  checkStatements,
  checkUrl,
  jointCoreProblems,
} from "../lib/config/profileChecks.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { expectedStatusesProblems } from "../lib/expectedStatuses.ts";
import { isSigningScheme, SIGNING_SCHEMES } from "../lib/webhookSchemes.ts";
import { signingSecretProblem } from "../lib/webhookSigning.ts";
import { declaredScenarioProblems } from "./declaredScenarioProblems.ts";
import { POOL_SERVICES } from "./scenarios.ts";

/** A profile the load suite can run against. */
export type LoadTarget = TargetProfile & { load: LoadSection };

/** Every problem of the profile's load section. */
function loadSectionProblems(profile: TargetProfile): string[] {
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  const load = profile.load;
  if (load === undefined) {
    return [
      `${at("load")} is missing: this target has no load section (allowed, scenarios, cleanup; or the built-in scenarios' mintIdToken, identify, webhook, monitoring). Add one, or pick another target.`,
    ];
  }
  const p: string[] = [];
  if (typeof load.allowed !== "boolean") p.push(`${at("load.allowed")} must be true or false.`);
  const builtIn = load.identify !== undefined || load.webhook !== undefined;
  if (!builtIn && Object.keys(load.scenarios ?? {}).length === 0)
    p.push(
      `${at("load")} has nothing to run: declare scenarios (load.scenarios), or give the built-in ones their identify and webhook.`,
    );
  p.push(
    ...declaredScenarioProblems(profile, load),
    ...checkStatementsList(at("load.cleanup"), load.cleanup),
    ...unseenPoolProblems(profile.name, load, builtIn),
  );
  // The built-in scenarios are the Curva × Pasukuru plan's: checked only when the profile gives them.
  if (!builtIn) return p;
  p.push(...jointCoreProblems(profile, "load"));
  checkFunction(p, at("load.mintIdToken"), load.mintIdToken);
  checkHelper(p, at("load.identify"), { ...load.identify, read: () => undefined });
  const webhook = load.webhook;
  if (webhook?.service !== "pasukuru" && webhook?.service !== "curva")
    p.push(
      `${at("load.webhook.service")} is ${JSON.stringify(webhook?.service)}; allowed: "pasukuru", "curva".`,
    );
  if (typeof webhook?.path !== "string" || !webhook.path.startsWith("/"))
    p.push(`${at("load.webhook.path")} must be a path starting with /, e.g. /webhooks/pasukuru.`);
  checkFunction(p, at("load.webhook.eventBody"), webhook?.eventBody);
  p.push(
    ...expectedStatusesProblems(
      at("load.identify.expectedStatuses"),
      load.identify?.expectedStatuses,
    ),
    ...expectedStatusesProblems(at("load.webhook.expectedStatuses"), webhook?.expectedStatuses),
  );
  if (!isSigningScheme(webhook?.signing?.scheme))
    p.push(
      `${at("load.webhook.signing.scheme")} is ${JSON.stringify(webhook?.signing?.scheme)}; allowed: ${SIGNING_SCHEMES.map((s) => JSON.stringify(s)).join(", ")}.`,
    );
  if (typeof webhook?.signing?.secret !== "string" || webhook.signing.secret === "")
    p.push(
      `${at("load.webhook.signing.secret")} is missing: the secret Curva verifies webhook signatures with, read from the environment (staging: STAGING_WEBHOOK_SIGNING_SECRET).`,
    );
  else if (isSigningScheme(webhook.signing.scheme)) {
    // Checked before any load: a secret that cannot sign would crash the run mid-load.
    const problem = signingSecretProblem(webhook.signing.scheme, webhook.signing.secret);
    if (problem) p.push(`${at("load.webhook.signing.secret")} is not usable: ${problem}.`);
  }
  if (load.monitoring === undefined)
    p.push(
      `${at("load.monitoring")} is missing: the built-in scenarios judge both pools (give metrics, or a databaseUrl).`,
    );
  for (const [service, source] of Object.entries(load.monitoring?.metrics ?? {})) {
    if (typeof source?.path !== "string" || !source.path.startsWith("/"))
      p.push(
        `${at(`load.monitoring.metrics.${service}.path`)} must be a path starting with /, e.g. /metrics.`,
      );
  }
  for (const [service, app] of Object.entries(load.monitoring?.applications ?? {})) {
    const where = at(`load.monitoring.applications.${service}`);
    if (service !== "pasukuru" && service !== "curva")
      p.push(`${where}: no such service; allowed: pasukuru, curva.`);
    if (typeof app?.applicationName !== "string" || app.applicationName === "")
      p.push(
        `${where}.applicationName must be the pool's application_name (a trailing * matches a prefix).`,
      );
    if (!Number.isInteger(app?.poolSize) || (app?.poolSize ?? 0) < 1)
      p.push(`${where}.poolSize must be the pool's configured maximum, a whole number from 1.`);
  }
  if (load.monitoring?.applications && load.monitoring.databaseUrl === undefined)
    p.push(
      `${at("load.monitoring.applications")} needs load.monitoring.databaseUrl: pg_stat_activity is read there.`,
    );
  if (load.monitoring?.databaseUrl !== undefined)
    checkUrl(p, at("load.monitoring.databaseUrl"), load.monitoring.databaseUrl, [
      "postgres:",
      "postgresql:",
    ]);
  return p;
}

/**
 * With a monitoring database, every pool the scenarios judge and that has
 * no gauges must be mapped to its application_name: otherwise not one of
 * its connections can be told apart, and "never exhausted" would pass on
 * no evidence at all.
 */
function unseenPoolProblems(target: string, load: LoadSection, builtIn: boolean): string[] {
  const monitoring = load.monitoring;
  if (monitoring?.databaseUrl === undefined) return [];
  const judged = new Set<string>(builtIn ? POOL_SERVICES : []);
  for (const scenario of Object.values(load.scenarios ?? {}))
    for (const key of Object.keys(scenario?.thresholds ?? {})) {
      const service = /^db_pool_exhausted\{(?:[^}]*,)?service:([^,}]+)/.exec(key)?.[1];
      if (service) judged.add(service.trim());
    }
  const unmapped = [...judged].filter(
    (service) =>
      !Object.hasOwn(monitoring.metrics ?? {}, service) &&
      !Object.hasOwn(monitoring.applications ?? {}, service),
  );
  return unmapped.length === 0
    ? []
    : [
        `targets.${target}: load.monitoring.applications has no ${unmapped.join(", ")}: with no pool gauges (load.monitoring.metrics.<service>), a pool is told apart in pg_stat_activity only by its application_name. Add ${unmapped.map((s) => `applications.${s}: { applicationName: "<its application_name>", poolSize: <its max> }`).join(" and ")} (SELECT DISTINCT application_name FROM pg_stat_activity shows the names), or its gauges.`,
      ];
}

function checkStatementsList(key: string, statements: unknown): string[] {
  const p: string[] = [];
  checkStatements(p, key, statements as Parameters<typeof checkStatements>[2]);
  return p;
}

/**
 * The load section's problems, and the refusal: load is sent only to a
 * target whose profile says `load.allowed: true` (the local stack does; a
 * deployed one by its env, e.g. STAGING_LOAD_ALLOWED=true).
 */
export function loadRunProblems(profile: TargetProfile): string[] {
  const problems = loadSectionProblems(profile);
  if (problems.length === 0 && profile.load?.allowed !== true) {
    problems.push(
      `targets.${profile.name}: load.allowed is false: this target does not accept load. Allow it with ${profile.load?.allowedBy ?? "load.allowed: true in its profile"} if that is intended.`,
    );
  }
  return problems;
}

/** The profile as a LoadTarget that accepts load, or a ConfigError (exit 2) listing every problem. */
export function requireLoadTarget(profile: TargetProfile): LoadTarget {
  const problems = loadRunProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot run load`);
  return profile as LoadTarget;
}
