import type { HarnessConfig } from "curva-pasukuru-harness/config";
import { probeEventIdLike } from "curva-pasukuru-harness/config";

/*
 * A Stripe app's webhook receiver, probed by config alone (the Stripe app
 * go-live list: signatures verified with the endpoint secret, events
 * processed once through an idempotency table, a fast 2xx). One service, one
 * database; the receiver is whatever the team runs.
 *
 *   STRIPE_APP_URL              the app's base URL, e.g. http://127.0.0.1:3000
 *   STRIPE_APP_HEALTH_PATH      a path answered 2xx when it is up (default /health)
 *   STRIPE_WEBHOOK_PATH         the webhook route (default /api/stripe/webhook)
 *   STRIPE_WEBHOOK_SECRET       the endpoint's signing secret (whsec_…)
 *   STRIPE_APP_DATABASE_URL     Postgres where the app records processed events
 *   STRIPE_APP_SCHEMA           that table's schema (default public)
 *
 *   pnpm harness probe --config examples/stripeApp.config.ts --target stripeApp
 */
const config: HarnessConfig = {
  targets: {
    stripeApp: {
      description: "a Stripe app's webhook receiver (Stripe signatures, an idempotency table)",
      async setup({ env }) {
        const schema = env.optional("STRIPE_APP_SCHEMA") ?? "public";
        const table = `"${schema.replaceAll('"', '""')}".processed_events`;
        const secret = env.secret("STRIPE_WEBHOOK_SECRET", {
          description: "the endpoint's signing secret (whsec_…)",
        });
        return {
          profile: {
            services: {
              app: {
                url: env.url("STRIPE_APP_URL", {
                  description: "the app",
                  protocols: ["http:", "https:"],
                }),
                healthPath: env.optional("STRIPE_APP_HEALTH_PATH") ?? "/health",
              },
            },
            databases: {
              app: {
                url: env.url("STRIPE_APP_DATABASE_URL", {
                  description: "where the app records processed events",
                  protocols: ["postgres:", "postgresql:"],
                }),
              },
            },
            secrets: [secret],
            probe: {
              webhooks: {
                stripe: {
                  service: "app",
                  path: env.optional("STRIPE_WEBHOOK_PATH") ?? "/api/stripe/webhook",
                  signing: { scheme: "stripe", secret },
                  eventBody: ({ eventId }) => ({
                    id: eventId,
                    object: "event",
                    api_version: "2024-06-20",
                    created: Math.floor(Date.now() / 1000),
                    livemode: false,
                    type: "checkout.session.completed",
                    data: {
                      object: {
                        id: `cs_test_${eventId}`,
                        object: "checkout.session",
                        amount_total: 1200,
                        currency: "jpy",
                      },
                    },
                  }),
                  processedCount: {
                    database: "app",
                    text: `SELECT count(*)::int AS count FROM ${table} WHERE event_id = $1`,
                    values: (ids) => [ids.eventId],
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
