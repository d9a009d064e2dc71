import { z } from "zod";
import { bodyExpectationsSchema } from "./bodyExpectationSchema.ts";
import { headerName, origin, path } from "./httpParts.ts";
import { probeAuthShape } from "./probeAuthSchema.ts";
import { probeRateLimitSchema } from "./probeRateLimitSchema.ts";
import { helperRequest, identityRef, placeShape, routeShape } from "./probeRouteShapes.ts";
import { type ProfileNames, serviceRef } from "./profileRefs.ts";
import { bool, obj, whole } from "./schemaParts.ts";

/*
 * The probe section's HTTP surface (A, C, R, HC, S, T, E): each part a
 * schema, the auth parts (probeAuthSchema.ts) among them, and the
 * identities the parts name checked against probe.http.identities.
 */

/** The HTTP surface the surface probes check; each part is optional, a missing one is named. */
export function probeHttpSchema(names?: ProfileNames) {
  const route = () => obj(routeShape(names));
  const routes = () => z.array(route());
  const identifiedRoutes = () => z.array(obj({ ...routeShape(names), identity: identityRef() }));
  return obj({
    ...probeAuthShape(names),
    readiness: obj({
      service: serviceRef(names),
      readyPath: path("/ready").meta({
        description: "The readiness path: 2xx when ready, non-2xx while a dependency is down.",
      }),
      livePath: path("/live").optional().meta({
        description:
          "The liveness path: 2xx throughout each outage (the process is alive); none, liveness is not judged.",
      }),
      takeDown: helperRequest(names).optional().meta({
        description:
          "The test helper call that takes the dependency down; it must answer 2xx (one dependency; several: `dependencies`).",
      }),
      restore: helperRequest(names).optional().meta({
        description:
          "The test helper call that brings it back; always called, also after a failed take-down.",
      }),
      dependencies: z
        .array(
          obj({
            name: z
              .string()
              .min(1, { error: () => "must name the dependency, e.g. database." })
              .meta({
                description: "The dependency's name in the report, e.g. `database`, `redis`.",
              }),
            takeDown: helperRequest(names).meta({
              description:
                "The test helper call that takes this dependency down; it must answer 2xx.",
            }),
            restore: helperRequest(names).meta({
              description:
                "The test helper call that brings it back; always called, and readiness must be 2xx again before the next is taken down.",
            }),
          }),
        )
        .min(1, { error: () => "must list at least one dependency." })
        .optional()
        .meta({
          description:
            "Several dependencies (a database and Redis), taken down one after the other, each restored and readiness seen 2xx again before the next.",
        }),
      settleMs: whole(0, 600_000, "how long to wait after a take-down, in ms")
        .optional()
        .meta({ description: "How long readiness may take to turn, each way (default 5000 ms)." }),
    })
      .superRefine((r, ctx) => {
        const single = r.takeDown !== undefined || r.restore !== undefined;
        if (single && r.dependencies !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["dependencies"],
            message:
              ": give takeDown and restore for one dependency, or dependencies for several, not both.",
          });
        else if (!single && r.dependencies === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["takeDown"],
            message:
              "is missing: give takeDown and restore (one dependency) or dependencies (several).",
          });
        else if (single && (r.takeDown === undefined || r.restore === undefined))
          ctx.addIssue({
            code: "custom",
            path: [r.takeDown === undefined ? "takeDown" : "restore"],
            message: "is missing: a take-down needs its restore, and a restore its take-down.",
          });
      })
      .optional()
      .meta({ description: "Readiness under a dependency outage (HC2)." }),
    metrics: obj({
      ...placeShape(names),
      public: bool().optional().meta({
        description:
          "The endpoint is meant to be public: anonymous requests are not refused (default false).",
      }),
      reader: z.string().optional().meta({
        description: "An identity that must be let in (a name of `probe.http.identities`).",
      }),
    })
      .optional()
      .meta({
        description:
          "The Prometheus endpoint (E1): anonymous requests refused unless `public`; `reader` (an identity) must get it.",
      }),
    adminBoard: obj({
      ...placeShape(names),
      nonAdmin: z.string().optional().meta({
        description:
          "An identity without the admin role: it must get 403 (a name of `probe.http.identities`).",
      }),
      admin: z.string().optional().meta({
        description: "An admin identity: it must get 2xx (a name of `probe.http.identities`).",
      }),
    })
      .optional()
      .meta({
        description:
          "The admin board (E2): anonymous refused, `nonAdmin` 403, `admin` 2xx (identities).",
      }),
    tls: obj({
      url: origin("https:").meta({
        description: "The https origin whose certificate, protocols and HSTS are judged.",
      }),
      httpUrl: origin("http:")
        .optional()
        .meta({ description: "The http origin that must redirect to https (T2)." }),
      paths: z.array(path("/")).optional().meta({ description: 'Paths to load (default ["/"]).' }),
      ca: z
        .string()
        .optional()
        .meta({ description: "A PEM CA to trust besides the system's (a staging CA)." }),
      minDaysLeft: whole(0, 3650, "days a certificate must have left").optional().meta({
        description: "The certificate must be valid for longer than this (default 21 days).",
      }),
      hstsMinSeconds: whole(0, 315_360_000, "the least HSTS max-age, in seconds")
        .optional()
        .meta({ description: "HSTS max-age at least this (default 15552000 s, 180 days)." }),
    })
      .optional()
      .meta({
        description:
          "HTTPS (T1–T3): the https origin and paths, the http origin that must redirect, the CA to trust.",
      }),
    cors: obj({
      ...routeShape(names),
      allowedOrigins: z
        .array(origin())
        .min(1, {
          error: () =>
            'must list the origins that must be allowed, e.g. ["https://shop.example.com"].',
        })
        .meta({ description: "Origins that must be allowed, exactly (scheme and port included)." }),
      requestHeaders: z.array(headerName()).optional().meta({
        description: "Request headers the browser asks to send (the preflight names them).",
      }),
      credentials: bool().optional().meta({
        description: "The API takes cookies or credentials: Allow-Credentials, and never `*`.",
      }),
      devOrigins: z
        .array(origin())
        .optional()
        .meta({ description: "Development origins that must be refused here (C5)." }),
    })
      .optional()
      .meta({ description: "A route browsers call cross-origin (C1–C5)." }),
    health: obj({ ...placeShape(names), body: bodyExpectationsSchema.optional() })
      .optional()
      .meta({
        description:
          "The health endpoint (HC1): 2xx with a status field, and, given `body`, saying what it must.",
      }),
    criticalRoutes: z
      .array(
        obj({
          ...placeShape(names),
          identity: identityRef(),
          body: bodyExpectationsSchema.optional(),
        }),
      )
      .optional()
      .meta({
        description:
          "Routes that must never answer 5xx or 404 (HC4), and, given `body`, must say what it lists (e.g. every service healthy); their answers read for leaks too (HC3).",
      }),
    unimplemented: identifiedRoutes().optional().meta({
      description: "Routes announced but not built (S1): 501, or 401/403 when gated; never 2xx.",
    }),
    invalidInputs: z
      .array(
        obj({
          ...routeShape(names),
          identity: identityRef(),
          body: z
            .string({ error: () => "must be the raw body to send, as a string." })
            .optional()
            .meta({ description: "The invalid body, as sent (none: a GET's invalid query, say)." }),
          contentType: z
            .string()
            .optional()
            .meta({ description: "The body's Content-Type (default `application/json`)." }),
        }),
      )
      .optional()
      .meta({ description: "Invalid inputs (S2): 400 with a structured error, never 5xx." }),
    methodNotAllowed: identifiedRoutes()
      .optional()
      .meta({ description: "Methods a route does not take (S3): 405 with `Allow`." }),
    protectedRoutes: routes().optional().meta({
      description: "Routes that need credentials (A1): 401 (or 403) without them, never 2xx.",
    }),
    pages: obj({
      routes: z.array(obj(placeShape(names))).meta({ description: "The pages to load." }),
      sessionCookies: z
        .array(z.string())
        .optional()
        .meta({ description: "Cookies that carry a session: they must be HttpOnly." }),
      embeddableBy: z.array(z.string()).optional().meta({
        description:
          "Origins that must be allowed to frame the pages (CSP frame-ancestors), e.g. LINE's.",
      }),
    })
      .optional()
      .meta({ description: "HTML pages (T4–T6): cookies, mixed content, nosniff, framing." }),
    rateLimit: probeRateLimitSchema(names),
  }).superRefine((http, ctx) => {
    // Every identity a part names must be one of probe.http.identities.
    const identities = http.identities ?? {};
    const known = Object.keys(identities);
    const entries = (
      part: "criticalRoutes" | "unimplemented" | "invalidInputs" | "methodNotAllowed",
    ) =>
      (http[part] ?? []).map((r, i): [PropertyKey[], string | undefined] => [
        [part, i, "identity"],
        r.identity,
      ]);
    const named: [PropertyKey[], string | undefined][] = [
      ...entries("criticalRoutes"),
      ...entries("unimplemented"),
      ...entries("invalidInputs"),
      ...entries("methodNotAllowed"),
      [["rateLimit", "identity"], http.rateLimit?.identity],
      [["rateLimit", "otherIdentity"], http.rateLimit?.otherIdentity],
      ...(http.tenantIsolation ?? []).flatMap((r, i): [PropertyKey[], string][] => [
        [["tenantIsolation", i, "owner"], r.owner],
        [["tenantIsolation", i, "intruder"], r.intruder],
      ]),
      ...(http.roles ?? []).map((r, i): [PropertyKey[], string] => [
        ["roles", i, "identity"],
        r.identity,
      ]),
      [["metrics", "reader"], http.metrics?.reader],
      [["adminBoard", "nonAdmin"], http.adminBoard?.nonAdmin],
      [["adminBoard", "admin"], http.adminBoard?.admin],
    ];
    for (const [at, name] of named)
      if (name !== undefined && !Object.hasOwn(identities, name))
        ctx.addIssue({
          code: "custom",
          path: at,
          message: `is ${JSON.stringify(name)}, not one of probe.http.identities (${known.join(", ") || "none configured"}).`,
        });
    const limit = http.rateLimit;
    if (limit?.otherIdentity !== undefined && limit.identity === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["rateLimit", "identity"],
        message:
          "is missing: R4 exhausts the limit as this identity, then sends as otherIdentity; name both.",
      });
    else if (limit?.otherIdentity !== undefined && limit.otherIdentity === limit.identity)
      ctx.addIssue({
        code: "custom",
        path: ["rateLimit", "otherIdentity"],
        message: `is ${JSON.stringify(limit.otherIdentity)}, the same as rateLimit.identity: R4 needs another identity (or give rateLimit.identity one, and this one the second).`,
      });
  });
}
