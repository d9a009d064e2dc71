import type { z } from "zod";
import type {
  databaseSpecSchema,
  deadLetterSpecSchema,
  httpServiceSchema,
  queueSpecSchema,
} from "./schemas/coreSchema.ts";
import type { sqlStatement } from "./schemas/profileRefs.ts";
import type { targetProfileSchema } from "./schemas/profileSchema.ts";
import type {
  helperCallSchema,
  identitySpecSchema,
  smokeSectionSchema,
} from "./schemas/smokeSchema.ts";
import type { sweepSectionSchema } from "./schemas/sweepSchema.ts";
import type {
  notifierSpecSchema,
  watchSectionSchema,
  watchSettingsSchema,
} from "./schemas/watchSchema.ts";

/*
 * Everything the harness knows about a target. Suites never learn whether
 * they talk to the local stack or staging: every target-specific fact (URLs,
 * helper calls, SQL, queue layout, identities, secrets) is in here.
 *
 * A profile is a core (where the target's services, databases and queue are,
 * and which values are secret) plus one optional section per suite or
 * command. The types are the schemas' (lib/config/schemas/), so what the
 * compiler checks and what a config is checked against are one source; each
 * section is validated by the code that uses it.
 */

export type {
  HelperResponse,
  RequestBudget,
  RunIds,
  TargetLookup,
} from "./profileRuntime.ts";

/** The two services of the joint suites (smoke, load, watch); a probe target may name any others. */
export type ServiceName = "pasukuru" | "curva";
export type DatabaseName = "pasukuru" | "curva";

export type HttpService = z.infer<typeof httpServiceSchema>;
export type DatabaseSpec = z.infer<typeof databaseSpecSchema>;
/** One parameterised statement: `text` uses $1..$n, `values` fills them. */
export type SqlStatement<Args> = z.infer<ReturnType<typeof sqlStatement<Args>>>;
/** A call to a test helper endpoint, and how to read what the step needs from its answer. */
export type HelperCall<T> = z.infer<ReturnType<typeof helperCallSchema<T>>>;
export type IdentitySpec = z.infer<typeof identitySpecSchema>;
export type DeadLetterSpec = z.infer<typeof deadLetterSpecSchema>;
/** Pasukuru's outbound webhook queue (BullMQ): where it lives and where dead letters go. */
export type QueueSpec = z.infer<typeof queueSpecSchema>;
/** What the joint smoke needs of a target (validated by smoke/smokeSection.ts). */
export type SmokeSection = z.infer<ReturnType<typeof smokeSectionSchema>>;
export type SmokeAssertionsSql = SmokeSection["assertions"];
/** How `harness sweep` finds and removes what crashed runs left (validated by lib/cleanup/sweepRuns.ts). */
export type SweepSection = z.infer<ReturnType<typeof sweepSectionSchema>>;
/** Where a notification goes; secrets (the webhook URL, the SMTP password) come from the environment. */
export type NotifierSpec = z.infer<typeof notifierSpecSchema>;
/** The watch's thresholds and timings; defaults in WATCH_DEFAULTS (watch/watchSection.ts). */
export type WatchSettings = z.infer<typeof watchSettingsSchema>;
/** What `harness watch` needs of a target (validated by watch/watchSection.ts). */
export type WatchSection = z.infer<typeof watchSectionSchema>;

type ProfileShape = z.infer<ReturnType<typeof targetProfileSchema>>;

export type TargetProfile = Omit<ProfileShape, "production"> & {
  /** The target's name in the config. */
  name: string;
  production: boolean;
};

/**
 * A profile of the Curva × Pasukuru shape, as the joint suites (smoke, load,
 * watch) need it: both services and both databases. Their section checks
 * say so when one is missing (`jointCoreProblems`).
 */
export type JointProfile = TargetProfile & {
  services: Record<ServiceName, HttpService>;
  databases: Record<DatabaseName, DatabaseSpec>;
};
