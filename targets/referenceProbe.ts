import { randomBytes } from "node:crypto";
import type { TargetSession } from "../lib/config/defineConfig.ts";
import type { ProbeHttp, ProbeIdentity } from "../lib/config/probeProfile.ts";
import type { IdentitySpec } from "../lib/config/targetProfile.ts";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { signJwt } from "../lib/signJwt.ts";
import {
  IDENTIFY_ROUTE,
  loadEvent,
  type ReferenceTarget,
  removeRunStatements,
  scrapeHeadersOf,
  TEST_HELPER_HEADER,
  WEBHOOK_ROUTE,
} from "./referenceParts.ts";

/*
 * The reference profile's probe section: Curva's two receivers (the order
 * webhook and LINE's) and the reference stack's HTTP surface.
 */

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

/** The probe section of a reference target, when it is given the probe's secrets (`t.probe`). */
export function referenceProbe(
  t: ReferenceTarget,
  sql: { p: string; c: string },
): Pick<TargetSession["profile"], "probe"> {
  const { p, c } = sql;
  const identity = t.identity;
  const _scrapeHeaders = scrapeHeadersOf(t);
  return {
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
  };
}
