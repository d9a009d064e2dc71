import { z } from "zod";
import type { IdentityBudget, ProbeEventIds } from "../profileRuntime.ts";
import {
  bool,
  fn,
  headerName,
  headers,
  METHODS,
  obj,
  oneOf,
  origin,
  type ProfileNames,
  path,
  serviceRef,
  signing,
  sqlStatement,
  sqlStatements,
  text,
  whole,
} from "./schemaParts.ts";

/*
 * The probe suite's part of a profile: the webhook receivers it attacks
 * (W, H) and the HTTP surface it checks (A, C, R, HC, S, T, E). Which probe
 * ids exist is the probe catalogue's (probe/probeSection.ts checks opt-ins).
 */

/** The headers one identity's requests carry, minted once a run: a function, since tokens expire. */
export type ProbeIdentity = (budget: IdentityBudget) => Promise<Record<string, string>>;

/** One route of a target's HTTP surface: a service of the profile, a method and a path. */
const routeShape = (names?: ProfileNames) => ({
  service: serviceRef(names),
  method: oneOf(METHODS),
  path: path("/v1/orders"),
});
const placeShape = (names?: ProfileNames) => ({ service: serviceRef(names), path: path() });

/** A call to a test helper of the target (HC2's outage and its end); it must answer 2xx. */
const helperRequest = (names?: ProfileNames) =>
  obj({
    service: serviceRef(names),
    method: oneOf(["POST", "PUT", "DELETE"]),
    path: path("/test/outage"),
    headers: headers()
      .optional()
      .meta({ description: "Secrets go here, read from the environment." }),
    body: z.string().optional(),
  });

/** One webhook receiver the probe suite attacks and retries against (W1–W13). */
export function probeWebhookSchema(names?: ProfileNames) {
  return obj({
    service: serviceRef(names),
    path: path("/webhooks/stripe"),
    signing: signing(),
    eventBody: fn<(ids: ProbeEventIds) => unknown>("(ids) => a valid event with ids.eventId").meta({
      description:
        "A valid event this receiver accepts and processes, with `eventId` where the receiver reads its event id.",
    }),
    processedCount: sqlStatement<ProbeEventIds>(names).optional().meta({
      description:
        "How many times the receiver processed the event (a count row): without it, W9–W11 are not judged.",
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

/** The HTTP surface the surface probes check; each part is optional, a missing one is named. */
export function probeHttpSchema(names?: ProfileNames) {
  const route = () => obj(routeShape(names));
  const routes = () => z.array(route());
  return obj({
    /** Identities by a name the parts below use (A4's owner and intruder, A5's roles, E's authorized reader). */
    identities: z
      .record(
        z.string(),
        fn<ProbeIdentity>(
          'returning the identity\'s headers, e.g. async () => ({ authorization: "Bearer <token>" })',
        ),
      )
      .optional(),
    /** Objects that belong to one identity (A4): the owner reads each, the intruder must get 403 or 404. */
    tenantIsolation: z
      .array(obj({ ...routeShape(names), owner: z.string(), intruder: z.string() }))
      .optional(),
    /** Roles (A5): each identity against routes its role must not reach, 403 each. */
    roles: z
      .array(
        obj({
          identity: z.string(),
          forbidden: routes().min(1, {
            error: () => "must list the routes the role must not reach.",
          }),
        }),
      )
      .optional(),
    /** A Telegram Mini App backend route (A3): how it takes initData and the bot token it is signed with. */
    telegram: obj({
      ...routeShape(names),
      botToken: z.string().regex(/^\d+:[\w-]{20,}$/, {
        error: () =>
          "must be a bot token (digits, a colon, then the secret, as BotFather gives it), read from the environment.",
      }),
      header: headerName()
        .optional()
        .meta({ description: "The header initData travels in; default `authorization`." }),
      prefix: z.string().optional().meta({
        description:
          "Before initData in that header; default `tma ` for authorization, none otherwise.",
      }),
      maxAgeSec: whole(1, 31_536_000, "the oldest auth_date accepted, in seconds")
        .optional()
        .meta({ description: "How old an auth_date the backend still accepts (default 86400 s)." }),
      body: z.string().optional(),
    }).optional(),
    /** Readiness under a dependency outage (HC2). */
    readiness: obj({
      service: serviceRef(names),
      readyPath: path("/ready"),
      livePath: path("/live"),
      takeDown: helperRequest(names),
      restore: helperRequest(names),
      settleMs: whole(0, 600_000, "how long to wait after a take-down, in ms")
        .optional()
        .meta({ description: "How long readiness may take to turn, each way (default 5000 ms)." }),
    }).optional(),
    /** The Prometheus endpoint (E1): anonymous requests refused unless `public`; `reader` (an identity) must get it. */
    metrics: obj({
      ...placeShape(names),
      public: bool().optional(),
      reader: z.string().optional(),
    }).optional(),
    /** The admin board (E2): anonymous refused, `nonAdmin` 403, `admin` 2xx (identities). */
    adminBoard: obj({
      ...placeShape(names),
      nonAdmin: z.string().optional(),
      admin: z.string().optional(),
    }).optional(),
    /** HTTPS (T1–T3): the https origin and paths, the http origin that must redirect, the CA to trust. */
    tls: obj({
      url: origin("https:"),
      httpUrl: origin("http:").optional(),
      paths: z.array(path("/")).optional().meta({ description: 'Paths to load (default ["/"]).' }),
      ca: z.string().optional(),
      minDaysLeft: whole(0, 3650, "days a certificate must have left").optional().meta({
        description: "The certificate must be valid for longer than this (default 21 days).",
      }),
      hstsMinSeconds: whole(0, 315_360_000, "the least HSTS max-age, in seconds")
        .optional()
        .meta({ description: "HSTS max-age at least this (default 15552000 s, 180 days)." }),
    }).optional(),
    /** A route browsers call cross-origin (C1–C5). */
    cors: obj({
      ...routeShape(names),
      /** Origins that must be allowed, exactly (scheme and port included). */
      allowedOrigins: z.array(origin()).min(1, {
        error: () =>
          'must list the origins that must be allowed, e.g. ["https://shop.example.com"].',
      }),
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
    }).optional(),
    health: obj(placeShape(names))
      .optional()
      .meta({ description: "The health endpoint (HC1): 2xx with a status field." }),
    criticalRoutes: z
      .array(obj(placeShape(names)))
      .optional()
      .meta({
        description:
          "Routes that must never answer 5xx or 404 (HC4), their answers read for leaks too (HC3).",
      }),
    unimplemented: routes().optional().meta({
      description: "Routes announced but not built (S1): 501, or 401/403 when gated; never 2xx.",
    }),
    /** Invalid inputs (S2): 400 with a structured error, never 5xx. */
    invalidInputs: z
      .array(
        obj({
          ...routeShape(names),
          body: z.string({ error: () => "must be the raw body to send, as a string." }),
          contentType: z.string().optional(),
        }),
      )
      .optional(),
    methodNotAllowed: routes()
      .optional()
      .meta({ description: "Methods a route does not take (S3): 405 with `Allow`." }),
    protectedRoutes: routes().optional().meta({
      description: "Routes that need credentials (A1): 401 (or 403) without them, never 2xx.",
    }),
    /** HTML pages (T4–T6): cookies, mixed content, nosniff, framing. */
    pages: obj({
      routes: z.array(obj(placeShape(names))),
      sessionCookies: z
        .array(z.string())
        .optional()
        .meta({ description: "Cookies that carry a session: they must be HttpOnly." }),
      embeddableBy: z.array(z.string()).optional().meta({
        description:
          "Origins that must be allowed to frame the pages (CSP frame-ancestors), e.g. LINE's.",
      }),
    }).optional(),
    /** A route that takes a bearer JWT (A2), and how a valid one is signed. */
    jwt: obj({
      ...routeShape(names),
      key: obj({ alg: oneOf(["HS256"]), secret: text("the HMAC secret, from the environment") }),
      claims: z.record(z.string(), z.unknown()).optional().meta({
        description:
          'Claims a valid token carries besides exp (e.g. { role: "admin", sub: "probe" }).',
      }),
      issuer: z.string().optional().meta({
        description:
          "When the route checks them: a token for another issuer or audience must be refused.",
      }),
      audience: z.string().optional(),
      /** The status a refused token gets (default 401). */
      refusedStatus: z
        .union([z.literal(401), z.literal(403)], {
          error: (issue) => `is ${JSON.stringify(issue.input)}; allowed: 401, 403.`,
        })
        .optional(),
    })
      .superRefine((jwt, ctx) => {
        // A claim the cases vary (wrong iss, wrong aud) is read from its own key; under claims it only rides along.
        for (const [claim, key] of [
          ["iss", "issuer"],
          ["aud", "audience"],
        ] as const)
          if (jwt.claims && Object.hasOwn(jwt.claims, claim) && jwt[key] === undefined)
            ctx.addIssue({
              code: "custom",
              path: ["claims", claim],
              message: `is set but probe.http.jwt.${key} is not: the wrong-${claim} case is sent only with ${key}. Move it to probe.http.jwt.${key}.`,
            });
      })
      .optional(),
    /** A rate-limited route (R1–R3): the burst sends at most limit + extra inside the window. */
    rateLimit: obj({
      ...routeShape(names),
      body: z.string().optional().meta({
        description: "What each request of the burst carries (it should be one the limit counts).",
      }),
      limit: whole(1, 10_000, "the requests the window allows"),
      windowMs: whole(1, 3_600_000, "the window in ms"),
      extra: whole(1, 1_000, "how many past the limit the burst may go").optional().meta({
        description:
          "How many past the limit the burst may go before it calls the limit missing (default 5).",
      }),
      /** The vendor headers the target sends (R2), e.g. { remaining: "x-ratelimit-remaining" }. */
      vendorHeaders: obj({
        limit: headerName().optional(),
        remaining: headerName().optional(),
        reset: headerName().optional(),
      }).optional(),
    }).optional(),
  }).superRefine((http, ctx) => {
    // Every identity a part names must be one of probe.http.identities.
    const identities = http.identities ?? {};
    const known = Object.keys(identities);
    const named: [PropertyKey[], string | undefined][] = [
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
    /**
     * Write probes a production target allows (with --confirm-production):
     * none unless named here. Their events are of an inert type the receiver
     * accepts and does nothing with, passed to `eventBody` as `inertEventType`.
     */
    productionOptIn: obj({
      probes: z.array(z.string(), { error: () => 'must be a list of probe ids, e.g. ["W1"].' }),
      inertEventType: text(
        'the event type the receiver accepts and does nothing with (e.g. "ping")',
      ),
    }).optional(),
  }).superRefine((probe, ctx) => {
    if (Object.keys(probe.webhooks ?? {}).length === 0 && probe.http === undefined)
      ctx.addIssue({
        code: "custom",
        message:
          "names nothing to probe: add webhooks (a receiver, e.g. { orders: { … } }) or http (the surface: cors, health, criticalRoutes, unimplemented, invalidInputs, methodNotAllowed).",
      });
  });
}
