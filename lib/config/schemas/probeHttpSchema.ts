import { z } from "zod";
import type { IdentityBudget } from "../profileRuntime.ts";
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
  text,
  whole,
} from "./schemaParts.ts";

/*
 * The probe section's HTTP surface (A, C, R, HC, S, T, E): each part a
 * schema, and the identities the parts name checked against
 * probe.http.identities.
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
