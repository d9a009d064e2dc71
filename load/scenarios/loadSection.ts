import { jointCoreProblems } from "../../lib/config/jointCoreProblems.ts";
import type { LoadSection } from "../../lib/config/loadProfile.ts";
import { loadSectionSchema } from "../../lib/config/schemas/loadSchema.ts";
import { profileNames } from "../../lib/config/schemas/profileSchema.ts";
import { schemaProblems } from "../../lib/config/schemas/schemaProblems.ts";
import type { TargetProfile } from "../../lib/config/targetProfile.ts";
import { ConfigError } from "../../lib/errors.ts";
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
  const builtIn = load.identify !== undefined || load.webhook !== undefined;
  return [
    ...schemaProblems(
      loadSectionSchema(profileNames(profile)),
      load,
      `targets.${profile.name}`,
      "load",
    ),
    ...declaredScenarioProblems(profile, load),
    ...unseenPoolProblems(profile.name, load, builtIn),
    // The built-in scenarios are the Curva × Pasukuru plan's: checked only when the profile gives them.
    ...(builtIn ? jointCoreProblems(profile, "load") : []),
  ];
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
