import { randomBytes, randomInt } from "node:crypto";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { signInitData } from "../lib/signInitData.ts";
import { signJwt } from "../lib/signJwt.ts";
import {
  bodyFor,
  identityHeaders,
  is2xx,
  type SurfaceContext,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Auth (A): what a route does with missing, broken or borrowed credentials.
 */

const refusal = (a: { status: number | null }) => a.status === 401 || a.status === 403;

/** Sends a route as one of the profile's identities. */
async function sendAs(ctx: SurfaceContext, route: Parameters<typeof send>[1], identity: string) {
  const { headers, body } = bodyFor(route);
  return send(ctx, route, { ...headers, ...(await identityHeaders(ctx, identity)) }, body);
}

export const AUTH_PROBES: Record<string, SurfaceProbe> = {
  A1: {
    missing: (http) =>
      http.protectedRoutes?.length ? undefined : "probe.http.protectedRoutes is not configured",
    expected: "401 (or 403) without credentials, never 2xx",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.protectedRoutes ?? []) {
        const { headers, body } = bodyFor(route);
        const a = await send(ctx, route, headers, body);
        const refused = a.status === 401 || a.status === 403;
        cases.push({
          label: `${route.method} ${route.path}`,
          answer: a,
          wrong: refused ? undefined : statusText(a),
        });
      }
      const verdict = verdictOf(
        this.expected,
        cases,
        "A route that needs credentials answers without them: check authentication before anything else on it, and answer 401.",
      );
      // RFC 9110: a 401 names its scheme; its absence is worth knowing, not a failure.
      const bare = cases.filter(
        (c) => c.answer.status === 401 && !c.answer.headers["www-authenticate"],
      );
      return bare.length > 0 && verdict.status === "passed"
        ? {
            ...verdict,
            observed: `${verdict.observed} (note: ${bare.map((c) => c.label).join(", ")} answered 401 without WWW-Authenticate)`,
          }
        : verdict;
    },
  },
  A2: {
    missing: (http) => (http.jwt ? undefined : "probe.http.jwt is not configured"),
    expected:
      "the valid token passes; forged, alg none, expired, not yet valid, wrong aud/iss and empty are refused",
    async run(ctx) {
      const spec = ctx.http.jwt as NonNullable<ProbeHttp["jwt"]>;
      const now = Math.floor(Date.now() / 1000);
      const base = {
        ...(spec.claims ?? {}),
        iat: now,
        exp: now + 600,
        ...(spec.issuer ? { iss: spec.issuer } : {}),
        ...(spec.audience ? { aud: spec.audience } : {}),
      };
      const header = { alg: "HS256", typ: "JWT" };
      const secret = spec.key.secret;
      const refused = spec.refusedStatus ?? 401;
      const variants: [string, string | undefined][] = [
        ["forged signature", signJwt(header, base, `${secret}-not-the-key`)],
        ["alg none", signJwt({ alg: "none", typ: "JWT" }, base, undefined)],
        ["expired", signJwt(header, { ...base, iat: now - 7200, exp: now - 3600 }, secret)],
        ["not yet valid", signJwt(header, { ...base, nbf: now + 3600 }, secret)],
        ...(spec.audience
          ? ([
              ["wrong aud", signJwt(header, { ...base, aud: `${spec.audience}-other` }, secret)],
            ] as [string, string][])
          : []),
        ...(spec.issuer
          ? ([["wrong iss", signJwt(header, { ...base, iss: `${spec.issuer}-other` }, secret)]] as [
              string,
              string,
            ][])
          : []),
        ["empty", ""],
      ];
      const cases = [];
      // The control: without a token that passes, every refusal below proves nothing.
      const valid = await send(ctx, spec, {
        authorization: `Bearer ${signJwt(header, base, secret)}`,
      });
      const validOk = valid.status !== null && valid.status >= 200 && valid.status < 400;
      cases.push({
        label: "valid",
        answer: valid,
        wrong: validOk ? undefined : `${statusText(valid)} to a valid token`,
      });
      for (const [label, token] of variants) {
        const a = await send(ctx, spec, { authorization: `Bearer ${token}` });
        cases.push({ label, answer: a, wrong: a.status === refused ? undefined : statusText(a) });
      }
      return verdictOf(
        this.expected,
        cases,
        validOk
          ? `The route accepts a token it must refuse: verify the signature with the algorithm pinned (never alg none), and exp, nbf${spec.audience ? ", aud" : ""}${spec.issuer ? ", iss" : ""}; answer ${refused} otherwise.`
          : "The route refused a valid token, so the matrix proves nothing: is probe.http.jwt's key the one the route verifies with, and are its claims what it requires?",
      );
    },
  },
  A3: {
    missing: (http) => (http.telegram ? undefined : "probe.http.telegram is not configured"),
    expected:
      "valid initData passes, also with \\/ escapes in its user (as Telegram sends them) and its fields reordered; an edited user, the user re-encoded under the original hash, an expired auth_date, another bot's hash, none, and a bare X-Telegram-User-Id are refused",
    async run(ctx) {
      const spec = ctx.http.telegram as NonNullable<ProbeHttp["telegram"]>;
      const header = (spec.header ?? "authorization").toLowerCase();
      const prefix = spec.prefix ?? (header === "authorization" ? "tma " : "");
      const now = Math.floor(Date.now() / 1000);
      const userId = 7_000_000_000 + randomInt(1_000_000);
      const user = (id: number) =>
        JSON.stringify({
          id,
          first_name: "Harness",
          username: "harness_probe",
          language_code: "en",
        });
      // As Telegram clients send it since Bot API 8.0: with the Ed25519 `signature` field, which
      // the bot-token hash covers too. Its value is random: the probe cannot sign as Telegram, so a
      // backend that checks it (third-party validation) is not covered here.
      const fields = {
        query_id: `AAH${randomInt(1e9)}`,
        user: user(userId),
        auth_date: String(now),
        signature: randomBytes(64).toString("base64url"),
      };
      const valid = signInitData(spec.botToken, fields);
      const edited = new URLSearchParams(valid);
      edited.set("user", user(userId + 1));
      const expired = signInitData(spec.botToken, {
        ...fields,
        auth_date: String(now - (spec.maxAgeSec ?? 86_400) - 3600),
      });
      const otherBot = signInitData(`${spec.botToken}0`, fields);
      // Telegram's clients escape "/" in the user's JSON (photo_url): the hash covers the bytes as sent,
      // so a backend that re-serialises the JSON before checking refuses what Telegram signed.
      const escapedUser = user(userId).replace(
        /}$/,
        ',"photo_url":"https:\\/\\/t.me\\/i\\/userpic\\/320\\/harness.jpg"}',
      );
      const escaped = signInitData(spec.botToken, { ...fields, user: escapedUser });
      const reordered = new URLSearchParams([...new URLSearchParams(escaped)].reverse()).toString();
      // The same user in another encoding ("/" unescaped), under the hash of the original: it must not pass.
      const reencoded = new URLSearchParams(escaped);
      reencoded.set("user", JSON.stringify(JSON.parse(escapedUser)));
      const base: Record<string, string> =
        spec.body !== undefined ? { "content-type": "application/json" } : {};
      const withInit = (init: string) => ({ ...base, [header]: `${prefix}${init}` });
      const cases = [];
      for (const [label, init] of [
        ["valid", valid],
        ["valid, its user with \\/ escapes (as Telegram sends it)", escaped],
        ["valid, its fields in another order", reordered],
      ] as const) {
        const a = await send(ctx, spec, withInit(init), spec.body);
        cases.push({
          label,
          answer: a,
          wrong:
            a.status !== null && a.status < 400 ? undefined : `${statusText(a)} to valid initData`,
        });
      }
      for (const [label, headers] of [
        ["user edited, hash kept", withInit(edited.toString())],
        ['user re-encoded ("/" unescaped), the original hash kept', withInit(reencoded.toString())],
        ["expired auth_date", withInit(expired)],
        ["another bot's hash", withInit(otherBot)],
        ["no initData", base],
        ["bare X-Telegram-User-Id", { ...base, "x-telegram-user-id": String(userId) }],
      ] as [string, Record<string, string>][]) {
        const a = await send(ctx, spec, headers, spec.body);
        cases.push({ label, answer: a, wrong: refusal(a) ? undefined : statusText(a) });
      }
      return verdictOf(
        this.expected,
        cases,
        cases[0]?.wrong
          ? "The route refused initData signed with probe.http.telegram.botToken, so the refusals prove nothing: is it the bot token the backend verifies with, and does initData travel where the profile says?"
          : cases[1]?.wrong || cases[2]?.wrong
            ? "The backend refuses initData Telegram signed when its user has \\/ escapes or its fields come in another order: it re-serialises before checking. Check the hash over the received values exactly as sent (URL-decoded, keys sorted), never a re-encoding."
            : 'The backend trusts initData it must not: recompute the hash over the data-check string with HMAC-SHA256 keyed by HMAC("WebAppData", bot token), compare in constant time, reject an old auth_date, and never take a user id from a bare header.',
      );
    },
  },
  A4: {
    missing: (http) =>
      http.tenantIsolation?.length ? undefined : "probe.http.tenantIsolation is not configured",
    expected: "the owner reads its object; another identity gets 403 or 404, never 2xx",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.tenantIsolation ?? []) {
        const label = `${route.method} ${route.path}`;
        const owner = await sendAs(ctx, route, route.owner);
        cases.push({
          label: `${label} as ${route.owner}`,
          answer: owner,
          wrong: is2xx(owner) ? undefined : `${statusText(owner)} to its owner`,
        });
        const intruder = await sendAs(ctx, route, route.intruder);
        cases.push({
          label: `${label} as ${route.intruder}`,
          answer: intruder,
          wrong:
            intruder.status === 403 || intruder.status === 404 ? undefined : statusText(intruder),
        });
      }
      const controlFailed = cases.some((c, i) => i % 2 === 0 && c.wrong);
      return verdictOf(
        this.expected,
        cases,
        controlFailed
          ? "The owner could not read its own object, so the intruder's refusal proves nothing: do the identities and paths in probe.http.tenantIsolation match the target's data?"
          : "One identity reads another tenant's object: scope every lookup by the caller's tenant (or row-level security), and answer 404 (or 403) for an object that is not theirs.",
      );
    },
  },
  A5: {
    missing: (http) => (http.roles?.length ? undefined : "probe.http.roles is not configured"),
    expected: "403 for each route the role must not reach",
    async run(ctx) {
      const cases = [];
      for (const role of ctx.http.roles ?? [])
        for (const route of role.forbidden) {
          const a = await sendAs(ctx, route, role.identity);
          cases.push({
            label: `${route.method} ${route.path} as ${role.identity}`,
            answer: a,
            wrong:
              a.status === 403
                ? undefined
                : a.status === 401
                  ? "401: the credentials were not taken as a login, so the role was never checked"
                  : statusText(a),
          });
        }
      return verdictOf(
        this.expected,
        cases,
        "A role reaches a route it must not, or is not recognised at all: check the permission after authentication and answer 403; for a 401, are the role's credentials in probe.http.identities valid?",
      );
    },
  },
};
