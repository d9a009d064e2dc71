import type { Dispatcher } from "undici";
import type { SigningScheme } from "../webhookSchemes.ts";
import type { SqlStatement } from "./targetProfile.ts";

/*
 * The probe suite's part of a target profile: the webhook receivers it
 * attacks (W, H) and the HTTP surface it checks (A, C, R, HC, S, T, E).
 */

/** The ids one probe delivery carries, for its body and its read-back. */
export interface ProbeEventIds {
  /** Unique per delivery (W10 reuses one on purpose); carries the run id. */
  eventId: string;
  runId: string;
  /** Set on a production target: the event must be of this inert type (probe.productionOptIn). */
  inertEventType?: string;
}

/** One webhook receiver the probe suite attacks and retries against (W1–W13). */
export interface ProbeWebhook {
  /** A key of the profile's `services`. */
  service: string;
  path: string;
  signing: { scheme: SigningScheme; secret: string };
  /** A valid event this receiver accepts and processes, with `eventId` where the receiver reads its event id. */
  eventBody: (ids: ProbeEventIds) => unknown;
  /**
   * How many times the receiver processed the event (a count row, as the
   * smoke's assertions read): without it, "processed once" (W9–W11) is not
   * judged, and rejected deliveries are judged by their status alone.
   */
  processedCount?: SqlStatement<ProbeEventIds>;
  /** The ack budget (W1, W12); default 200 ms, the plan's. */
  ackBudgetMs?: number;
  /** The body size W13 sends; default 2 MiB (past every common framework's limit). */
  oversizedBytes?: number;
  /** Meta (scheme `meta`): the verify token of the GET handshake on the same URL (H1, H2). */
  verifyToken?: string;
}

/** One route of a target's HTTP surface: a service of the profile, a method and a path. */
export interface ProbeRoute {
  service: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
}

/** A call to a test helper of the target (HC2's outage and its end); it must answer 2xx. */
export interface ProbeHelperRequest {
  service: string;
  method: "POST" | "PUT" | "DELETE";
  path: string;
  /** Secrets go here, read from the environment. */
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The headers one identity's requests carry (a bearer token, a cookie, an
 * API key), minted once a run: a function, since tokens expire. Bounded by
 * the probe's request timeout.
 */
export type ProbeIdentity = (budget: {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The run's HTTP agent, for an identity minted over HTTP. */
  agent: Dispatcher;
}) => Promise<Record<string, string>>;

/** The HTTP surface the surface probes check (A, C, R, HC, S, T, E); each part is optional, a missing one is named. */
export interface ProbeHttp {
  /** Identities by a name the parts below use (A4's owner and intruder, A5's roles, E's authorized reader). */
  identities?: Record<string, ProbeIdentity>;
  /**
   * Objects that belong to one identity (A4): the owner reads each (2xx, the
   * control), the intruder must get 403 or 404, never 2xx.
   */
  tenantIsolation?: (ProbeRoute & { owner: string; intruder: string })[];
  /** Roles (A5): each identity against routes its role must not reach, 403 each. */
  roles?: { identity: string; forbidden: ProbeRoute[] }[];
  /**
   * A Telegram Mini App backend route (A3): how it takes initData (a header,
   * default `Authorization: tma <initData>`) and the bot token it is signed with.
   */
  telegram?: ProbeRoute & {
    botToken: string;
    /** The header initData travels in; default `authorization`. */
    header?: string;
    /** Before initData in that header; default `tma ` for authorization, none otherwise. */
    prefix?: string;
    /** How old an auth_date the backend still accepts; the expired case is older (default 86400 s). */
    maxAgeSec?: number;
    /** The body a request carries, when the route is not a GET. */
    body?: string;
  };
  /**
   * Readiness under a dependency outage (HC2): a helper takes one of the
   * target's dependencies down, readiness must turn 503 while liveness stays
   * 200, and after the restore helper readiness must be back.
   */
  readiness?: {
    service: string;
    readyPath: string;
    livePath: string;
    takeDown: ProbeHelperRequest;
    restore: ProbeHelperRequest;
    /** How long readiness may take to turn, each way (default 5000 ms). */
    settleMs?: number;
  };
  /** The Prometheus endpoint (E1): anonymous requests refused unless `public`; `reader` (an identity) must get it. */
  metrics?: { service: string; path: string; public?: boolean; reader?: string };
  /** The admin board (E2): anonymous refused (401/403), `nonAdmin` (an identity) 403, `admin` (an identity) 2xx. */
  adminBoard?: { service: string; path: string; nonAdmin?: string; admin?: string };
  /**
   * HTTPS (T1–T3): the https origin and paths the browser loads, the http
   * origin that must redirect to it, and the CA to trust (PEM; default the
   * system's).
   */
  tls?: {
    /** e.g. https://shop.example.com */
    url: string;
    /** e.g. http://shop.example.com: every path must redirect to the same host over https (T2). */
    httpUrl?: string;
    /** Paths to load (default ["/"]). */
    paths?: string[];
    ca?: string;
    /** The certificate must be valid for longer than this (default 21 days). */
    minDaysLeft?: number;
    /** HSTS max-age at least this (default 180 days, in seconds: 15552000). */
    hstsMinSeconds?: number;
  };
  /** A route browsers call cross-origin (C1–C5). */
  cors?: ProbeRoute & {
    /** Origins that must be allowed, exactly (scheme and port included). */
    allowedOrigins: string[];
    /** Request headers the browser asks to send (the preflight names them). */
    requestHeaders?: string[];
    /** The API takes cookies or credentials: Allow-Credentials, and never `*`. */
    credentials?: boolean;
    /** Development origins that must be refused here (C5). */
    devOrigins?: string[];
  };
  /** The health endpoint (HC1): 2xx with a status field. */
  health?: { service: string; path: string };
  /** Routes that must never answer 5xx or 404 (HC4), their answers read for leaks too (HC3). */
  criticalRoutes?: { service: string; path: string }[];
  /** Routes announced but not built (S1): 501, or 401/403 when gated; never 2xx. */
  unimplemented?: ProbeRoute[];
  /** Invalid inputs (S2): 400 with a structured error, never 5xx. */
  invalidInputs?: (ProbeRoute & { body: string; contentType?: string })[];
  /** Methods a route does not take (S3): 405 with `Allow`. */
  methodNotAllowed?: ProbeRoute[];
  /** Routes that need credentials (A1): 401 (or 403) without them, never 2xx. */
  protectedRoutes?: ProbeRoute[];
  /**
   * HTML pages (T4–T6): their cookies (SameSite=None always Secure; the
   * session cookies HttpOnly), no http:// subresources, nosniff, and framing
   * allowed to exactly the embedders that must frame them.
   */
  pages?: {
    routes: { service: string; path: string }[];
    /** Cookies that carry a session: they must be HttpOnly. */
    sessionCookies?: string[];
    /** Origins that must be allowed to frame the pages (CSP frame-ancestors), e.g. LINE's. */
    embeddableBy?: string[];
  };
  /**
   * A route that takes a bearer JWT (A2), and how a valid one is signed: the
   * probe signs a valid token (which must pass) and every broken variant
   * (forged, alg none, expired, not yet valid, wrong aud or iss, empty),
   * which must not.
   */
  jwt?: ProbeRoute & {
    key: { alg: "HS256"; secret: string };
    /** Claims a valid token carries besides exp (e.g. { role: "admin", sub: "probe" }). */
    claims?: Record<string, unknown>;
    /** When the route checks them: a token for another issuer or audience must be refused. */
    issuer?: string;
    audience?: string;
    /** The status a refused token gets (default 401). */
    refusedStatus?: 401 | 403;
  };
  /**
   * A rate-limited route (R1–R3) and its limit: the burst sends at most
   * limit + extra requests inside the window, and stops at the window's end.
   */
  rateLimit?: ProbeRoute & {
    /** What each request of the burst carries (it should be one the limit counts). */
    body?: string;
    limit: number;
    windowMs: number;
    /** How many past the limit the burst may go before it calls the limit missing (default 5). */
    extra?: number;
    /** The vendor headers the target sends (R2), e.g. { remaining: "x-ratelimit-remaining" }. */
    vendorHeaders?: { limit?: string; remaining?: string; reset?: string };
  };
}

/** The probe suite's part of a profile. */
export interface ProbeSection {
  /** Receivers by a name the reports use, e.g. `curvaOrders` (none, when only the HTTP surface is probed). */
  webhooks?: Record<string, ProbeWebhook>;
  /** The HTTP surface probes' routes. */
  http?: ProbeHttp;
  /** Removes what the probes' deliveries created, by run id (the events carry it), as load's cleanup does. */
  cleanup: SqlStatement<{ runId: string; displayName: string }>[];
  /**
   * Write probes a production target allows (with --confirm-production):
   * none unless named here; read-only ones always may run. Their events are
   * of an inert type the receiver accepts and does nothing with, passed to
   * `eventBody` as `inertEventType`.
   */
  productionOptIn?: { probes: string[]; inertEventType: string };
}
