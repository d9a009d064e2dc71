import { jointCoreProblems } from "../lib/config/jointCoreProblems.ts";
import { schemaProblems } from "../lib/config/schemas/schemaProblems.ts";
import { smokeSectionSchema } from "../lib/config/schemas/smokeSchema.ts";
import type {
  JointProfile,
  QueueSpec,
  SmokeSection,
  TargetProfile,
} from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";

/** A profile the smoke can run against: it has a webhook queue and a smoke section. */
export type SmokeTarget = JointProfile & { queue: QueueSpec; smoke: SmokeSection };

/** Every problem of the profile's smoke section (and of the core parts the smoke needs). */
export function smokeSectionProblems(profile: TargetProfile): string[] {
  const p: string[] = jointCoreProblems(profile, "smoke");
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  if (profile.queue === undefined) {
    p.push(
      `${at("queue")} is missing; the smoke watches the webhook queue ({ redisUrl, prefix, name, deadLetters }).`,
    );
  }
  const smoke = profile.smoke;
  if (smoke === undefined) {
    p.push(
      `${at("smoke")} is missing: this target has no smoke section (identity, helpers, webhookJobId, assertions, cleanup). Add one, or pick another target.`,
    );
    return p;
  }
  p.push(...schemaProblems(smokeSectionSchema(), smoke, `targets.${profile.name}`, "smoke"));
  return p;
}

/** The profile as a SmokeTarget, or a ConfigError (exit 2) listing every problem. */
export function requireSmokeTarget(profile: TargetProfile): SmokeTarget {
  const problems = smokeSectionProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot run the smoke`);
  return profile as SmokeTarget;
}
