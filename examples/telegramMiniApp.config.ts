import type { HarnessConfig } from "curva-pasukuru-harness/config";

/*
 * A Telegram Mini App backend, probed by config alone (the wallet's go-live
 * list, seed 003, section F and the CORS items): initData verified with the
 * bot token (A3: valid passes; an edited user, an expired auth_date,
 * another bot's hash, none, or a bare X-Telegram-User-Id are refused), CORS
 * for the frontend and https://web.telegram.org only, never * (C1–C5),
 * unbuilt features 501 (S1), the transfer route rate-limited (R1, R3).
 *
 *   TELEGRAM_API_URL          the backend's base URL
 *   TELEGRAM_BOT_TOKEN        the bot token initData is signed with (a secret)
 *   TELEGRAM_FRONTEND_ORIGIN  the Mini App's own origin, e.g. https://wallet.example.com
 *
 *   pnpm harness probe --config examples/telegramMiniApp.config.ts --target telegramMiniApp
 */
const config: HarnessConfig = {
  targets: {
    telegramMiniApp: {
      description: "a Telegram Mini App backend (initData, CORS, status codes, rate limit)",
      async setup({ env }) {
        const url = env.url("TELEGRAM_API_URL", {
          description: "the Mini App's backend",
          protocols: ["http:", "https:"],
        });
        const botToken = env.secret("TELEGRAM_BOT_TOKEN", {
          description: "the bot token initData is signed with",
        });
        const frontend = env.url("TELEGRAM_FRONTEND_ORIGIN", {
          description: "the Mini App's own origin",
          protocols: ["https:"],
        });
        const balance = { service: "app", method: "GET" as const, path: "/api/wallet/balance" };
        return {
          profile: {
            services: { app: { url, healthPath: "/api/health" } },
            databases: {},
            secrets: [botToken],
            probe: {
              http: {
                telegram: { ...balance, botToken, maxAgeSec: 3600 },
                cors: {
                  ...balance,
                  allowedOrigins: [new URL(frontend).origin, "https://web.telegram.org"],
                  requestHeaders: ["authorization"],
                  credentials: true,
                  devOrigins: ["http://localhost:5173"],
                },
                health: { service: "app", path: "/api/health" },
                protectedRoutes: [balance],
                unimplemented: [{ service: "app", method: "POST", path: "/api/wallet/swap" }],
                rateLimit: {
                  service: "app",
                  method: "POST",
                  path: "/api/wallet/transfer",
                  body: '{"to":"probe","amount":1}',
                  limit: 5,
                  windowMs: 2000,
                },
              },
              cleanup: [],
            },
          },
        };
      },
    },
  },
};

export default config;
