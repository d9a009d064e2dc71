import { z } from "zod";
import { expectedStatuses, headers, METHODS, path, signing } from "./httpParts.ts";
import { type ProfileNames, serviceRef } from "./profileRefs.ts";
import { obj, oneOf, positive, whole } from "./schemaParts.ts";

/*
 * The scenarios a target declares (load.scenarios): requests, models with
 * stages, thresholds in k6 syntax. What needs the suite's own tables
 * (built-in names, metric keys) is load/scenarios/declaredScenarioProblems.ts.
 */

/** The runner may take at most this long per scenario (as the CLI's --duration). */
const MAX_DURATION_SEC = 2 * 3600;
/** Generous but finite: a declared rate or VU count above this is a typo. */
const MAX_RATE = 100_000;

/** A scenario's or an endpoint's name: in reports, threshold tags and k6's scenario names. */
export const NAME = /^[a-z][a-zA-Z0-9_-]{0,39}$/;
const name = (what: string) =>
  z.string().regex(NAME, {
    error: (issue) =>
      `is ${JSON.stringify(issue.input)}: ${what} is a letter, then letters, digits, _ or - (at most 40).`,
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

export const thresholdsSchema = z
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
