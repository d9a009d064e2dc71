import { randomBytes } from "node:crypto";
import type { TargetSession } from "../lib/config/defineConfig.ts";
import type { ProbeHttp, ProbeIdentity } from "../lib/config/probeProfile.ts";
import type {
  HelperCall,
  IdentitySpec,
  RunIds,
  SqlStatement,
} from "../lib/config/targetProfile.ts";
import { RUN_ID_SQL_PATTERN, testUserDisplayName } from "../lib/drivers/runId.ts";
import { signJwt } from "../lib/signJwt.ts";
import type { AlertEnv } from "./alertEnv.ts";

/*
 * The profile of a target with the reference stack's HTTP surface and schema
 * (fixtures/README.md, "Tables"): the local stack, and staging unless a team
 * writes its own config. Every SQL statement and helper call the harness uses
 * against such a target is here.
 */

export const TEST_HELPER_HEADER = "x-test-helper-secret";

export interface ReferenceTarget {
  urls: { pasukuru: string; curva: string };
  databases: {
    pasukuru: { url: string; cleanupUrl?: string };
    curva: { url: string; cleanupUrl?: string };
  };
  schemas: { pasukuru: string; curva: string };
  queue: { redisUrl: string; prefix: string; name: string; deadLetterQueue?: string };
  testHelperSecret: string;
  identity: IdentitySpec;
  /** The scrape token both services' /metrics take (bearer); sent by every scrape, and E1's reader. */
  metricsToken?: string;
  /** Given, the target also gets a load section (it needs an identity that mints users). */
  load?: {
    allowed: boolean;
    /** What sets `allowed` (e.g. `STAGING_LOAD_ALLOWED=true`), named when load is refused. */
    allowedBy?: string;
    /** The secret Curva verifies webhook signatures with (scheme: pasukuru). */
    webhookSigningSecret: string;
    monitoringDatabaseUrl?: string;
  };
  /** Given, the target also gets a probe section: Curva's receiver of Pasukuru's webhooks. */
  probe?: {
    /** The secret Curva verifies webhook signatures with (scheme: pasukuru). */
    webhookSigningSecret: string;
    /** The LINE channel secret Curva verifies /webhooks/line with; without it, that receiver is not probed. */
    lineChannelSecret?: string;
    /** The LIFF pages (T4–T6): their session cookie and who must be able to frame them. */
    pages?: {
      routes: { service: string; path: string }[];
      sessionCookies?: string[];
      embeddableBy?: string[];
    };
    /** Routes announced but not built, which must answer 501 (S1). */
    unimplemented?: { service: string; method: "GET" | "POST"; path: string }[];
    /** Identify's brute-force guard (rejected tokens per client, window): R1–R3 burst against it. */
    identifyGuard?: { limit: number; windowMs: number };
    /** The key Pasukuru's DLQ board verifies admin JWTs with (HS256): A2 signs its token matrix with it. */
    adminJwtSecret?: string;
    /** Where the LIFF pages are served from (identify's CORS allow-list), and development origins it must refuse. */
    origins?: { allowed: string[]; dev?: string[] };
    /** The target has the reference stack's outage helper (POST /test/dependencies/database): HC2 runs. */
    outageHelper?: boolean;
    /** Pasukuru's HTTPS edge (T1–T3): its https and http origins, and a private CA when it has one. */
    tls?: { url: string; httpUrl?: string; ca?: string };
  };
  /** Given, the smoke checks that Pasukuru's DLQ board is protected (tokens from the environment). */
  board?: { path: string; adminToken: string; nonAdminToken?: string };
  /** Given, the target also gets a watch section (notifiers and links from the environment). */
  watch?: AlertEnv;
  secrets: string[];
}

/** The reference Curva's webhook receiver, as its `http_requests_total` route label names it. */
export const WEBHOOK_ROUTE = "/webhooks/pasukuru";

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What one run leaves, keyed by its run id (cleanup) or found by a sweep. In dependency order. */
function removeRunStatements(
  p: string,
  c: string,
): SqlStatement<{ runId: string; displayName: string }>[] {
  return [
    {
      database: "curva",
      text: `DELETE FROM ${c}.processed_events WHERE event_id IN (SELECT event_id FROM ${c}.webhook_log WHERE run_id = $1)`,
      values: (a) => [a.runId],
    },
    {
      database: "curva",
      text: `DELETE FROM ${c}.webhook_log WHERE run_id = $1`,
      values: (a) => [a.runId],
    },
    {
      database: "curva",
      text: `DELETE FROM ${c}.line_followers WHERE run_id = $1`,
      values: (a) => [a.runId],
    },
    // A probe's LINE events say who sent them: a text message "harness <run id>".
    {
      database: "curva",
      text: `DELETE FROM ${c}.line_events WHERE message_text = $1`,
      values: (a) => [a.displayName],
    },
    {
      database: "pasukuru",
      text: `DELETE FROM ${p}.orders WHERE run_id = $1`,
      values: (a) => [a.runId],
    },
    // Identify carries no run id; a minted member is named after the run instead.
    {
      database: "pasukuru",
      text: `DELETE FROM ${p}.members WHERE display_name = $1`,
      values: (a) => [a.displayName],
    },
  ];
}

/** A target with the reference stack's HTTP surface and schema: the local stack, and staging by default. */
export function referenceProfile(t: ReferenceTarget): TargetSession["profile"] {
  const p = quoteIdent(t.schemas.pasukuru);
  const c = quoteIdent(t.schemas.curva);
  const helperHeaders = { [TEST_HELPER_HEADER]: t.testHelperSecret };
  const identity = t.identity;
  const scrapeHeaders = scrapeHeadersOf(t);
  const createOrder: HelperCall<{ orderId: string; followerId?: string }> = {
    service: "curva",
    method: "POST",
    path: () => "/test/orders",
    headers: helperHeaders,
    body: (ids: RunIds) => ({
      lineUserId: ids.lineUserId,
      displayName: ids.displayName,
      amountYen: 1200,
      runId: ids.runId,
    }),
    read: ({ status, body }) => {
      const b = body as { orderId?: unknown; followerId?: unknown } | undefined;
      if (status !== 201 || typeof b?.orderId !== "string")
        return { problem: "expected 201 { orderId }" };
      return {
        orderId: b.orderId,
        ...(b.followerId !== undefined ? { followerId: String(b.followerId) } : {}),
      };
    },
  };
  const markPaid: HelperCall<{ eventId?: string }> = {
    service: "pasukuru",
    method: "POST",
    path: (ids) => `/test/orders/${encodeURIComponent(ids.orderId ?? "")}/pay`,
    headers: helperHeaders,
    read: ({ status, body }) => {
      const b = body as { status?: unknown; eventId?: unknown } | undefined;
      if (status !== 200 || b?.status !== "paid")
        return { problem: 'expected 200 { status: "paid", eventId }' };
      return typeof b.eventId === "string" ? { eventId: b.eventId } : {};
    },
  };
  return {
    services: {
      pasukuru: { url: t.urls.pasukuru, healthPath: "/health" },
      curva: { url: t.urls.curva, healthPath: "/health" },
    },
    databases: t.databases,
    queue: {
      redisUrl: t.queue.redisUrl,
      prefix: t.queue.prefix,
      name: t.queue.name,
      deadLetters: t.queue.deadLetterQueue
        ? { kind: "queue", name: t.queue.deadLetterQueue }
        : { kind: "failedSet" },
    },
    smoke: {
      identity: t.identity,
      helpers: { createOrder, markPaid },
      // Pasukuru uses the event id (returned by the mark-paid helper) as the BullMQ job id.
      webhookJobId: (ids) => ids.eventId,
      assertions: {
        webhookLogCount: {
          database: "curva",
          text: `SELECT count(*)::int AS count FROM ${c}.webhook_log WHERE order_id = $1 AND event_type = 'order.paid'`,
          values: (ids) => [ids.orderId],
        },
        memberLineUserId: {
          database: "pasukuru",
          text: `SELECT line_user_id FROM ${p}.members WHERE id = $1`,
          values: (ids) => [ids.memberId],
        },
        followerMemberId: {
          database: "curva",
          text: `SELECT pasukuru_member_id FROM ${c}.line_followers WHERE line_user_id = $1`,
          values: (ids) => [ids.lineUserId],
        },
      },
      cleanup: removeRunStatements(p, c),
      ...(t.board ? { board: { service: "pasukuru" as const, ...t.board } } : {}),
    },
    ...(t.load && identity.kind === "mint"
      ? {
          load: {
            allowed: t.load.allowed,
            ...(t.load.allowedBy ? { allowedBy: t.load.allowedBy } : {}),
            mintIdToken: identity.mintIdToken,
            identify: identity.identify,
            webhook: {
              service: "curva" as const,
              path: WEBHOOK_ROUTE,
              eventBody: loadEvent,
              signing: { scheme: "pasukuru" as const, secret: t.load.webhookSigningSecret },
            },
            monitoring: {
              metrics: {
                pasukuru: { path: "/metrics", ...scrapeHeaders },
                curva: { path: "/metrics", ...scrapeHeaders },
              },
              ...(t.load.monitoringDatabaseUrl
                ? { databaseUrl: t.load.monitoringDatabaseUrl }
                : {}),
            },
            cleanup: removeRunStatements(p, c),
          },
        }
      : {}),
    ...(t.probe
      ? {
          probe: {
            webhooks: {
              curvaOrders: {
                service: "curva" as const,
                path: WEBHOOK_ROUTE,
                signing: { scheme: "pasukuru" as const, secret: t.probe.webhookSigningSecret },
                // On production, only the inert type the profile opts in (it is logged, nothing else).
                eventBody: (ids: { eventId: string; runId: string; inertEventType?: string }) => ({
                  ...(loadEvent({ ...ids, lineUserId: `U${"0".repeat(32)}` }) as object),
                  ...(ids.inertEventType ? { type: ids.inertEventType } : {}),
                }),
                // Curva logs each event it processes once (processed_events guards it).
                processedCount: {
                  database: "curva" as const,
                  text: `SELECT count(*)::int AS count FROM ${c}.webhook_log WHERE event_id = $1`,
                  values: (ids: { eventId: string }) => [ids.eventId],
                },
              },
              ...(t.probe.lineChannelSecret
                ? {
                    curvaLine: {
                      service: "curva" as const,
                      path: LINE_WEBHOOK_ROUTE,
                      signing: { scheme: "line" as const, secret: t.probe.lineChannelSecret },
                      eventBody: lineEvent,
                      processedCount: {
                        database: "curva" as const,
                        text: `SELECT count(*)::int AS count FROM ${c}.line_events WHERE webhook_event_id = $1`,
                        values: (ids: { eventId: string }) => [ids.eventId],
                      },
                    },
                  }
                : {}),
            },
            cleanup: removeRunStatements(p, c).filter((s) => s.database === "curva"),
            http: {
              ...(t.probe.origins
                ? {
                    cors: {
                      service: "pasukuru" as const,
                      method: "POST" as const,
                      path: IDENTIFY_ROUTE,
                      allowedOrigins: t.probe.origins.allowed,
                      requestHeaders: ["content-type"],
                      // The LIFF pages send the shop's session cookie along.
                      credentials: true,
                      ...(t.probe.origins.dev ? { devOrigins: t.probe.origins.dev } : {}),
                    },
                  }
                : {}),
              health: { service: "pasukuru", path: "/health" },
              criticalRoutes: [
                { service: "pasukuru", path: "/health" },
                { service: "curva", path: "/health" },
              ],
              // Routes announced but not built (the local stack: coupons); a deployed target names its own.
              ...(t.probe.unimplemented ? { unimplemented: t.probe.unimplemented } : {}),
              invalidInputs: [
                {
                  service: "pasukuru",
                  method: "POST" as const,
                  path: IDENTIFY_ROUTE,
                  body: '{"idToken":42}',
                },
                {
                  service: "pasukuru",
                  method: "POST" as const,
                  path: IDENTIFY_ROUTE,
                  body: "{not json",
                },
              ],
              methodNotAllowed: [
                { service: "pasukuru", method: "GET" as const, path: IDENTIFY_ROUTE },
              ],
              ...(t.probe.adminJwtSecret
                ? {
                    jwt: {
                      service: "pasukuru",
                      method: "GET" as const,
                      path: "/admin/queues",
                      key: { alg: "HS256" as const, secret: t.probe.adminJwtSecret },
                      claims: { role: "admin", sub: "harness-probe" },
                    },
                  }
                : {}),
              ...(t.probe.identifyGuard
                ? {
                    rateLimit: {
                      service: "pasukuru",
                      method: "POST" as const,
                      path: IDENTIFY_ROUTE,
                      // A token that never verifies: what the guard counts.
                      body: '{"idToken":"probe.not.a-token"}',
                      limit: t.probe.identifyGuard.limit,
                      windowMs: t.probe.identifyGuard.windowMs,
                      vendorHeaders: {
                        limit: "x-ratelimit-limit",
                        remaining: "x-ratelimit-remaining",
                        reset: "x-ratelimit-reset",
                      },
                    },
                  }
                : {}),
              ...(t.probe.pages ? { pages: t.probe.pages } : {}),
              ...surfaceIdentities(t, identity),
              protectedRoutes: [
                // The DLQ board (admin JWT), the order API (service token), a test helper (its secret).
                { service: "pasukuru", method: "GET" as const, path: "/admin/queues" },
                { service: "pasukuru", method: "POST" as const, path: "/internal/orders" },
                { service: "curva", method: "POST" as const, path: "/test/orders" },
              ],
            },
          },
        }
      : {}),
    ...(t.watch
      ? {
          watch: {
            webhookRequests: {
              service: "curva" as const,
              metricsPath: "/metrics",
              ...(t.metricsToken ? { metricsHeaders: scrapeHeaders.headers } : {}),
              route: WEBHOOK_ROUTE,
              ...(t.watch.prometheusUrl ? { prometheusUrl: t.watch.prometheusUrl } : {}),
            },
            notifiers: t.watch.notifiers,
            ...(t.watch.settings ? { settings: t.watch.settings } : {}),
            ...(t.watch.links ? { links: t.watch.links } : {}),
          },
        }
      : {}),
    sweep: {
      // Only ids the harness minted (<suite>-<utc stamp>-<hex>); sweepRuns checks each again.
      findRuns: [
        {
          database: "pasukuru",
          text: `SELECT DISTINCT run_id FROM ${p}.orders WHERE run_id ~ $2 AND created_at < $1`,
          values: (a) => [a.cutoff, RUN_ID_SQL_PATTERN],
        },
        {
          database: "pasukuru",
          text: `SELECT substring(display_name FROM 9) AS run_id FROM ${p}.members
                 WHERE display_name LIKE 'harness %' AND substring(display_name FROM 9) ~ $2 AND created_at < $1`,
          values: (a) => [a.cutoff, RUN_ID_SQL_PATTERN],
        },
        {
          database: "curva",
          text: `SELECT DISTINCT run_id FROM ${c}.line_followers WHERE run_id ~ $2 AND created_at < $1`,
          values: (a) => [a.cutoff, RUN_ID_SQL_PATTERN],
        },
        {
          database: "curva",
          text: `SELECT substring(message_text FROM 9) AS run_id FROM ${c}.line_events
                 WHERE message_text LIKE 'harness %' AND substring(message_text FROM 9) ~ $2 AND received_at < $1`,
          values: (a) => [a.cutoff, RUN_ID_SQL_PATTERN],
        },
        // A load run's webhook deliveries leave log rows and nothing else.
        {
          database: "curva",
          text: `SELECT DISTINCT run_id FROM ${c}.webhook_log WHERE run_id ~ $2 AND received_at < $1`,
          values: (a) => [a.cutoff, RUN_ID_SQL_PATTERN],
        },
      ],
      findJobIds: [
        {
          database: "pasukuru",
          text: `SELECT paid_event_id AS job_id FROM ${p}.orders WHERE run_id = $1 AND paid_event_id IS NOT NULL`,
          values: (a) => [a.runId],
        },
      ],
      removeRun: removeRunStatements(p, c),
      // Pasukuru's order.paid event carries the order's run id (data.runId).
      jobRunId: (jobData) => {
        const runId = (jobData as { data?: { runId?: unknown } } | undefined)?.data?.runId;
        return typeof runId === "string" ? runId : undefined;
      },
    },
    secrets: [
      ...t.secrets,
      t.testHelperSecret,
      ...(t.load?.webhookSigningSecret ? [t.load.webhookSigningSecret] : []),
      ...(t.probe?.webhookSigningSecret ? [t.probe.webhookSigningSecret] : []),
      ...(t.probe?.lineChannelSecret ? [t.probe.lineChannelSecret] : []),
      ...(t.probe?.adminJwtSecret ? [t.probe.adminJwtSecret] : []),
      ...(t.metricsToken ? [t.metricsToken] : []),
    ],
  };
}

/** Pasukuru's LIFF entry point: called cross-origin from the LIFF pages. */
const IDENTIFY_ROUTE = "/integration/line/identify";

/** The reference Curva's LINE Messaging API webhook. */
const LINE_WEBHOOK_ROUTE = "/webhooks/line";

/** One LINE delivery: a text message event from a test user, saying "harness <run id>" (cleanup finds it by that). */
function lineEvent(ids: { eventId: string; runId: string; inertEventType?: string }): unknown {
  return {
    destination: `U${"f".repeat(32)}`,
    events: [
      {
        // On production, only the inert type the profile opts in.
        type: ids.inertEventType ?? "message",
        mode: "active",
        timestamp: Date.now(),
        webhookEventId: ids.eventId,
        deliveryContext: { isRedelivery: false },
        source: { type: "user", userId: `U${"0".repeat(32)}` },
        replyToken: "0".repeat(32),
        message: {
          type: "text",
          id: ids.eventId,
          quoteToken: "q",
          text: testUserDisplayName(ids.runId),
        },
      },
    ],
  };
}

/** One load delivery: an order.paid event for no real order, carrying the run id cleanup finds it by. */
function loadEvent(ids: { eventId: string; runId: string; lineUserId: string }): unknown {
  const now = new Date().toISOString();
  return {
    id: ids.eventId,
    type: "order.paid",
    createdAt: now,
    data: {
      orderId: `ord_${ids.eventId}`,
      memberId: null,
      lineUserId: ids.lineUserId,
      amountYen: 100,
      paidAt: now,
      runId: ids.runId,
    },
  };
}

/** `POST /integration/line/identify` with the run's minted token. */
export const identifyCall: Extract<IdentitySpec, { kind: "mint" }>["identify"] = {
  service: "pasukuru",
  method: "POST",
  path: () => "/integration/line/identify",
  body: (ids) => ({ idToken: ids.idToken }),
  read: ({ status, body }) => {
    const b = body as { memberId?: unknown; lineUserId?: unknown; created?: unknown } | undefined;
    if (status !== 200 || typeof b?.memberId !== "string")
      return { problem: "expected 200 { memberId }" };
    return {
      memberId: b.memberId,
      lineUserId: String(b.lineUserId ?? ""),
      created: b.created === true,
    };
  },
};

/** What every /metrics read sends: the scrape token, when the target has one. */
function scrapeHeadersOf(t: ReferenceTarget): { headers?: Record<string, string> } {
  return t.metricsToken ? { headers: { authorization: `Bearer ${t.metricsToken}` } } : {};
}

/** Two LINE users of this run for A4: each owns their own points, neither may read the other's. */
function memberIdentities(identity: IdentitySpec) {
  if (identity.kind !== "mint") return {};
  const owner = `U${randomBytes(16).toString("hex")}`;
  const intruder = `U${randomBytes(16).toString("hex")}`;
  const asMember =
    (sub: string, name: string): ProbeIdentity =>
    async (budget) => {
      const { idToken } = await identity.mintIdToken({ sub, name }, budget);
      return { authorization: `Bearer ${idToken}` };
    };
  return {
    identities: {
      memberOwner: asMember(owner, "Probe Owner"),
      memberIntruder: asMember(intruder, "Probe Intruder"),
    },
    tenantIsolation: [
      {
        service: "pasukuru",
        method: "GET" as const,
        path: `/integration/line/members/${owner}/points`,
        owner: "memberOwner",
        intruder: "memberIntruder",
      },
    ],
  };
}

/**
 * The surface probes that need credentials or helpers: members (A4), the
 * board's roles (A5, E2), the scrape token (E1), the outage helper (HC2)
 * and the HTTPS edge (T1–T3); each only when the target gives what it needs.
 */
function surfaceIdentities(t: ReferenceTarget, identity: IdentitySpec): Partial<ProbeHttp> {
  const probe = t.probe;
  const members = memberIdentities(identity);
  const bearer = (token: string) => async () => ({ authorization: `Bearer ${token}` });
  // The board's identities: the environment's tokens (staging), or signed here with the board's key (local).
  const key = probe?.adminJwtSecret;
  const boardAs = (role: string, token: string | undefined): ProbeIdentity | undefined =>
    token
      ? bearer(token)
      : key
        ? async () => {
            const now = Math.floor(Date.now() / 1000);
            const jwt = signJwt(
              { alg: "HS256", typ: "JWT" },
              { role, sub: `harness-probe-${role}`, iat: now, exp: now + 600 },
              key,
            );
            return { authorization: `Bearer ${jwt}` };
          }
        : undefined;
  const boardAdmin = boardAs("admin", t.board?.adminToken);
  const boardViewer = boardAs("viewer", t.board?.nonAdminToken);
  const boardPath = t.board?.path ?? "/admin/queues";
  const identities: Record<string, ProbeIdentity> = {
    ...members.identities,
    ...(boardAdmin ? { boardAdmin } : {}),
    ...(boardViewer ? { boardViewer } : {}),
    ...(t.metricsToken ? { scraper: bearer(t.metricsToken) } : {}),
  };
  const helper = (down: boolean) => ({
    service: "pasukuru",
    method: "POST" as const,
    path: "/test/dependencies/database",
    headers: { [TEST_HELPER_HEADER]: t.testHelperSecret },
    body: JSON.stringify({ down }),
  });
  return {
    identities,
    ...(members.tenantIsolation ? { tenantIsolation: members.tenantIsolation } : {}),
    ...(boardViewer
      ? {
          roles: [
            {
              identity: "boardViewer",
              forbidden: [
                { service: "pasukuru", method: "GET" as const, path: boardPath },
                { service: "pasukuru", method: "GET" as const, path: `${boardPath}/api/queues` },
              ],
            },
          ],
        }
      : {}),
    ...(boardAdmin
      ? {
          adminBoard: {
            service: "pasukuru",
            path: boardPath,
            admin: "boardAdmin",
            ...(boardViewer ? { nonAdmin: "boardViewer" } : {}),
          },
        }
      : {}),
    metrics: {
      service: "pasukuru",
      path: "/metrics",
      ...(t.metricsToken ? { reader: "scraper" } : {}),
    },
    ...(probe?.outageHelper
      ? {
          readiness: {
            service: "pasukuru",
            readyPath: "/health/ready",
            livePath: "/health/live",
            takeDown: helper(true),
            restore: helper(false),
          },
        }
      : {}),
    ...(probe?.tls
      ? { tls: { ...probe.tls, paths: ["/liff/shop", "/liff/cart", "/liff/account"] } }
      : {}),
  };
}
