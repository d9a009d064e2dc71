import type { HarnessConfig } from "curva-pasukuru-harness/config";
import { probeEventIdLike } from "curva-pasukuru-harness/config";

/*
 * A LINE Messaging API bot's webhook, probed by config alone: every
 * delivery carries a valid x-line-signature (base64 HMAC of the raw body
 * under the channel secret), the console's Verify (no events) is answered
 * 200, and each event is handled once by its webhookEventId. LINE signs no
 * timestamp: dedup is the only replay defence.
 *
 *   LINE_BOT_URL, LINE_BOT_HEALTH_PATH (default /health)
 *   LINE_WEBHOOK_PATH           default /webhooks/line
 *   LINE_CHANNEL_SECRET         the channel secret
 *   LINE_BOT_DATABASE_URL, LINE_BOT_SCHEMA (default public)
 *
 *   pnpm harness probe --config examples/lineBot.config.ts --target lineBot
 */
const config: HarnessConfig = {
  targets: {
    lineBot: {
      description: "a LINE Messaging API bot's webhook (x-line-signature, webhookEventId)",
      async setup({ env }) {
        const schema = env.optional("LINE_BOT_SCHEMA") ?? "public";
        const table = `"${schema.replaceAll('"', '""')}".processed_events`;
        const secret = env.secret("LINE_CHANNEL_SECRET", { description: "the channel secret" });
        return {
          profile: {
            services: {
              bot: {
                url: env.url("LINE_BOT_URL", {
                  description: "the bot",
                  protocols: ["http:", "https:"],
                }),
                healthPath: env.optional("LINE_BOT_HEALTH_PATH") ?? "/health",
              },
            },
            databases: {
              bot: {
                url: env.url("LINE_BOT_DATABASE_URL", {
                  description: "where the bot records handled events",
                  protocols: ["postgres:", "postgresql:"],
                }),
              },
            },
            secrets: [secret],
            probe: {
              webhooks: {
                line: {
                  service: "bot",
                  path: env.optional("LINE_WEBHOOK_PATH") ?? "/webhooks/line",
                  signing: { scheme: "line", secret },
                  eventBody: ({ eventId }) => ({
                    destination: `U${"f".repeat(32)}`,
                    events: [
                      {
                        type: "message",
                        mode: "active",
                        timestamp: Date.now(),
                        webhookEventId: eventId,
                        deliveryContext: { isRedelivery: false },
                        source: { type: "user", userId: `U${"0".repeat(32)}` },
                        replyToken: "0".repeat(32),
                        message: { type: "text", id: eventId, quoteToken: "q", text: "probe" },
                      },
                    ],
                  }),
                  processedCount: {
                    database: "bot",
                    text: `SELECT count(*)::int AS count FROM ${table} WHERE event_id = $1`,
                    values: (ids) => [ids.eventId],
                  },
                },
              },
              cleanup: [
                {
                  database: "bot",
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
