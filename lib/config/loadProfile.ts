import type { z } from "zod";
import type {
  declaredModelSchema,
  declaredRequestSchema,
  declaredScenarioSchema,
} from "./schemas/declaredScenarioSchema.ts";
import type { poolGaugesSchema } from "./schemas/loadMonitoringSchema.ts";
import type { loadSectionSchema } from "./schemas/loadSchema.ts";

/*
 * The load suite's part of a target profile, as its schema
 * (lib/config/schemas/loadSchema.ts and the two it composes) describes it.
 */

/** Names of a service's pg pool gauges on /metrics; each defaults to the reference stack's. */
export type PoolGauges = z.infer<typeof poolGaugesSchema>;
/** One request of a declared scenario: an endpoint of the target, and how each request's body is made. */
export type DeclaredRequest = z.infer<ReturnType<typeof declaredRequestSchema>>;
/** A model as a profile writes it: constant or in stages (`durationSec` of a staged one is its stages' sum). */
export type DeclaredModel = z.infer<typeof declaredModelSchema>;
/** A scenario a target declares. */
export type DeclaredScenario = z.infer<ReturnType<typeof declaredScenarioSchema>>;
/** What the load suite needs of a target (validated by load/scenarios/loadSection.ts). */
export type LoadSection = z.infer<ReturnType<typeof loadSectionSchema>>;
