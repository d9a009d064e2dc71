import type { HarnessConfig } from "curva-pasukuru-harness/config";
import { probeEventIdLike } from "curva-pasukuru-harness/config";

/*
 * A Whop app's webhook receiver, probed by config alone (the Whop app
 * go-live list: Standard Webhooks signatures, ±5 minutes, retries
 * deduplicated on webhook-id). The secret is the one the Whop dashboard
 * shows: a raw one (the SDK hands btoa(secret) to standardwebhooks) or a
 * whsec_ one; the signing library takes either (scheme "whop").
 *
 *   WHOP_APP_URL, WHOP_APP_HEALTH_PATH (default /health)
 *   WHOP_WEBHOOK_PATH           default /api/whop/webhook
 *   WHOP_WEBHOOK_SECRET         the webhook secret
 *   WHOP_TEST_HELPER_SECRET     the app's test helper secret: "processed once" is
 *                               read over HTTP (GET /test/processed?eventId=…),
 *                               not from the database
 *   WHOP_APP_DATABASE_URL, WHOP_APP_SCHEMA (default public), for cleanup
 *
 *   pnpm harness probe --config examples/whopApp.config.ts --target whopApp
 */
const config: HarnessConfig = {
  targets: {
    whopApp: {
      description: "a Whop app's webhook receiver (Standard Webhooks, deduplicated on webhook-id)",
      async setup({ env }) {
        const schema = env.optional("WHOP_APP_SCHEMA") ?? "public";
        const table = `"${schema.replaceAll('"', '""')}".processed_events`;
        const secret = env.secret("WHOP_WEBHOOK_SECRET", { description: "the webhook secret" });
        const helperSecret = env.secret("WHOP_TEST_HELPER_SECRET", {
          description: "the app's test helper secret",
        });
        return {
          profile: {
            services: {
              app: {
                url: env.url("WHOP_APP_URL", {
                  description: "the app",
                  protocols: ["http:", "https:"],
                }),
                healthPath: env.optional("WHOP_APP_HEALTH_PATH") ?? "/health",
              },
            },
            databases: {
              app: {
                url: env.url("WHOP_APP_DATABASE_URL", {
                  description: "where the app records processed events",
                  protocols: ["postgres:", "postgresql:"],
                }),
              },
            },
            secrets: [secret, helperSecret],
            probe: {
              webhooks: {
                whop: {
                  service: "app",
                  path: env.optional("WHOP_WEBHOOK_PATH") ?? "/api/whop/webhook",
                  signing: { scheme: "whop", secret },
                  // The event id travels in webhook-id (signed); the body is the payment.
                  eventBody: ({ eventId }) => ({
                    type: "payment.succeeded",
                    timestamp: new Date().toISOString(),
                    data: { id: `pay_${eventId}`, status: "paid", total: 1200, currency: "jpy" },
                  }),
                  // Read back over the app's test helper: { "event": { "processed": <n> } }.
                  processedCount: {
                    service: "app",
                    method: "GET",
                    path: (ids) => `/test/processed?eventId=${encodeURIComponent(ids.eventId)}`,
                    headers: { "x-test-helper-secret": helperSecret },
                    pointer: "/event/processed",
                  },
                },
              },
              cleanup: [
                {
                  database: "app",
                  text: `DELETE FROM ${table} WHERE event_id LIKE $1`,
                  values: (a) => [probeEventIdLike(a.runId)],
                },
              ],
            },
          },
        };
      },
    },
  },
};

export default config;
