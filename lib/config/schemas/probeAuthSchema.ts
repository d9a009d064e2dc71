import { z } from "zod";
import type { IdentityBudget } from "../profileRuntime.ts";
import { headerName, headers } from "./httpParts.ts";
import { routeShape } from "./probeRouteShapes.ts";
import type { ProfileNames } from "./profileRefs.ts";
import { fn, obj, oneOf, text, whole } from "./schemaParts.ts";

/*
 * The auth parts of the HTTP surface (A2–A5): the identities the other parts
 * name, tenants, roles, Telegram initData and the JWT matrix.
 */

/** The headers one identity's requests carry, minted once a run: a function, since tokens expire. */
export type ProbeIdentity = (budget: IdentityBudget) => Promise<Record<string, string>>;

/** The auth parts' keys, spread into probe.http's schema. */
export function probeAuthShape(names?: ProfileNames) {
  const routes = () => z.array(obj(routeShape(names)));
  /** A request of the session flow: a route, with the headers and body it is sent with. */
  const call = (what: string) =>
    obj({
      ...routeShape(names),
      headers: headers()
        .optional()
        .meta({ description: "Headers sent with it; secrets from the environment." }),
      body: z.string().optional().meta({ description: "The body, as sent (JSON)." }),
    }).meta({ description: what });
  return {
    sessionRevocation: obj({
      login: call(
        "The login request: it must answer 2xx and yield the session (a cookie, or a token in its JSON body). Its password is a secret: list it in `secrets`.",
      ),
      credential: z
        .union(
          [
            obj({
              cookie: text("the session cookie's name").meta({
                description: "The session cookie's name, as the login's Set-Cookie sets it.",
              }),
            }),
            obj({
              pointer: text("a JSON pointer to the token in the login's body").meta({
                description: "Where the token is in the login's JSON body, e.g. /accessToken.",
              }),
              header: headerName().optional().meta({
                description: "The header the token is sent in (default `authorization`).",
              }),
              prefix: z.string().optional().meta({
                description:
                  "Before the token in that header (default `Bearer ` for authorization).",
              }),
            }),
          ],
          {
            error: () =>
              'must be { cookie: "<name>" } or { pointer: "/token", header?, prefix? }: where the session is.',
          },
        )
        .meta({
          description:
            "Where the login's session is: `{ cookie }` or `{ pointer, header?, prefix? }`.",
        }),
      protected: obj(routeShape(names)).meta({
        description:
          "A route that needs the session: 2xx with it (the control), refused after logout.",
      }),
      logout: call("The logout request, sent with the session: it must answer 2xx or 3xx."),
    })
      .optional()
      .meta({
        description:
          "Logout revokes the session (A6): log in, reach a protected route, log out, and the old session must be refused (401/403, or a redirect to sign in). Creates and ends one session: a write.",
      }),
    sharedSecretRoutes: z
      .array(
        obj({
          ...routeShape(names),
          header: headerName().meta({
            description:
              "The header the secret travels in, e.g. `authorization` (Vercel Cron sends `Bearer <CRON_SECRET>`) or `x-cron-secret`.",
          }),
          value: text("the header's value with the right secret, from the environment").meta({
            description:
              "The header's whole value with the right secret, e.g. `Bearer <CRON_SECRET>`, read from the environment; list the secret in the profile's `secrets` too.",
          }),
          queryParam: z
            .string()
            .regex(/^[A-Za-z0-9_.~-]+$/, { error: () => "must be a query parameter name." })
            .optional()
            .meta({
              description:
                "Where the wrong-place case puts the secret instead of the header (default `secret`): a secret in a URL lands in logs, so it must be refused there.",
            }),
          body: z
            .string()
            .optional()
            .meta({ description: "The request body, as sent (JSON), with every case." }),
        }),
      )
      .optional()
      .meta({
        description:
          "Routes that must need a shared secret (A7): cron, scheduler and internal hooks. Without it, with a wrong one, or with it in the query instead of the header: refused (401/403); with it: not refused. The right one runs the route: a write.",
      }),
    identities: z
      .record(
        z.string(),
        fn<ProbeIdentity>(
          'returning the identity\'s headers, e.g. async () => ({ authorization: "Bearer <token>" })',
        ),
      )
      .optional()
      .meta({
        description:
          "Identities by a name the parts below use (A4's owner and intruder, A5's roles, E's authorized reader).",
      }),
    tenantIsolation: z
      .array(
        obj({
          ...routeShape(names),
          owner: z.string().meta({
            description:
              "The identity the object belongs to: it must read it (a name of `probe.http.identities`).",
          }),
          intruder: z.string().meta({
            description:
              "Another tenant's identity: it must get 403 or 404 (a name of `probe.http.identities`).",
          }),
        }),
      )
      .optional()
      .meta({
        description:
          "Objects that belong to one identity (A4): the owner reads each, the intruder must get 403 or 404.",
      }),
    roles: z
      .array(
        obj({
          identity: z.string().meta({
            description: "The identity whose role is judged (a name of `probe.http.identities`).",
          }),
          forbidden: routes()
            .min(1, {
              error: () => "must list the routes the role must not reach.",
            })
            .meta({ description: "The routes that role must not reach: each must answer 403." }),
        }),
      )
      .optional()
      .meta({
        description: "Roles (A5): each identity against routes its role must not reach, 403 each.",
      }),
    telegram: obj({
      ...routeShape(names),
      botToken: z
        .string()
        .regex(/^\d+:[\w-]{20,}$/, {
          error: () =>
            "must be a bot token (digits, a colon, then the secret, as BotFather gives it), read from the environment.",
        })
        .meta({
          description:
            "The bot token initData is signed with, as BotFather gives it: a secret, from the environment.",
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
      body: z
        .string()
        .optional()
        .meta({ description: "The request body sent with each initData, as sent." }),
    })
      .optional()
      .meta({
        description:
          "A Telegram Mini App backend route (A3): how it takes initData and the bot token it is signed with.",
      }),
    jwt: obj({
      ...routeShape(names),
      key: obj({
        alg: oneOf(["HS256"]).meta({ description: "The algorithm valid tokens are signed with." }),
        secret: text("the HMAC secret, from the environment").meta({
          description: "The HMAC secret: from the environment.",
        }),
      }).meta({ description: "How a valid token is signed." }),
      claims: z.record(z.string(), z.unknown()).optional().meta({
        description:
          'Claims a valid token carries besides exp (e.g. { role: "admin", sub: "probe" }).',
      }),
      issuer: z.string().optional().meta({
        description:
          "When the route checks them: a token for another issuer or audience must be refused.",
      }),
      audience: z.string().optional().meta({
        description:
          "The `aud` a valid token carries; a token for another audience must be refused.",
      }),
      refusedStatus: z
        .union([z.literal(401), z.literal(403)], {
          error: (issue) => `is ${JSON.stringify(issue.input)}; allowed: 401, 403.`,
        })
        .optional()
        .meta({ description: "The status a refused token gets (default 401)." }),
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
      .optional()
      .meta({
        description: "A route that takes a bearer JWT (A2), and how a valid one is signed.",
      }),
  };
}
