import type { TargetSession } from "../lib/config/defineConfig.ts";
import type { HelperCall, IdentitySpec, RunIds } from "../lib/config/targetProfile.ts";
import { RUN_ID_SQL_PATTERN } from "../lib/drivers/runId.ts";
import {
  loadEvent,
  quoteIdent,
  type ReferenceTarget,
  removeRunStatements,
  scrapeHeadersOf,
  TEST_HELPER_HEADER,
  WEBHOOK_ROUTE,
} from "./referenceParts.ts";
import { referenceProbe } from "./referenceProbe.ts";

/*
 * The profile of a target with the reference stack's HTTP surface and schema
 * (fixtures/README.md, "Tables"): the local stack, and staging unless a team
 * writes its own config. Every SQL statement and helper call the harness uses
 * against such a target is here, or in its probe section (referenceProbe.ts)
 * and what the sections share (referenceParts.ts).
 */

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
    ...referenceProbe(t, { p, c }),
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
