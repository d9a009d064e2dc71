import { databasesSchema, queueSpecSchema, secretsSchema, servicesSchema } from "./coreSchema.ts";
import { loadSectionSchema } from "./loadSchema.ts";
import { probeSectionSchema } from "./probeSchema.ts";
import type { ProfileNames } from "./profileRefs.ts";
import { bool, obj } from "./schemaParts.ts";
import { smokeSectionSchema } from "./smokeSchema.ts";
import { sweepSectionSchema } from "./sweepSchema.ts";
import { watchSectionSchema } from "./watchSchema.ts";

/** The sections of a profile, one per suite or command; each is validated by its user. */
export const SECTIONS = ["smoke", "load", "sweep", "watch", "probe"] as const;
export type SectionName = (typeof SECTIONS)[number];

/**
 * The whole profile a target's setup() returns: the core (services,
 * databases, queue, secrets) and one optional section per suite. Its
 * `name` is the harness's (the target's name in the config). With
 * `names`, a reference to a service or database the profile does not
 * define is a problem at its key.
 */
export function targetProfileSchema(names?: ProfileNames) {
  return obj({
    services: servicesSchema.meta({
      description:
        "Every HTTP service of the target by name; the joint suites need pasukuru and curva.",
    }),
    databases: databasesSchema.meta({
      description: "Every database the profile's SQL reads or cleans, by name (may be none).",
    }),
    queue: queueSpecSchema.optional().meta({
      description:
        "Needed by the smoke (and the DLQ alert); a target without a webhook queue leaves it out.",
    }),
    secrets: secretsSchema.meta({
      description: "Values to scrub from every output (secrets, tokens, passwords).",
    }),
    smoke: smokeSectionSchema().optional().meta({
      description:
        "What the joint smoke needs (smoke/README.md): who it runs as, the test helpers, the assertions, cleanup.",
    }),
    load: loadSectionSchema(names).optional().meta({
      description:
        "What the load suite needs (load/README.md): whether load is allowed, the endpoints or declared scenarios, monitoring, thresholds, cleanup.",
    }),
    sweep: sweepSectionSchema(names)
      .optional()
      .meta({ description: "How `harness sweep` finds and removes what crashed runs left (SQL)." }),
    watch: watchSectionSchema.optional(),
    probe: probeSectionSchema(names).optional().meta({
      description:
        "What the probe suite checks (probe/README.md): webhook receivers and the HTTP surface.",
    }),
    production: bool().optional().meta({
      description: "The profile may mark its target production; it can never unmark one.",
    }),
  });
}

/** The names a profile defines, as far as its services and databases are objects. */
export function profileNames(profile: { services?: unknown; databases?: unknown }): ProfileNames {
  const keys = (value: unknown) =>
    typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  return { services: keys(profile.services), databases: keys(profile.databases) };
}
