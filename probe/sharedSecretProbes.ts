import { randomBytes } from "node:crypto";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import {
  hiddenIn,
  type SurfaceContext,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Shared-secret routes (A7): cron, scheduler and internal hooks that anyone
 * who finds the URL could call unless they check a secret. Each route is
 * sent without the secret, with a wrong one, and with the right one in the
 * query instead of its header, each of which must be refused; then with the
 * right one, which must not be (the control: a route that refuses
 * everything proves nothing). The secret is never shown: its header and
 * the query case's URL are shown by length only.
 */

type Route = NonNullable<ProbeHttp["sharedSecretRoutes"]>[number];

/** An authorization scheme before the secret (`Bearer `), kept by the wrong-secret case. */
const SCHEME = /^(Bearer|Basic|Token)\s+/i;

/** A refusal: 401 or 403, or 404 for a route that hides itself (the control shows it is there). */
const refused = (a: Exchange) => a.status === 401 || a.status === 403 || a.status === 404;

/** A wrong secret of the right one's length, random, sharing not even its first character. */
export function wrongSecret(right: string): string {
  let out = randomBytes(Math.ceil((right.length * 3) / 4) + 3)
    .toString("base64url")
    .slice(0, Math.max(right.length, 8));
  if (out[0] === right[0]) out = `${out[0] === "x" ? "y" : "x"}${out.slice(1)}`;
  return out;
}

async function casesOf(ctx: SurfaceContext, route: Route) {
  const scheme = SCHEME.exec(route.value)?.[0] ?? "";
  const secret = route.value.slice(scheme.length);
  const json: Record<string, string> =
    route.body !== undefined ? { "content-type": "application/json" } : {};
  const sent = (headers: Record<string, string>, path = route.path) =>
    send(ctx, { ...route, path }, { ...json, ...headers }, route.body).then((a) =>
      hiddenIn(a, [route.value, secret], "redacted"),
    );
  const param = route.queryParam ?? "secret";
  const inQuery = `${route.path}${route.path.includes("?") ? "&" : "?"}${param}=${encodeURIComponent(secret)}`;
  const label = `${route.method} ${route.path}`;
  // The refusals first: the control runs the route (a job), and must not be what they see.
  const without = await sent({});
  const wrong = await sent({ [route.header]: `${scheme}${wrongSecret(secret)}` });
  const query = await sent({}, inQuery);
  const right = await sent({ [route.header]: route.value });
  const mustRefuse = (a: Exchange) =>
    refused(a) ? undefined : `${statusText(a)}: not refused (401 or 403)`;
  return [
    { label: `${label} without the secret`, answer: without, wrong: mustRefuse(without) },
    { label: `${label} with a wrong secret`, answer: wrong, wrong: mustRefuse(wrong) },
    {
      label: `${label} with the secret in the query (?${param}=), not ${route.header}`,
      answer: query,
      wrong: mustRefuse(query),
    },
    {
      label: `${label} with the secret (control)`,
      answer: right,
      wrong:
        right.status === null || right.status >= 500
          ? `${statusText(right)}: the right secret got no usable answer, so the refusals show nothing`
          : refused(right)
            ? `${right.status}: the right secret is refused too, so the refusals show nothing (is the value or the header right?)`
            : undefined,
    },
  ];
}

export const SHARED_SECRET_PROBES: Record<string, SurfaceProbe> = {
  A7: {
    missing: (http) =>
      http.sharedSecretRoutes?.length
        ? undefined
        : "probe.http.sharedSecretRoutes is not configured",
    expected:
      "refused (401/403) without the secret, with a wrong one, and with it in the query; not refused with it",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.sharedSecretRoutes ?? []) {
        if (ctx.signal?.aborted) break;
        cases.push(...(await casesOf(ctx, route)));
      }
      return verdictOf(
        this.expected,
        cases,
        "A route meant for a scheduler or another service answers whoever calls it: check its shared secret in the header (constant-time), refuse it anywhere else, and refuse a missing or wrong one with 401.",
      );
    },
  },
};
