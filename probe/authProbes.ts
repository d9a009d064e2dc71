import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { type SurfaceProbe, send, statusText, verdictOf } from "./surfaceContext.ts";

/*
 * Auth (A): what a route does with missing, broken or borrowed credentials.
 */

/** A JWT with any header and payload, HS256-signed with `secret` (or unsigned for alg none). */
async function jwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | undefined,
): Promise<string> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${b64(header)}.${b64(payload)}`;
  if (secret === undefined) return `${unsigned}.`;
  const { createHmac } = await import("node:crypto");
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

export const AUTH_PROBES: Record<string, SurfaceProbe> = {
  A1: {
    missing: (http) =>
      http.protectedRoutes?.length ? undefined : "probe.http.protectedRoutes is not configured",
    expected: "401 (or 403) without credentials, never 2xx",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.protectedRoutes ?? []) {
        const a = await send(
          ctx,
          route,
          route.method === "GET" ? {} : { "content-type": "application/json" },
          route.method === "GET" ? undefined : "{}",
        );
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
        ["forged signature", await jwt(header, base, `${secret}-not-the-key`)],
        ["alg none", await jwt({ alg: "none", typ: "JWT" }, base, undefined)],
        ["expired", await jwt(header, { ...base, iat: now - 7200, exp: now - 3600 }, secret)],
        ["not yet valid", await jwt(header, { ...base, nbf: now + 3600 }, secret)],
        ...(spec.audience
          ? ([
              ["wrong aud", await jwt(header, { ...base, aud: `${spec.audience}-other` }, secret)],
            ] as [string, string][])
          : []),
        ...(spec.issuer
          ? ([
              ["wrong iss", await jwt(header, { ...base, iss: `${spec.issuer}-other` }, secret)],
            ] as [string, string][])
          : []),
        ["empty", ""],
      ];
      const cases = [];
      // The control: without a token that passes, every refusal below proves nothing.
      const valid = await send(ctx, spec, {
        authorization: `Bearer ${await jwt(header, base, secret)}`,
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
      // The tokens in the evidence are the probe's own, signed for this run: still, show none whole.
      for (const c of cases)
        c.answer.evidence = c.answer.evidence.map((l) =>
          l.startsWith("> authorization: Bearer ") ? `${l.slice(0, 40)}…` : l,
        );
      return verdictOf(
        this.expected,
        cases,
        validOk
          ? `The route accepts a token it must refuse: verify the signature with the algorithm pinned (never alg none), and exp, nbf${spec.audience ? ", aud" : ""}${spec.issuer ? ", iss" : ""}; answer ${refused} otherwise.`
          : "The route refused a valid token, so the matrix proves nothing: is probe.http.jwt's key the one the route verifies with, and are its claims what it requires?",
      );
    },
  },
};
