import { z } from "zod";
import type { ProbeEventIds } from "../profileRuntime.ts";
import { headers, path, signing } from "./httpParts.ts";
import { probeHttpSchema } from "./probeHttpSchema.ts";
import { type ProfileNames, serviceRef, sqlStatement, sqlStatements } from "./profileRefs.ts";
import { fn, obj, oneOf, text, whole } from "./schemaParts.ts";

/*
 * The probe suite's part of a profile: the webhook receivers it attacks
 * (W, H) and the HTTP surface it checks (A, C, R, HC, S, T, E). Which probe
 * ids exist is the probe catalogue's (probe/probeSection.ts checks opt-ins).
 */

/** A read-back over HTTP: a test helper of the target that answers JSON holding the event's processing count. */
function processedCountCall(names?: ProfileNames) {
  return obj({
    service: serviceRef(names),
    method: oneOf(["GET", "POST"]).meta({ description: "The helper's HTTP method." }),
    path: fn<(ids: ProbeEventIds) => string>(
      "(ids) => the helper's path, with ids.eventId in it",
    ).meta({
      description:
        "A function (ids) => the helper's path for this event, e.g. (ids) => '/test/processed?eventId=' + ids.eventId.",
    }),
    headers: headers().optional().meta({
      description: "Sent with each read; the helper's secret goes here, from the environment.",
    }),
    pointer: text("a JSON pointer to the count")
      .optional()
      .meta({ description: "Where the count is in the answer's JSON (default /count)." }),
  });
}

/** One webhook receiver the probe suite attacks and retries against (W1–W13). */
export function probeWebhookSchema(names?: ProfileNames) {
  return obj({
    service: serviceRef(names),
    path: path("/webhooks/stripe").meta({ description: "The receiver's path on the service." }),
    signing: signing().meta({
      description:
        "How the receiver's deliveries are signed; the probes sign valid ones and forge the rest.",
    }),
    eventBody: fn<(ids: ProbeEventIds) => unknown>("(ids) => a valid event with ids.eventId").meta({
      description:
        "A valid event this receiver accepts and processes, with `eventId` where the receiver reads its event id.",
    }),
    processedCount: z
      .union([sqlStatement<ProbeEventIds>(names), processedCountCall(names)], {
        error: () =>
          "must be SQL ({ database, text, values }) or a test helper call ({ service, method, path, pointer? }) that reads the event's processing count.",
      })
      .optional()
      .meta({
        description:
          "How many times the receiver processed the event: SQL returning one row with a `count` column, or a call to a test helper answering JSON with the count (`{ service, method, path: (ids) => …, headers?, pointer? }`). Without it, W9–W11 are not judged.",
      }),
    ackBudgetMs: whole(1, 60_000, "the ack budget in ms")
      .optional()
      .meta({ description: "The ack budget (W1, W12); default 200 ms, the plan's." }),
    oversizedBytes: whole(1, 1 << 30, "the oversized body's bytes")
      .optional()
      .meta({
        description:
          "The body size W13 sends; default 2 MiB (past every common framework's limit).",
      }),
    verifyToken: text("the Meta verify token (from the environment)").optional().meta({
      description:
        "Meta (scheme `meta`): the verify token of the GET handshake on the same URL (H1, H2).",
    }),
  });
}

/** The probe suite's part of a profile. */
export function probeSectionSchema(names?: ProfileNames) {
  return obj({
    webhooks: z.record(z.string(), probeWebhookSchema(names)).optional().meta({
      description:
        "Receivers by a name the reports use, e.g. `curvaOrders` (none, when only the HTTP surface is probed).",
    }),
    http: probeHttpSchema(names)
      .optional()
      .meta({ description: "The HTTP surface probes' routes." }),
    cleanup: sqlStatements<{ runId: string; displayName: string }>(names).meta({
      description: "Removes what the probes' deliveries created, by run id (the events carry it).",
    }),
    productionOptIn: obj({
      probes: z
        .array(z.string(), { error: () => 'must be a list of probe ids, e.g. ["W1"].' })
        .meta({
          description: 'The write probes allowed against production, by id (e.g. `["W1"]`).',
        }),
      inertEventType: text(
        'the event type the receiver accepts and does nothing with (e.g. "ping")',
      ).meta({
        description: "An event type the receiver accepts and does nothing with (e.g. `ping`).",
      }),
    })
      .optional()
      .meta({
        description:
          "Write probes a production target allows (with --confirm-production): none unless named here. Their events are of an inert type the receiver accepts and does nothing with, passed to `eventBody` as `inertEventType`.",
      }),
  }).superRefine((probe, ctx) => {
    if (Object.keys(probe.webhooks ?? {}).length === 0 && probe.http === undefined)
      ctx.addIssue({
        code: "custom",
        message:
          "names nothing to probe: add webhooks (a receiver, e.g. { orders: { … } }) or http (the surface: cors, health, criticalRoutes, unimplemented, invalidInputs, methodNotAllowed).",
      });
  });
}
