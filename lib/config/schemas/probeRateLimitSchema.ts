import { z } from "zod";
import { headerName } from "./httpParts.ts";
import { helperRequest, identityRef, routeShape } from "./probeRouteShapes.ts";
import type { ProfileNames } from "./profileRefs.ts";
import { obj, whole } from "./schemaParts.ts";

/*
 * The probe section's rate-limited route (R1–R5): the burst's bounds, the
 * vendor headers R2 reads, a second identity for R4, and the limiter's
 * store outage for R5.
 */

export function probeRateLimitSchema(names?: ProfileNames) {
  return obj({
    ...routeShape(names),
    identity: identityRef(),
    otherIdentity: z.string().optional().meta({
      description:
        "R4, a limit per identity: a second identity (a name of `probe.http.identities`, not `identity`) whose request, sent the moment `identity` is limited, must not be.",
    }),
    storeOutage: obj({
      takeDown: helperRequest(names).meta({
        description:
          "The test helper call that takes the limiter's store (Redis) down; it must answer 2xx.",
      }),
      restore: helperRequest(names).meta({
        description: "The test helper call that brings it back; always called.",
      }),
    })
      .optional()
      .meta({
        description:
          "R5, the limiter fails closed: with its store down, a burst of limit + extra must still be limited (or refused outright), never let through.",
      }),
    body: z.string().optional().meta({
      description: "What each request of the burst carries (it should be one the limit counts).",
    }),
    limit: whole(1, 10_000, "the requests the window allows").meta({
      description: "The requests the window allows.",
    }),
    windowMs: whole(1, 3_600_000, "the window in ms").meta({
      description: "The limit's window, in ms.",
    }),
    extra: whole(1, 1_000, "how many past the limit the burst may go").optional().meta({
      description:
        "How many past the limit the burst may go before it calls the limit missing (default 5).",
    }),
    /** The vendor headers the target sends (R2), e.g. { remaining: "x-ratelimit-remaining" }. */
    vendorHeaders: obj({
      limit: headerName().optional().meta({ description: "The header that says the limit." }),
      remaining: headerName()
        .optional()
        .meta({ description: "The header that says the requests remaining in the window." }),
      reset: headerName()
        .optional()
        .meta({ description: "The header that says when the window resets." }),
    })
      .optional()
      .meta({
        description:
          'The vendor headers the target sends (R2), e.g. { remaining: "x-ratelimit-remaining" }.',
      }),
  })
    .optional()
    .meta({
      description:
        "A rate-limited route (R1–R3): the burst sends at most limit + extra inside the window.",
    });
}
