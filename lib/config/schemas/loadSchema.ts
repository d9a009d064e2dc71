import { z } from "zod";
import type { HelperResponse, MintIdToken, RunIds } from "../profileRuntime.ts";
import { declaredScenarioSchema, NAME, thresholdsSchema } from "./declaredScenarioSchema.ts";
import { expectedStatuses, headers, path, signing } from "./httpParts.ts";
import { loadMonitoringSchema } from "./loadMonitoringSchema.ts";
import { jointService, type ProfileNames, sqlStatements } from "./profileRefs.ts";
import { fn, obj, oneOf } from "./schemaParts.ts";

/*
 * The load suite's part of a profile: whether load is allowed, the built-in
 * scenarios' parts (identify, webhook), pool monitoring
 * (loadMonitoringSchema.ts) and the scenarios a target declares
 * (declaredScenarioSchema.ts).
 */

/** What the load suite needs of a target. */
export function loadSectionSchema(names?: ProfileNames) {
  return obj({
    allowed: z.boolean({ error: () => "must be true or false." }).meta({
      description:
        "Load may be sent to this target at all; the harness refuses (exit 2) otherwise.",
    }),
    allowedBy: z.string().optional().meta({
      description:
        "What sets `allowed` (e.g. `PRODUCTION_LOAD_ALLOWED=true`), named when load is refused.",
    }),
    mintIdToken: fn<MintIdToken>("(user, budget) => { idToken, sub }").optional().meta({
      description:
        'Mints a LIFF ID token for one test user; the built-in identify and `identity: "testUser"` need it.',
    }),
    identify: obj({
      service: jointService(),
      method: oneOf(["POST", "PUT", "GET"]).meta({
        description: "The identify call's HTTP method.",
      }),
      path: fn<(ids: RunIds) => string>("(ids) => the identify path"),
      headers: headers()
        .optional()
        .meta({ description: "Headers of each identify call; secrets from the environment." }),
      body: fn<(ids: RunIds) => unknown>("(ids) => the request body").optional(),
      read: fn<(response: HelperResponse) => unknown>("(response) => …, unused by load")
        .optional()
        .meta({
          description:
            "The smoke's reader, when its identify call is reused as is; load reads only the status.",
        }),
      expectedStatuses: expectedStatuses().optional().meta({
        description:
          "The answers that count as expected (http_req_failed); default every 2xx and 3xx.",
      }),
    })
      .optional()
      .meta({
        description:
          "`POST /integration/line/identify` with `ids.idToken` (the smoke's identify call, reused).",
      }),
    webhook: obj({
      service: jointService(),
      path: path("/webhooks/pasukuru").meta({ description: "The receiver's path on Curva." }),
      expectedStatuses: expectedStatuses().optional().meta({
        description:
          "The answers that count as expected (http_req_failed); default every 2xx and 3xx.",
      }),
      /** The event for one delivery; it must carry `ids.runId` where cleanup finds it. */
      eventBody: fn<(ids: { eventId: string; runId: string; lineUserId: string }) => unknown>(
        "(ids) => the event for one delivery",
      ),
      signing: signing().meta({
        description:
          "How deliveries are signed; the secret comes from the environment and is scrubbed.",
      }),
    })
      .optional()
      .meta({
        description:
          "Curva's webhook receiver, and what one delivery carries (the built-in webhook and sustained scenarios).",
      }),
    monitoring: loadMonitoringSchema.optional(),
    thresholds: thresholdsSchema.optional().meta({
      description:
        'Threshold conditions replaced by metric key, e.g. `{ "http_req_duration{scenario:identify,endpoint:identify}": "p(95)<400" }`.',
    }),
    scenarios: z
      .record(z.string(), declaredScenarioSchema(names), {
        error: () => "must be an object of scenarios by name.",
      })
      .superRefine(
        (scenarios, ctx) => {
          // Checked beside each scenario's own problems (a record key that fails hides its value's).
          for (const key of Object.keys(scenarios))
            if (!NAME.test(key))
              ctx.addIssue({
                code: "custom",
                path: [key],
                message:
                  ": a scenario name is a letter, then letters, digits, _ or - (at most 40).",
              });
        },
        { when: (payload) => typeof payload.value === "object" && payload.value !== null },
      )
      .optional()
      .meta({
        description:
          "Scenarios the target declares, by name, beside the built-in identify, webhook and sustained (which need the Curva × Pasukuru shape).",
      }),
    cleanup: sqlStatements<{ runId: string; displayName: string }>(names).meta({
      description:
        "Removes what one load run created, by its run id (and the minted users' display name).",
    }),
  }).superRefine((load, ctx) => {
    const builtIn = load.identify !== undefined || load.webhook !== undefined;
    if (!builtIn && Object.keys(load.scenarios ?? {}).length === 0)
      ctx.addIssue({
        code: "custom",
        message:
          "has nothing to run: declare scenarios (load.scenarios), or give the built-in ones their identify and webhook.",
      });
    if (builtIn && load.mintIdToken === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["mintIdToken"],
        message: "is missing: the built-in scenarios' identify mints a test user with it.",
      });
    if (builtIn && (load.identify === undefined || load.webhook === undefined))
      ctx.addIssue({
        code: "custom",
        path: [load.identify === undefined ? "identify" : "webhook"],
        message: "is missing: the built-in scenarios need both identify and webhook.",
      });
    if (builtIn && load.monitoring === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["monitoring"],
        message:
          "is missing: the built-in scenarios judge both pools (give metrics, or a databaseUrl).",
      });
    for (const [scenario, declared] of Object.entries(load.scenarios ?? {}))
      for (const [i, request] of declared.requests.entries())
        if (request.identity === "testUser" && load.mintIdToken === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["scenarios", scenario, "requests", i, "identity"],
            message: `: "testUser" needs load.mintIdToken, to mint the run's test users.`,
          });
  });
}
