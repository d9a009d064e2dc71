import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import {
  list,
  type SurfaceContext,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * CORS (C): which origins a browser-facing route lets read its answers.
 */

/** An origin no allow-list names (only ever a header value: nothing is sent there). */
const FOREIGN_ORIGIN = "https://evil.example";

function preflight(
  ctx: SurfaceContext,
  origin: string,
  extra: Record<string, string> = {},
): Promise<Exchange> {
  const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
  return send(
    ctx,
    { service: cors.service, method: "OPTIONS", path: cors.path },
    {
      origin,
      "access-control-request-method": cors.method,
      ...(cors.requestHeaders?.length
        ? { "access-control-request-headers": cors.requestHeaders.join(", ").toLowerCase() }
        : {}),
      ...extra,
    },
  );
}

/** Origins an allow-list matched by prefix, suffix or a loose pattern lets through. */
function bypassOrigins(allowed: string): string[] {
  const url = new URL(allowed);
  const host = url.host;
  return [
    "null",
    `${url.protocol}//${host}.evil.example`,
    `${url.protocol}//evil${host}`,
    `${url.protocol}//${host}_.evil.example`,
    `${url.protocol}//${host}\`.evil.example`,
    `http://${host}`,
  ].filter((o) => o !== allowed);
}

const reflects = (a: Exchange, origin: string) =>
  a.headers["access-control-allow-origin"] === origin ? `${statusText(a)}, reflected` : undefined;

export const CORS_PROBES: Record<string, SurfaceProbe> = {
  C1: {
    missing: (http) => (http.cors ? undefined : "probe.http.cors is not configured"),
    expected:
      "2xx, exactly that origin, the method and headers, credentials when configured, Vary: Origin",
    async run(ctx) {
      const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
      const cases = [];
      for (const origin of cors.allowedOrigins) {
        const a = await preflight(ctx, origin);
        const h = a.headers;
        const problems = [
          a.status !== null && a.status >= 200 && a.status < 300 ? "" : `status ${statusText(a)}`,
          h["access-control-allow-origin"] === origin
            ? ""
            : `Allow-Origin ${JSON.stringify(h["access-control-allow-origin"] ?? null)}`,
          list(h["access-control-allow-methods"]).includes(cors.method.toLowerCase()) ||
          list(h["access-control-allow-methods"]).includes("*")
            ? ""
            : `Allow-Methods lacks ${cors.method}`,
          ...(cors.requestHeaders ?? [])
            .filter((x) => !list(h["access-control-allow-headers"]).includes(x.toLowerCase()))
            .map((x) => `Allow-Headers lacks ${x}`),
          cors.credentials && h["access-control-allow-credentials"] !== "true"
            ? "no Allow-Credentials: true"
            : "",
          list(h.vary).includes("origin") ? "" : "no Vary: Origin",
        ].filter(Boolean);
        cases.push({
          label: origin,
          answer: a,
          wrong: problems.length > 0 ? problems.join(", ") : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "A browser on an allowed origin is refused, or a cache could serve one origin's answer to another: answer the preflight with exactly the origin, the method and headers asked for, Allow-Credentials when cookies are sent, and Vary: Origin.",
      );
    },
  },
  C2: {
    missing: (http) => (http.cors ? undefined : "probe.http.cors is not configured"),
    expected: `${FOREIGN_ORIGIN} never reflected`,
    async run(ctx) {
      const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
      const cases = [];
      for (const [label, extra] of [
        ["preflight", {}],
        ["preflight with a Cookie", { cookie: "session=probe" }],
      ] as const) {
        const a = await preflight(ctx, FOREIGN_ORIGIN, extra);
        cases.push({ label, answer: a, wrong: reflects(a, FOREIGN_ORIGIN) });
      }
      const actual = await send(
        ctx,
        cors,
        { origin: FOREIGN_ORIGIN, cookie: "session=probe", "content-type": "application/json" },
        cors.method === "GET" ? undefined : "{}",
      );
      cases.push({
        label: `${cors.method} with a Cookie`,
        answer: actual,
        wrong: reflects(actual, FOREIGN_ORIGIN),
      });
      return verdictOf(
        this.expected,
        cases,
        "The API reflects any Origin: every site a user visits can call it with their cookies. Answer CORS only for the allow-list, by exact match.",
      );
    },
  },
  C3: {
    missing: (http) =>
      http.cors?.allowedOrigins.length ? undefined : "probe.http.cors.allowedOrigins is empty",
    expected: "no bypass origin reflected",
    async run(ctx) {
      const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
      const cases = [];
      for (const origin of bypassOrigins(cors.allowedOrigins[0] as string)) {
        const a = await preflight(ctx, origin);
        cases.push({ label: origin, answer: a, wrong: reflects(a, origin) });
      }
      return verdictOf(
        this.expected,
        cases,
        "The allow-list matches origins loosely (a prefix, a suffix, a regex without anchors, or null): compare the whole Origin with each allowed one, exactly.",
      );
    },
  },
  C4: {
    missing: (http) => (http.cors ? undefined : "probe.http.cors is not configured"),
    expected: "Access-Control-Allow-Origin never *",
    async run(ctx) {
      const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
      const cases = [];
      for (const origin of [cors.allowedOrigins[0] ?? FOREIGN_ORIGIN, FOREIGN_ORIGIN]) {
        const a = await preflight(ctx, origin);
        cases.push({
          label: origin,
          answer: a,
          wrong:
            a.headers["access-control-allow-origin"] === "*"
              ? `${statusText(a)}, Allow-Origin *`
              : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "The API answers Allow-Origin *: any site may read its answers, and browsers refuse * with credentials. Name the allowed origins instead.",
      );
    },
  },
  C5: {
    missing: (http) =>
      http.cors?.devOrigins?.length ? undefined : "probe.http.cors.devOrigins is not configured",
    expected: "no development origin reflected",
    async run(ctx) {
      const cors = ctx.http.cors as NonNullable<ProbeHttp["cors"]>;
      const cases = [];
      for (const origin of cors.devOrigins ?? []) {
        const a = await preflight(ctx, origin);
        cases.push({ label: origin, answer: a, wrong: reflects(a, origin) });
      }
      return verdictOf(
        this.expected,
        cases,
        "A development origin is still allowed: any page on a developer's machine (or anyone who runs one) can call this target. Keep dev origins out of deployed allow-lists.",
      );
    },
  },
};
