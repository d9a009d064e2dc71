import type { ProbeSection } from "../lib/config/probeProfile.ts";
import { probeSectionSchema } from "../lib/config/schemas/probeSchema.ts";
import { profileNames } from "../lib/config/schemas/profileSchema.ts";
import { schemaProblems } from "../lib/config/schemas/schemaProblems.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { PROBES } from "./probeCatalogue.ts";

/** A profile the probe suite can run against: it has a probe section. */
export type ProbeTarget = TargetProfile & { probe: ProbeSection };

/** Every problem of the profile's probe section, each naming its key and what to write. */
export function probeSectionProblems(profile: TargetProfile): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  const probe = profile.probe;
  if (probe === undefined) {
    p.push(
      `${at("probe")} is missing: this target has no probe section ({ webhooks: { <name>: { service, path, signing, eventBody, processedCount? } }, cleanup }). Add one, or pick another target.`,
    );
    return p;
  }
  p.push(
    ...schemaProblems(
      probeSectionSchema(profileNames(profile)),
      probe,
      `targets.${profile.name}`,
      "probe",
    ),
  );
  // Which probes exist, and which never run on production, is the catalogue's.
  const probes = probe.productionOptIn?.probes;
  for (const id of Array.isArray(probes) ? probes : []) {
    const spec = PROBES.find((x) => x.id === id);
    if (!spec)
      p.push(
        `${at("probe.productionOptIn.probes")} names ${JSON.stringify(id)}, not a probe; known: ${PROBES.map((x) => x.id).join(", ")}.`,
      );
    else if (spec.safety === "burst" || spec.safety === "outage")
      p.push(
        `${at("probe.productionOptIn.probes")} names ${id}, ${spec.safety === "burst" ? "a burst" : "an outage"}: ${spec.safety === "burst" ? "bursts" : "outages"} never run against production, opted in or not.`,
      );
  }
  return p;
}

/** The profile as a ProbeTarget, or a ConfigError (exit 2) listing every problem. */
export function requireProbeTarget(profile: TargetProfile): ProbeTarget {
  const problems = probeSectionProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot run the probes`);
  return profile as ProbeTarget;
}
