import { z } from "zod";
import type { HelperResponse, MintIdToken, RunIds, TargetLookup } from "../profileRuntime.ts";
import { headers, path } from "./httpParts.ts";
import { jointService, type ProfileNames, sqlStatement, sqlStatements } from "./profileRefs.ts";
import { fn, obj, oneOf, text } from "./schemaParts.ts";

/** The joint suites' two databases. */
const JOINT: ProfileNames = { services: ["pasukuru", "curva"], databases: ["pasukuru", "curva"] };

/** A call to a test helper endpoint, and how to read what the step needs from its answer. */
export function helperCallSchema<T>() {
  return obj({
    service: jointService().meta({
      description: "The service the helper is on: `pasukuru` or `curva`.",
    }),
    method: oneOf(["POST", "PUT", "GET"]).meta({ description: "The helper's HTTP method." }),
    path: fn<(ids: RunIds) => string>("(ids) => the helper's path"),
    headers: headers()
      .optional()
      .meta({ description: "Secrets go here, read from named env variables." }),
    body: fn<(ids: RunIds) => unknown>("(ids) => the request body").optional(),
    /** Returns what the step needs, or a sentence saying what is missing from the answer. */
    read: fn<(response: HelperResponse) => T | { problem: string }>(
      "(response) => what the step needs, or { problem }",
    ),
  });
}

export const identitySpecSchema = z.discriminatedUnion(
  "kind",
  [
    obj({
      kind: z.literal("mint").meta({
        description:
          "`mint`: a new test user each run, minted and identified; `preProvisioned`: a member the target already has, never created or deleted.",
      }),
      mintIdToken: fn<MintIdToken>("(user, budget) => { idToken, sub }").meta({
        description: "Mints a LIFF ID token for a new user; the run then enters via `identify`.",
      }),
      identify: helperCallSchema<{
        memberId: string;
        lineUserId: string;
        created: boolean;
      }>().meta({
        description:
          "The identify call the minted token enters by (`POST /integration/line/identify`); `read` returns `{ memberId, lineUserId, created }`.",
      }),
    }),
    obj({
      kind: z.literal("preProvisioned"),
      lineUserId: z
        .string()
        .regex(/^U[0-9a-f]{32}$/, {
          error: (issue) =>
            `is ${JSON.stringify(issue.input)}: it is not a LINE user id (U + 32 hex).`,
        })
        .meta({ description: "The pre-provisioned member's LINE user id (U + 32 hex)." }),
      memberId: text("the pre-provisioned member's id").meta({
        description: "The pre-provisioned member's id in Pasukuru.",
      }),
    }),
  ],
  { error: () => `must be { kind: "mint", … } or { kind: "preProvisioned", … }.` },
);

/** What the joint smoke needs of a target. */
export function smokeSectionSchema() {
  return obj({
    identity: identitySpecSchema.meta({
      description:
        'Who the smoke runs as: `{ kind: "mint", mintIdToken, identify }` (a new test user each run) or `{ kind: "preProvisioned", lineUserId, memberId }`.',
    }),
    helpers: obj({
      createOrder: helperCallSchema<{ orderId: string; followerId?: string }>().meta({
        description:
          "The test helper that creates this run's order; `read` returns `{ orderId, followerId? }`.",
      }),
      markPaid: helperCallSchema<{ eventId?: string }>().meta({
        description:
          "The test helper that marks the order paid (Pasukuru then enqueues the webhook); `read` returns `{ eventId? }`.",
      }),
    }).meta({ description: "The target's test helpers the smoke calls, in order." }),
    /**
     * This run's webhook job id, once the order is paid. Called again until it
     * returns one or the deadline passes (the job may be enqueued after the
     * helper answered). A target whose helper returns no event id looks the
     * job up, e.g. `lookup.findJob((d) => d?.data?.orderId === ids.orderId)`.
     */
    webhookJobId: fn<
      (ids: RunIds, lookup: TargetLookup) => string | undefined | Promise<string | undefined>
    >("(ids, lookup) => this run's webhook job id, once there is one"),
    assertions: obj({
      webhookLogCount: sqlStatement<RunIds>(JOINT).meta({
        description: "One row, column `count`: webhook log entries for this run's order event.",
      }),
      memberLineUserId: sqlStatement<RunIds>(JOINT).meta({
        description: "Zero or one row, column `line_user_id`: the test member.",
      }),
      followerMemberId: sqlStatement<RunIds>(JOINT).meta({
        description: "Zero or one row, column `pasukuru_member_id`: the test user's follower.",
      }),
    }).meta({ description: "SQL the smoke checks the run by, each read with the run's ids." }),
    cleanup: sqlStatements<RunIds>(JOINT).meta({
      description:
        "Removes what one run created, by its ids. Run in order, also after failed checks.",
    }),
    board: obj({
      service: jointService().meta({ description: "The service the board is on." }),
      path: path("/admin/queues").meta({ description: "The board's path." }),
      adminToken: z
        .string()
        .refine((t) => t.split(".").length === 3, {
          error: () =>
            "must be an admin JWT (header.payload.signature), read from the environment (staging: STAGING_BOARD_ADMIN_TOKEN).",
        })
        .meta({
          description:
            "An admin JWT the board must let in, read from the environment (staging: `STAGING_BOARD_ADMIN_TOKEN`).",
        }),
      nonAdminToken: z.string().optional().meta({
        description: "A validly signed token without the admin role, when one is at hand.",
      }),
    })
      .optional()
      .meta({
        description:
          "The DLQ board (bull-board at /admin/queues behind an admin JWT). Given, the smoke adds `dlqBoardProtected`. The tokens are secrets from the environment.",
      }),
  });
}
