import type { HarnessConfig } from "curva-pasukuru-harness/config";
import { probeEventIdLike } from "curva-pasukuru-harness/config";

/*
 * A WhatsApp Cloud API receiver, probed by config alone (the WhatsApp
 * portal's go-live list: the callback URL verifies with Meta, every POST
 * carries a valid X-Hub-Signature-256, each message is handled once).
 * Meta signs no timestamp, so dedup by message id is the only replay
 * defence: W9–W11 matter most here.
 *
 *   WHATSAPP_URL, WHATSAPP_HEALTH_PATH (default /health)
 *   WHATSAPP_WEBHOOK_PATH       default /webhooks/whatsapp (GET handshake and POST events)
 *   WHATSAPP_APP_SECRET         the Meta app secret (signs the POSTs)
 *   WHATSAPP_VERIFY_TOKEN       the verify token set in the app dashboard
 *   WHATSAPP_DATABASE_URL, WHATSAPP_SCHEMA (default public)
 *
 *   pnpm harness probe --config examples/whatsappPortal.config.ts --target whatsapp
 */
const config: HarnessConfig = {
  targets: {
    whatsapp: {
      description: "a WhatsApp Cloud API webhook (Meta handshake and signatures)",
      async setup({ env }) {
        const schema = env.optional("WHATSAPP_SCHEMA") ?? "public";
        const table = `"${schema.replaceAll('"', '""')}".processed_events`;
        const secret = env.secret("WHATSAPP_APP_SECRET", { description: "the Meta app secret" });
        const verifyToken = env.secret("WHATSAPP_VERIFY_TOKEN", {
          description: "the verify token set in the Meta app dashboard",
        });
        return {
          profile: {
            services: {
              portal: {
                url: env.url("WHATSAPP_URL", {
                  description: "the portal",
                  protocols: ["http:", "https:"],
                }),
                healthPath: env.optional("WHATSAPP_HEALTH_PATH") ?? "/health",
              },
            },
            databases: {
              portal: {
                url: env.url("WHATSAPP_DATABASE_URL", {
                  description: "where the portal records handled messages",
                  protocols: ["postgres:", "postgresql:"],
                }),
              },
            },
            secrets: [secret, verifyToken],
            probe: {
              webhooks: {
                whatsapp: {
                  service: "portal",
                  path: env.optional("WHATSAPP_WEBHOOK_PATH") ?? "/webhooks/whatsapp",
                  signing: { scheme: "meta", secret },
                  verifyToken,
                  eventBody: ({ eventId }) => ({
                    object: "whatsapp_business_account",
                    entry: [
                      {
                        id: "102290129340398",
                        changes: [
                          {
                            field: "messages",
                            value: {
                              messaging_product: "whatsapp",
                              metadata: {
                                display_phone_number: "15550783881",
                                phone_number_id: "106540352242922",
                              },
                              contacts: [{ profile: { name: "Probe" }, wa_id: "15550000000" }],
                              messages: [
                                {
                                  from: "15550000000",
                                  id: eventId,
                                  timestamp: String(Math.floor(Date.now() / 1000)),
                                  type: "text",
                                  text: { body: "probe" },
                                },
                              ],
                            },
                          },
                        ],
                      },
                    ],
                  }),
                  processedCount: {
                    database: "portal",
                    text: `SELECT count(*)::int AS count FROM ${table} WHERE event_id = $1`,
                    values: (ids) => [ids.eventId],
                  },
                },
              },
              cleanup: [
                {
                  database: "portal",
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
