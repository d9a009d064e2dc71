import { z } from "zod";
import type { HelperResponse, MintIdToken, RunIds } from "../profileRuntime.ts";
import {
  expectedStatuses,
  fn,
  headers,
  jointService,
  METHODS,
  obj,
  oneOf,
  type ProfileNames,
  path,
  positive,
  serviceRef,
  signing,
  sqlStatements,
  text,
  url,
  whole,
} from "./schemaParts.ts";

/*
 * The load suite's part of a profile: the built-in scenarios' parts
 * (identify, webhook, pool monitoring) and the scenarios a target declares.
 * What needs the suite's own tables (built-in names, metric keys) is
 * load/scenarios/declaredScenarioProblems.ts.
 */

/** The runner may take at most this long per scenario (as the CLI's --duration). */
const MAX_DURATION_SEC = 2 * 3600;
/** Generous but finite: a declared rate or VU count above this is a typo. */
const MAX_RATE = 100_000;

/** A scenario's or an endpoint's name: in reports, threshold tags and k6's scenario names. */
const NAME = /^[a-z][a-zA-Z0-9_-]{0,39}$/;
const name = (what: string) =>
  z.string().regex(NAME, {
    error: (issue) =>
      `is ${JSON.stringify(issue.input)}: ${what} is a letter, then letters, digits, _ or - (at most 40).`,
  });

export const poolGaugesSchema = obj({
  total: text("a metric name").optional().meta({
    description: "The gauge of connections the pool holds (default `db_pool_connections_total`).",
  }),
  idle: text("a metric name")
    .optional()
    .meta({ description: "The gauge of idle connections (default `db_pool_connections_idle`)." }),
  waiting: text("a metric name").optional().meta({
    description:
      "The gauge of checkouts waiting for a connection (default `db_pool_requests_waiting`).",
  }),
  max: text("a metric name")
    .optional()
    .meta({ description: "The gauge of the pool's configured maximum (default `db_pool_max`)." }),
  checkoutTimeouts: text("a metric name").optional().meta({
    description:
      "The counter of checkouts that timed out (default `db_pool_checkout_timeouts_total`).",
  }),
  checkoutWait: text("a metric name")
    .optional()
    .meta({ description: 'A histogram of checkout waits in seconds, with a bucket at le="1".' }),
}).meta({
  description:
    "Names of a service's pg pool gauges on /metrics; each defaults to the reference stack's.",
});

/** One request of a declared scenario: an endpoint of the target, and how each request's body is made. */
export function declaredRequestSchema(names?: ProfileNames) {
  return obj({
    name: name("an endpoint name").meta({
      description: "The endpoint's name in reports and threshold tags (`{endpoint:<name>}`).",
    }),
    service: serviceRef(names),
    method: oneOf(METHODS).meta({ description: "The request's HTTP method." }),
    path: path("/v1/charges").meta({ description: "The request's path on the service." }),
    headers: headers()
      .optional()
      .meta({ description: "Secrets go here, read from the environment." }),
    body: z
      .string({ error: () => "must be the body as text (a template: {{eventId}}, {{runId}})." })
      .optional()
      .meta({
        description:
          "The body, a template: `{{eventId}}` becomes an id unique to each request (it starts with the run's prefix), `{{runId}}` the run id.",
      }),
    signing: signing().optional().meta({
      description:
        "Signed at send time with a scheme of lib/webhookSigning.ts (the secret from the environment).",
    }),
    expectedStatuses: expectedStatuses().optional().meta({
      description:
        "The answers that count as expected (http_req_failed); default every 2xx and 3xx.",
    }),
    identity: z
      .literal("testUser", {
        error: (issue) =>
          `is ${JSON.stringify(issue.input)}; the one identity source is "testUser".`,
      })
      .optional()
      .meta({
        description:
          "`testUser`: each request is one of the run's minted test users (load.mintIdToken), in turn: `{{idToken}}` and `{{userId}}` in the headers and body are theirs. Not with `{{eventId}}` or signing.",
      }),
  }).superRefine((r, ctx) => {
    if (r.identity !== undefined && (r.signing !== undefined || r.body?.includes("{{eventId}}")))
      ctx.addIssue({
        code: "custom",
        path: ["identity"],
        message:
          ": a test user's request is built once per user: no {{eventId}} or signing with it.",
      });
  });
}

const stagesSchema = z
  .array(
    obj({
      durationSec: positive(MAX_DURATION_SEC, "the stage's seconds").meta({
        description: "How long the stage lasts, in seconds.",
      }),
      target: whole(0, MAX_RATE, "the stage's target").meta({
        description:
          "The VUs (rampingVus) or starts per second (rampingArrivalRate) the stage reaches at its end, linearly from the value before.",
      }),
    }),
    { error: () => "must list stages, e.g. [{ durationSec: 30, target: 100 }]." },
  )
  .min(1, { error: () => "must list stages, e.g. [{ durationSec: 30, target: 100 }]." })
  .meta({
    description:
      "The stages in order, as k6 means them: each ramps linearly to its target over its duration.",
  });

const maxInFlight = whole(1, MAX_RATE, "the most requests in flight").optional().meta({
  description:
    "The most requests in flight (k6's maxVUs); a start that finds none free is dropped and counted.",
});
const durationSec = positive(MAX_DURATION_SEC, "the model's seconds").meta({
  description: "How long the model runs, in seconds (replaced by `--duration`).",
});

export const declaredModelSchema = z
  .discriminatedUnion(
    "kind",
    [
      obj({
        kind: z.literal("closed").meta({
          description:
            "`closed`: N users, each sends when its last answer arrives; `open`: a constant arrival rate; `rampingVus` and `rampingArrivalRate`: either in stages.",
        }),
        connections: whole(1, MAX_RATE, "the concurrent connections").meta({
          description:
            "The concurrent users (connections), each sending its next request when the last answer arrives (replaced by `--connections`).",
        }),
        durationSec,
      }),
      obj({
        kind: z.literal("open"),
        ratePerSec: positive(MAX_RATE, "requests per second").meta({
          description:
            "Requests started per second, whether or not earlier ones answered (replaced by `--rate`).",
        }),
        durationSec,
        maxInFlight,
      }),
      obj({
        kind: z.literal("rampingVus"),
        startVus: whole(0, MAX_RATE, "the VUs at the start")
          .optional()
          .meta({ description: "The VUs at the start, before the first stage ramps (default 0)." }),
        stages: stagesSchema,
      }),
      obj({
        kind: z.literal("rampingArrivalRate"),
        startRate: whole(0, MAX_RATE, "the rate at the start").optional().meta({
          description: "Starts per second at the start, before the first stage ramps (default 0).",
        }),
        stages: stagesSchema,
        maxInFlight,
      }),
    ],
    { error: () => "must be a model: kind closed, open, rampingVus or rampingArrivalRate." },
  )
  .superRefine((model, ctx) => {
    if (model.kind === "open" && model.ratePerSec * model.durationSec < 1)
      ctx.addIssue({
        code: "custom",
        message: `: ${model.ratePerSec} requests/s for ${model.durationSec} s is less than one request, so the plan would never send one; raise ratePerSec or durationSec.`,
      });
    if (model.kind !== "rampingVus" && model.kind !== "rampingArrivalRate") return;
    const total = model.stages.reduce((sum, stage) => sum + stage.durationSec, 0);
    if (total > MAX_DURATION_SEC)
      ctx.addIssue({
        code: "custom",
        path: ["stages"],
        message: `last longer than ${MAX_DURATION_SEC} s together.`,
      });
    const start = model.kind === "rampingVus" ? model.startVus : model.startRate;
    // Every stage at 0 from a start of 0: a plan that can never send a request is the config's fault.
    if (model.stages.every((stage) => stage.target === 0) && (start ?? 0) === 0)
      ctx.addIssue({
        code: "custom",
        path: ["stages"],
        message:
          ": every target is 0 (and the start too), so the plan would never send a request; give a stage a target above 0.",
      });
  })
  .meta({
    description:
      "A model as a profile writes it: constant or in stages (`durationSec` of a staged one is its stages' sum).",
  });

const thresholdsSchema = z
  .record(
    z.string(),
    z.string({
      error: (issue) =>
        `is ${JSON.stringify(issue.input)}: it must be a condition in k6 syntax, e.g. p(95)<50.`,
    }),
    { error: () => "must be an object of conditions by metric key." },
  )
  .meta({ description: "Thresholds by metric key, k6 syntax." });

/** A scenario a target declares. */
export function declaredScenarioSchema(names?: ProfileNames) {
  return obj({
    description: z
      .string()
      .optional()
      .meta({ description: "What the scenario is for, in reports." }),
    requests: z
      .array(declaredRequestSchema(names))
      .min(1, { error: () => "must list at least one request ({ name, service, method, path })." })
      .meta({ description: "Sent in turn." }),
    model: declaredModelSchema,
    thresholds: thresholdsSchema.optional().meta({
      description:
        'Thresholds by metric key, k6 syntax, tags without the scenario (added): e.g. `{ "http_req_duration{endpoint:charge}": "p(95)<50" }`. Every scenario also gets failed requests, 5xx and network errors at 0, and no dropped starts on an open model, unless a key here replaces them.',
    }),
  });
}

const poolSource = obj({
  path: path("/metrics").meta({
    description: "The service's Prometheus endpoint, scraped once a second while load runs.",
  }),
  gauges: poolGaugesSchema.optional(),
  headers: headers().optional().meta({
    description:
      'Sent with each scrape, e.g. { authorization: "Bearer <scrape token>" } (a secret: from the environment).',
  }),
});

const poolApplication = obj({
  applicationName: text("the pool's application_name (a trailing * matches a prefix)").meta({
    description:
      "The pool's application_name in pg_stat_activity (a trailing `*` matches a prefix).",
  }),
  poolSize: whole(1, 100_000, "the pool's configured maximum").meta({
    description: "The pool's configured maximum connections.",
  }),
});

const loadMonitoringSchema = obj({
  metrics: obj({
    pasukuru: poolSource.optional().meta({ description: "Pasukuru's pool gauges." }),
    curva: poolSource.optional().meta({ description: "Curva's pool gauges." }),
  }).meta({
    description:
      "Each service's Prometheus endpoint and pool gauge names; a service left out has no pool threshold.",
  }),
  databaseUrl: url(["postgres:", "postgresql:"]).optional().meta({
    description:
      "A Postgres URL that may read pg_stat_activity, for connections against max_connections.",
  }),
  applications: obj({
    pasukuru: poolApplication
      .optional()
      .meta({ description: "Pasukuru's pool in pg_stat_activity." }),
    curva: poolApplication.optional().meta({ description: "Curva's pool in pg_stat_activity." }),
  })
    .optional()
    .meta({
      description:
        "For a service that exposes no pool gauges: its pool's application_name and pool size. With `databaseUrl`, every judged service without gauges must be here (exit 2 otherwise).",
    }),
})
  .superRefine((monitoring, ctx) => {
    if (monitoring.applications && monitoring.databaseUrl === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["applications"],
        message: "needs load.monitoring.databaseUrl: pg_stat_activity is read there.",
      });
  })
  .meta({
    description:
      "Where pool use is measured while load runs (none: pool thresholds have no evidence).",
  });

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
