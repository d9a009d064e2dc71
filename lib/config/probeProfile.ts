import type { z } from "zod";
import type { probeHttpSchema } from "./schemas/probeHttpSchema.ts";
import type { probeSectionSchema, probeWebhookSchema } from "./schemas/probeSchema.ts";

/*
 * The probe suite's part of a target profile, as its schema
 * (lib/config/schemas/probeSchema.ts, probeHttpSchema.ts) describes it: the webhook receivers
 * it attacks (W, H) and the HTTP surface it checks (A, C, R, HC, S, T, E).
 */

export type { IdentityBudget, ProbeEventIds } from "./profileRuntime.ts";
export type { ProbeIdentity } from "./schemas/probeAuthSchema.ts";

/** One webhook receiver the probe suite attacks and retries against (W1–W13). */
export type ProbeWebhook = z.infer<ReturnType<typeof probeWebhookSchema>>;
/** The HTTP surface the surface probes check (A, C, R, HC, S, T, E). */
export type ProbeHttp = z.infer<ReturnType<typeof probeHttpSchema>>;
/** One route of a target's HTTP surface: a service of the profile, a method and a path. */
export type ProbeRoute = NonNullable<ProbeHttp["unimplemented"]>[number];
/** A call to a test helper of the target (HC2's outage and its end). */
export type ProbeHelperRequest = NonNullable<NonNullable<ProbeHttp["readiness"]>["takeDown"]>;
/** The probe suite's part of a profile. */
export type ProbeSection = z.infer<ReturnType<typeof probeSectionSchema>>;
