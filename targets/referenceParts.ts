import type { IdentitySpec, SqlStatement } from "../lib/config/targetProfile.ts";
import type { AlertEnv } from "./alertEnv.ts";

/*
 * What the reference profile's sections share: the target's facts, the
 * routes, the schemas' quoting, what a run leaves, one load delivery.
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

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What one run leaves, keyed by its run id (cleanup) or found by a sweep. In dependency order. */
export function removeRunStatements(
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

/** Pasukuru's LIFF entry point: called cross-origin from the LIFF pages. */
export const IDENTIFY_ROUTE = "/integration/line/identify";

/** One load delivery: an order.paid event for no real order, carrying the run id cleanup finds it by. */
export function loadEvent(ids: { eventId: string; runId: string; lineUserId: string }): unknown {
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

/** What every /metrics read sends: the scrape token, when the target has one. */
export function scrapeHeadersOf(t: ReferenceTarget): { headers?: Record<string, string> } {
  return t.metricsToken ? { headers: { authorization: `Bearer ${t.metricsToken}` } } : {};
}
