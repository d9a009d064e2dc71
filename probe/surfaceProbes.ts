import type { Dispatcher } from "undici";
import type { ProbeHttp, ProbeRoute } from "../lib/config/probeProfile.ts";
import type { CheckVerdict } from "../lib/timedCheck.ts";
import { type Exchange, exchange } from "./probeDelivery.ts";
import { pause } from "./webhookProbes.ts";

/** What the surface probes share: the profile's routes and how to reach them. */
export interface SurfaceContext {
  http: ProbeHttp;
  /** The URL of a path on one of the profile's services. */
  urlOf(service: string, path: string): string;
  agent: Dispatcher;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** Values that must never appear in an answer (the profile's secrets). */
  secrets: readonly string[];
  /** Work probes share within a run (R1's burst, read by R2 and R3). */
  memo: Map<string, Promise<unknown>>;
}

/** What R1's burst saw: every answer up to the first 429 (or the count or time bound). */
interface Burst {
  answers: Exchange[];
  limited: Exchange | undefined;
  elapsedMs: number;
  /** Why it stopped: a 429, the count bound, the window's end, or Ctrl-C. */
  stoppedBy: "429" | "count" | "time" | "interrupted";
}

/** Seconds to wait from a Retry-After (delta-seconds or an HTTP date); undefined when it is neither. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text) &&
    Number.isFinite(date)
    ? Math.max(0, Math.ceil((date - now) / 1000))
    : undefined;
}

/** The burst, once a run: at most limit + extra requests, one after another, never past the window. */
function burstOf(ctx: SurfaceContext): Promise<Burst> {
  const memo = ctx.memo.get("burst") as Promise<Burst> | undefined;
  if (memo) return memo;
  const run = (async (): Promise<Burst> => {
    const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
    const bound = spec.limit + (spec.extra ?? 5);
    const started = performance.now();
    const answers: Exchange[] = [];
    while (answers.length < bound) {
      if (ctx.signal?.aborted)
        return {
          answers,
          limited: undefined,
          elapsedMs: performance.now() - started,
          stoppedBy: "interrupted",
        };
      if (performance.now() - started >= spec.windowMs)
        return {
          answers,
          limited: undefined,
          elapsedMs: performance.now() - started,
          stoppedBy: "time",
        };
      const a = await send(ctx, spec, { "content-type": "application/json" }, spec.body);
      answers.push(a);
      if (a.status === 429)
        return { answers, limited: a, elapsedMs: performance.now() - started, stoppedBy: "429" };
    }
    return {
      answers,
      limited: undefined,
      elapsedMs: performance.now() - started,
      stoppedBy: "count",
    };
  })();
  ctx.memo.set("burst", run);
  return run;
}

function burstEvidence(b: Burst): string[] {
  const first = b.answers[0];
  const last = b.answers.at(-1);
  return [
    ...(first ? ["[first]", ...first.evidence] : []),
    ...(last && last !== first ? [`[last, request ${b.answers.length}]`, ...last.evidence] : []),
    `statuses: ${b.answers.map((a) => a.status ?? "none").join(" ")}`,
  ];
}

export type SurfaceProbe = {
  /** Why it cannot run against this profile (the part it needs is not configured); undefined when it can. */
  missing(http: ProbeHttp): string | undefined;
  expected: string;
  run(ctx: SurfaceContext): Promise<CheckVerdict>;
};

/** An origin no allow-list names (only ever a header value: nothing is sent there). */
const FOREIGN_ORIGIN = "https://evil.example";

function statusText(a: Exchange): string {
  return a.status === null ? `no answer (${a.error})` : `${a.status}`;
}

function send(
  ctx: SurfaceContext,
  route: { service: string; method: string; path: string },
  headers: Record<string, string> = {},
  body?: string,
): Promise<Exchange> {
  return exchange(
    ctx.agent,
    {
      method: route.method,
      url: ctx.urlOf(route.service, route.path),
      headers,
      ...(body !== undefined ? { body } : {}),
    },
    ctx.requestTimeoutMs,
    ctx.signal,
  );
}

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

/** The list of a header (comma-separated), lower-cased. */
const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

/** Judges many labelled cases at once: passed when none is wrong, with each case's evidence. */
function verdictOf(
  expected: string,
  cases: readonly { label: string; answer: Exchange; wrong: string | undefined }[],
  hint: string,
): CheckVerdict {
  // Fail closed: a probe that checked nothing has no evidence either way.
  if (cases.length === 0)
    return {
      status: "skipped",
      expected,
      observed: "not judged: nothing to check",
      hint: "The probe's part of probe.http lists nothing.",
    };
  const evidence = cases.flatMap((c) => [`[${c.label}]`, ...c.answer.evidence]);
  const wrong = cases.filter((c) => c.wrong);
  const observed = (wrong.length > 0 ? wrong : cases)
    .map((c) => `${c.label}: ${c.wrong ?? statusText(c.answer)}`)
    .join("; ");
  return wrong.length === 0
    ? { status: "passed", expected, observed, evidence }
    : { status: "failed", expected, observed, hint, evidence };
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

const PAGES_MISSING = (http: ProbeHttp) =>
  http.pages?.routes.length ? undefined : "probe.http.pages is not configured";

/** The pages, fetched once a run and shared by T4–T6. */
function pagesOf(ctx: SurfaceContext): Promise<{ path: string; answer: Exchange }[]> {
  const memo = ctx.memo.get("pages") as Promise<{ path: string; answer: Exchange }[]> | undefined;
  if (memo) return memo;
  const run = (async () => {
    const out = [];
    for (const route of ctx.http.pages?.routes ?? [])
      out.push({ path: route.path, answer: await send(ctx, { ...route, method: "GET" }) });
    return out;
  })();
  ctx.memo.set("pages", run);
  return run;
}

/** Each Set-Cookie of an answer, split (undici joins repeated headers with ", "; a cookie's Expires has one too). */
function cookiesOf(a: Exchange): { name: string; attributes: string[] }[] {
  const raw = a.headers["set-cookie"];
  if (!raw) return [];
  return raw
    .split(/,(?=\s*[^;=\s]+=)/)
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const [pair = "", ...attrs] = c.split(";").map((p) => p.trim());
      return { name: pair.split("=")[0] ?? "", attributes: attrs.map((x) => x.toLowerCase()) };
    });
}

/** The http:// URLs a page loads or posts to (scripts, styles, images, frames, media, forms). */
function insecureReferences(html: string): string[] {
  const found = new Set<string>();
  const pattern =
    /<(script|link|img|iframe|frame|source|video|audio|embed|object|form)\b[^>]*?\b(src|href|data|action)\s*=\s*["']?(http:\/\/[^"'\s>]+)/gi;
  for (const m of html.matchAll(pattern)) if (m[3]) found.add(`${m[1]?.toLowerCase()} ${m[3]}`);
  return [...found];
}

const RATE_MISSING = (http: ProbeHttp) =>
  http.rateLimit ? undefined : "probe.http.rateLimit is not configured";

export const SURFACE_PROBES: Record<string, SurfaceProbe> = {
  T4: {
    missing: PAGES_MISSING,
    expected: "every SameSite=None cookie Secure; session cookies HttpOnly",
    async run(ctx) {
      const session = new Set((ctx.http.pages?.sessionCookies ?? []).map((n) => n.toLowerCase()));
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const problems = cookiesOf(answer)
          .flatMap((c) => [
            c.attributes.includes("samesite=none") && !c.attributes.includes("secure")
              ? `${c.name}: SameSite=None without Secure`
              : "",
            session.has(c.name.toLowerCase()) && !c.attributes.includes("httponly")
              ? `${c.name}: a session cookie without HttpOnly`
              : "",
          ])
          .filter(Boolean);
        const missing = [...session].filter(
          (n) => !cookiesOf(answer).some((c) => c.name.toLowerCase() === n),
        );
        return {
          label: path,
          answer,
          wrong:
            answer.status === null || answer.status >= 400
              ? statusText(answer)
              : problems.length > 0
                ? problems.join(", ")
                : missing.length > 0 && cookiesOf(answer).length === 0
                  ? `no Set-Cookie (expected ${missing.join(", ")})`
                  : undefined,
        };
      });
      return verdictOf(
        this.expected,
        cases,
        "Browsers drop a SameSite=None cookie that is not Secure (the LIFF page loses its session inside LINE), and a session cookie scripts can read is one XSS away from theft: set Secure and HttpOnly, and make sure the edge passes them through.",
      );
    },
  },
  T5: {
    missing: PAGES_MISSING,
    expected: "no http:// subresource or form target",
    async run(ctx) {
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const insecure = insecureReferences(answer.text);
        return {
          label: path,
          answer,
          wrong:
            answer.status === null || answer.status >= 400
              ? statusText(answer)
              : insecure.length > 0
                ? `loads ${insecure.join(", ")}`
                : undefined,
        };
      });
      return verdictOf(
        this.expected,
        cases,
        "An https page that loads http:// resources is blocked or flagged by the browser (and LINE's in-app browser): serve every subresource over https.",
      );
    },
  },
  T6: {
    missing: PAGES_MISSING,
    expected: "nosniff, and frame-ancestors allowing each configured embedder",
    async run(ctx) {
      const embedders = ctx.http.pages?.embeddableBy ?? [];
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const csp = answer.headers["content-security-policy"] ?? "";
        const ancestors = /frame-ancestors([^;]*)/i.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
        const xfo = (answer.headers["x-frame-options"] ?? "").toLowerCase();
        const problems = [
          (answer.headers["x-content-type-options"] ?? "").toLowerCase() === "nosniff"
            ? ""
            : "no X-Content-Type-Options: nosniff",
          ...embedders
            .filter((origin) => !ancestors.includes(origin) && !ancestors.includes("*"))
            .map((origin) => `frame-ancestors lacks ${origin}`),
          embedders.length > 0 && (xfo === "deny" || xfo === "sameorigin") && ancestors.length === 0
            ? `X-Frame-Options ${xfo} forbids the embedders`
            : "",
        ].filter(Boolean);
        return {
          label: path,
          answer,
          wrong:
            answer.status === null || answer.status >= 400
              ? statusText(answer)
              : problems.length > 0
                ? problems.join(", ")
                : undefined,
        };
      });
      return verdictOf(
        this.expected,
        cases,
        "The page must be framed only where it has to be (frame-ancestors naming the embedders) and never sniffed as another type (nosniff).",
      );
    },
  },
  R1: {
    missing: RATE_MISSING,
    expected: "a 429 with a valid Retry-After before limit + extra requests, inside the window",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const b = await burstOf(ctx);
      const evidence = burstEvidence(b);
      const took = `${b.answers.length} requests in ${Math.round(b.elapsedMs)} ms`;
      if (b.stoppedBy === "interrupted")
        return {
          status: "skipped",
          expected: this.expected,
          observed: `interrupted after ${took}`,
          evidence,
        };
      if (!b.limited)
        return {
          status: "failed",
          expected: this.expected,
          observed: `no 429 after ${took} (stopped at the ${b.stoppedBy === "time" ? "window's end" : "count bound"}; limit ${spec.limit} per ${spec.windowMs} ms)`,
          hint: "Nothing limited the burst: the route is unprotected against floods and guessing, or the profile's limit is not the deployed one.",
          evidence,
        };
      const retry = b.limited.headers["retry-after"];
      const seconds = retryAfterSeconds(retry);
      const observed = `429 at request ${b.answers.length} (${took}); Retry-After ${JSON.stringify(retry ?? null)}`;
      return seconds === undefined
        ? {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "A 429 must say when to come back: Retry-After in seconds or as an HTTP date (RFC 9110), or clients retry at once and make it worse.",
            evidence,
          }
        : { status: "passed", expected: this.expected, observed, evidence };
    },
  },
  R2: {
    missing: (http) =>
      RATE_MISSING(http) ??
      (http.rateLimit?.vendorHeaders
        ? undefined
        : "probe.http.rateLimit.vendorHeaders is not configured"),
    expected: "the configured limit headers on every answer, as numbers, remaining never rising",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const names = spec.vendorHeaders ?? {};
      const b = await burstOf(ctx);
      if (b.answers.length === 0 || b.stoppedBy === "interrupted")
        return {
          status: "skipped",
          expected: this.expected,
          observed: `not judged: the burst ${b.stoppedBy === "interrupted" ? "was interrupted" : "got no answer"}`,
        };
      const problems: string[] = [];
      let lastRemaining = Number.POSITIVE_INFINITY;
      for (const [i, a] of b.answers.entries()) {
        for (const [role, name] of Object.entries(names)) {
          const v = a.headers[name.toLowerCase()];
          if (v === undefined || !/^\d+$/.test(v.trim())) {
            problems.push(
              `request ${i + 1}: ${name} ${v === undefined ? "missing" : JSON.stringify(v)}`,
            );
            continue;
          }
          if (role === "remaining") {
            if (Number(v) > lastRemaining) problems.push(`request ${i + 1}: ${name} rose to ${v}`);
            lastRemaining = Number(v);
          }
        }
        // IETF draft fields, when sent, must at least carry a policy or a remaining quota.
        for (const field of ["ratelimit", "ratelimit-policy"]) {
          const v = a.headers[field];
          if (v !== undefined && !/(r=|q=|remaining|limit|=)/i.test(v))
            problems.push(`request ${i + 1}: ${field} ${JSON.stringify(v)} does not parse`);
        }
      }
      const observed =
        problems.length === 0
          ? `${Object.values(names).join(", ")} on all ${b.answers.length} answers; remaining ended at ${lastRemaining}`
          : problems.slice(0, 5).join("; ") +
            (problems.length > 5 ? ` and ${problems.length - 5} more` : "");
      return problems.length === 0
        ? { status: "passed", expected: this.expected, observed, evidence: burstEvidence(b) }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Clients pace themselves by these headers: send them on every answer of the limited route, as integers, with remaining counting down.",
            evidence: burstEvidence(b),
          };
    },
  },
  R3: {
    missing: RATE_MISSING,
    expected: "after Retry-After, no longer 429",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const b = await burstOf(ctx);
      const seconds = retryAfterSeconds(b.limited?.headers["retry-after"]);
      if (!b.limited || seconds === undefined)
        return {
          status: "skipped",
          expected: this.expected,
          observed: "not judged: R1 saw no 429 with a valid Retry-After",
          hint: "R3 waits the Retry-After R1 was given; see R1.",
        };
      // Bounded: never longer than the window and a second, whatever the target says.
      const waitMs = Math.min(seconds * 1000, spec.windowMs + 1000);
      await pause(waitMs, ctx.signal);
      if (ctx.signal?.aborted)
        return {
          status: "skipped",
          expected: this.expected,
          observed: "interrupted while waiting for Retry-After",
        };
      const a = await send(ctx, spec, { "content-type": "application/json" }, spec.body);
      const observed = `waited ${waitMs} ms (Retry-After ${seconds}); then ${statusText(a)}`;
      return a.status !== 429 && a.status !== null
        ? { status: "passed", expected: this.expected, observed, evidence: a.evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Retry-After said when the limit lifts, and it did not: a client that obeys it is locked out anyway.",
            evidence: a.evidence,
          };
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
  HC1: {
    missing: (http) => (http.health ? undefined : "probe.http.health is not configured"),
    expected: "2xx with a status field",
    async run(ctx) {
      const health = ctx.http.health as NonNullable<ProbeHttp["health"]>;
      const a = await send(ctx, { ...health, method: "GET" });
      let status: unknown;
      try {
        status = (JSON.parse(a.text) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      const ok =
        a.status !== null && a.status >= 200 && a.status < 300 && typeof status === "string";
      const type = a.headers["content-type"] ?? "no content type";
      const observed = `${statusText(a)}, status ${JSON.stringify(status ?? null)} (${type})`;
      return ok
        ? { status: "passed", expected: this.expected, observed, evidence: a.evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Health must answer 2xx with a status field (application/health+json's `status`), checked against the database, so a monitor and a deploy can tell up from down.",
            evidence: a.evidence,
          };
    },
  },
  HC3: {
    missing: (http) =>
      http.health || http.criticalRoutes?.length
        ? undefined
        : "probe.http.health and criticalRoutes are not configured",
    expected: "no connection string, secret or environment dump",
    async run(ctx) {
      const all = [
        ...(ctx.http.health ? [ctx.http.health] : []),
        ...(ctx.http.criticalRoutes ?? []),
      ];
      // The health endpoint is usually a critical route too: each read once.
      const routes = all.filter(
        (r, i) => all.findIndex((x) => x.service === r.service && x.path === r.path) === i,
      );
      const cases = [];
      for (const route of routes) {
        const a = await send(ctx, { ...route, method: "GET" });
        const leaks = [
          /\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis|rediss|amqp):\/\/\S+/i.test(a.text)
            ? "a connection string"
            : "",
          ctx.secrets.some((s) => s.length >= 6 && a.text.includes(s))
            ? "a secret of the profile"
            : "",
          /"(PATH|HOME|NODE_ENV|DATABASE_URL)"\s*:/.test(a.text) || /\bPATH=\//.test(a.text)
            ? "an environment dump"
            : "",
        ].filter(Boolean);
        // The evidence must not carry what leaked: only that it did.
        const answer = {
          ...a,
          evidence: a.evidence.filter((l) => !l.startsWith("< {") && !l.startsWith("< [")),
        };
        cases.push({
          label: route.path,
          answer,
          wrong: leaks.length > 0 ? `answer holds ${leaks.join(" and ")}` : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "A public answer carries what only the service should know: remove connection strings, secrets and environment dumps from health and discovery answers.",
      );
    },
  },
  HC4: {
    missing: (http) =>
      http.criticalRoutes?.length ? undefined : "probe.http.criticalRoutes is not configured",
    expected: "neither 5xx nor 404, answered in time",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.criticalRoutes ?? []) {
        const a = await send(ctx, { ...route, method: "GET" });
        const bad = a.status === null || a.status >= 500 || a.status === 404;
        cases.push({ label: route.path, answer: a, wrong: bad ? statusText(a) : undefined });
      }
      return verdictOf(
        this.expected,
        cases,
        "A route other services and monitors depend on is missing or failing: it must answer, whatever else is broken.",
      );
    },
  },
  S1: {
    missing: (http) =>
      http.unimplemented?.length ? undefined : "probe.http.unimplemented is not configured",
    expected: "501 (or 401/403 when gated), never 2xx",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.unimplemented ?? []) {
        const a = await send(ctx, route);
        const ok = a.status === 501 || a.status === 401 || a.status === 403;
        const soon = /coming soon|not (yet )?available|under construction/i.test(a.text);
        cases.push({
          label: `${route.method} ${route.path}`,
          answer: a,
          wrong: ok ? undefined : `${statusText(a)}${soon ? ', "coming soon" in a success' : ""}`,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "An unbuilt feature answers as if it worked: clients and monitors read a 2xx as success. Answer 501 Not Implemented until it is built.",
      );
    },
  },
  S2: {
    missing: (http) =>
      http.invalidInputs?.length ? undefined : "probe.http.invalidInputs is not configured",
    expected: "400 with a structured error, never 5xx",
    async run(ctx) {
      const cases = [];
      for (const input of ctx.http.invalidInputs ?? []) {
        const a = await send(
          ctx,
          input,
          { "content-type": input.contentType ?? "application/json" },
          input.body,
        );
        let structured = false;
        try {
          const body = JSON.parse(a.text) as Record<string, unknown>;
          structured =
            typeof body === "object" &&
            body !== null &&
            ("error" in body || "message" in body || "errors" in body);
        } catch {
          structured = false;
        }
        const wrong =
          a.status !== 400
            ? statusText(a)
            : structured
              ? undefined
              : "400 without a structured error";
        cases.push({ label: `${input.method} ${input.path}`, answer: a, wrong });
      }
      return verdictOf(
        this.expected,
        cases,
        "Invalid input is not answered 400 with an error the client can read: validate before use, and answer 400 { error } instead of failing (5xx) or accepting it.",
      );
    },
  },
  S3: {
    missing: (http) =>
      http.methodNotAllowed?.length ? undefined : "probe.http.methodNotAllowed is not configured",
    expected: "405 with Allow",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.methodNotAllowed ?? []) {
        const a = await send(ctx, route);
        const wrong =
          a.status !== 405 ? statusText(a) : a.headers.allow ? undefined : "405 without Allow";
        cases.push({ label: `${route.method} ${route.path}`, answer: a, wrong });
      }
      return verdictOf(
        this.expected,
        cases,
        "A method the route does not take is not answered 405 with Allow (RFC 9110): a 404 or 200 hides the mistake from the client.",
      );
    },
  },
};

/** For the profile check: every route the surface probes send to. */
export function surfaceRoutes(http: ProbeHttp): { key: string; route: Partial<ProbeRoute> }[] {
  return [
    ...(http.cors ? [{ key: "cors", route: http.cors }] : []),
    ...(http.health ? [{ key: "health", route: { ...http.health, method: "GET" as const } }] : []),
    ...(http.criticalRoutes ?? []).map((r, i) => ({
      key: `criticalRoutes[${i}]`,
      route: { ...r, method: "GET" as const },
    })),
    ...(http.unimplemented ?? []).map((r, i) => ({ key: `unimplemented[${i}]`, route: r })),
    ...(http.invalidInputs ?? []).map((r, i) => ({ key: `invalidInputs[${i}]`, route: r })),
    ...(http.methodNotAllowed ?? []).map((r, i) => ({ key: `methodNotAllowed[${i}]`, route: r })),
    ...(http.protectedRoutes ?? []).map((r, i) => ({ key: `protectedRoutes[${i}]`, route: r })),
    ...(http.jwt ? [{ key: "jwt", route: http.jwt }] : []),
    ...(http.pages?.routes ?? []).map((r, i) => ({
      key: `pages.routes[${i}]`,
      route: { ...r, method: "GET" as const },
    })),
    ...(http.rateLimit ? [{ key: "rateLimit", route: http.rateLimit }] : []),
  ];
}
